/**
 * Skiff's own descriptions of the `core/v1` messages it decodes, with field numbers matching
 * Kubernetes' `k8s.io/api/core/v1/generated.proto`. Only the commonly used fields are listed;
 * fields not listed are ignored when empty and rejected when set (see `unknown.ts`).
 */
import { bool, bytesMap, i32, i64, intOrString, list, msg, objectMeta, str, strMap, strs, time, type PackageDef } from '../fields.js';
import { pods } from './pod.js';
import { podExtras } from './pod-extras.js';
import { scheduling } from './scheduling.js';

/** Top-level core/v1 kinds plus the types only they use. */
const kinds: PackageDef = {
  Namespace: { metadata: objectMeta(), spec: msg(2, 'core.NamespaceSpec'), status: msg(3, 'core.NamespaceStatus') },
  NamespaceSpec: { finalizers: strs(1) },
  NamespaceStatus: { phase: str(1), conditions: list(2, 'core.NamespaceCondition') },
  NamespaceCondition: {
    type: str(1, true),
    status: str(2, true),
    lastTransitionTime: time(4),
    reason: str(5),
    message: str(6),
  },
  ConfigMap: { metadata: objectMeta(), data: strMap(2), binaryData: bytesMap(3), immutable: bool(4, true) },
  Secret: { metadata: objectMeta(), data: bytesMap(2), type: str(3), stringData: strMap(4), immutable: bool(5, true) },
  ServiceAccount: {
    metadata: objectMeta(),
    secrets: list(2, 'core.ObjectReference'),
    imagePullSecrets: list(3, 'core.LocalObjectReference'),
    automountServiceAccountToken: bool(4, true),
  },
  ObjectReference: {
    kind: str(1),
    namespace: str(2),
    name: str(3),
    uid: str(4),
    apiVersion: str(5),
    resourceVersion: str(6),
    fieldPath: str(7),
  },
  LocalObjectReference: { name: str(1) },
  Service: { metadata: objectMeta(), spec: msg(2, 'core.ServiceSpec'), status: msg(3, 'core.ServiceStatus') },
  ServiceSpec: {
    ports: list(1, 'core.ServicePort'),
    selector: strMap(2),
    clusterIP: str(3),
    type: str(4),
    externalIPs: strs(5),
    sessionAffinity: str(7),
    loadBalancerIP: str(8),
    loadBalancerSourceRanges: strs(9),
    externalName: str(10),
    externalTrafficPolicy: str(11),
    healthCheckNodePort: i32(12),
    publishNotReadyAddresses: bool(13),
    sessionAffinityConfig: msg(14, 'core.SessionAffinityConfig'),
    ipFamilyPolicy: str(17, true),
    clusterIPs: strs(18),
    ipFamilies: strs(19),
    allocateLoadBalancerNodePorts: bool(20, true),
    loadBalancerClass: str(21, true),
    internalTrafficPolicy: str(22, true),
    trafficDistribution: str(23, true),
  },
  SessionAffinityConfig: { clientIP: msg(1, 'core.ClientIPConfig') },
  ClientIPConfig: { timeoutSeconds: i32(1, true) },
  ServicePort: {
    name: str(1),
    protocol: str(2),
    port: i32(3, true),
    targetPort: intOrString(4),
    nodePort: i32(5),
    appProtocol: str(6, true),
  },
  ServiceStatus: { loadBalancer: msg(1, 'core.LoadBalancerStatus'), conditions: list(2, 'meta.Condition') },
  LoadBalancerStatus: { ingress: list(1, 'core.LoadBalancerIngress') },
  LoadBalancerIngress: { ip: str(1), hostname: str(2), ipMode: str(3, true), ports: list(4, 'core.PortStatus') },
  PortStatus: { port: i32(1, true), protocol: str(2, true), error: str(3, true) },
  Pod: { metadata: objectMeta(), spec: msg(2, 'core.PodSpec'), status: msg(3, 'core.PodStatus') },
  PodTemplateSpec: { metadata: objectMeta(), spec: msg(2, 'core.PodSpec') },
  ReplicationController: {
    metadata: objectMeta(),
    spec: msg(2, 'core.ReplicationControllerSpec'),
    status: msg(3, 'core.ReplicationControllerStatus'),
  },
  ReplicationControllerSpec: {
    replicas: i32(1, true),
    selector: strMap(2),
    template: msg(3, 'core.PodTemplateSpec'),
    minReadySeconds: i32(4),
  },
  ReplicationControllerStatus: {
    replicas: i32(1, true),
    fullyLabeledReplicas: i32(2),
    observedGeneration: i64(3),
    readyReplicas: i32(4),
    availableReplicas: i32(5),
  },
};

/** `k8s.io.api.core.v1` (the subset Skiff decodes). */
export const core: PackageDef = { ...kinds, ...pods, ...podExtras, ...scheduling };
