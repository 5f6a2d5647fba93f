import type { Endpoints, Secret, Service } from '../generated/types.js';
import type { KubeObject } from '../objects/types.js';
import { isObj, unset } from './util.js';

/**
 * Service, Secret and Endpoints defaulting, after Kubernetes' `pkg/apis/core/v1/defaults.go`
 * (1.32) and the `ipFamilyPolicy` the Service REST storage sets. Each function changes its argument
 * in place, fills only absent fields and is idempotent. ClusterIP and node port allocation
 * (`clusterIP`, `clusterIPs`, `ipFamilies`, `nodePort`) are not defaulting and are not done here.
 */



/** Kubernetes' default `sessionAffinityConfig.clientIP.timeoutSeconds` (3 hours). */
export const DEFAULT_CLIENT_IP_TIMEOUT_SECONDS = 10800;

/**
 * `SetDefaults_Service`: `type: ClusterIP`; `sessionAffinity: None` (with `ClientIP`, a 10800 s
 * timeout where missing); each port `protocol: TCP` and `targetPort` = `port` when absent, 0 or
 * `''`; `externalTrafficPolicy: Cluster` for NodePort and LoadBalancer services (and ClusterIP ones
 * with external IPs); `internalTrafficPolicy: Cluster` except for ExternalName;
 * `allocateLoadBalancerNodePorts: true` for LoadBalancer. Then `ipFamilyPolicy` as the REST storage
 * sets it: `SingleStack`, or `RequireDualStack` for a headless service without a selector, none for
 * ExternalName.
 */
export function defaultService(obj: KubeObject): void {
  const spec = (obj as unknown as Service).spec;
  if (!isObj(spec)) return;
  if (unset(spec.sessionAffinity)) spec.sessionAffinity = 'None';
  if (spec.sessionAffinity === 'ClientIP') {
    if (!isObj(spec.sessionAffinityConfig)) spec.sessionAffinityConfig = {};
    if (!isObj(spec.sessionAffinityConfig.clientIP)) spec.sessionAffinityConfig.clientIP = {};
    const clientIP = spec.sessionAffinityConfig.clientIP;
    if (unset(clientIP.timeoutSeconds)) clientIP.timeoutSeconds = DEFAULT_CLIENT_IP_TIMEOUT_SECONDS;
  }
  if (unset(spec.type)) spec.type = 'ClusterIP';
  for (const port of spec.ports ?? []) {
    if (!isObj(port)) continue;
    if (unset(port.protocol)) port.protocol = 'TCP';
    if (unset(port.targetPort) || port.targetPort === 0) port.targetPort = port.port;
  }
  const externallyAccessible =
    spec.type === 'NodePort' || spec.type === 'LoadBalancer' || (spec.type === 'ClusterIP' && (spec.externalIPs ?? []).length > 0);
  if (externallyAccessible && unset(spec.externalTrafficPolicy)) spec.externalTrafficPolicy = 'Cluster';
  if (spec.type !== 'ExternalName' && unset(spec.internalTrafficPolicy)) spec.internalTrafficPolicy = 'Cluster';
  if (spec.type === 'LoadBalancer' && unset(spec.allocateLoadBalancerNodePorts)) spec.allocateLoadBalancerNodePorts = true;
  if (spec.type !== 'ExternalName' && unset(spec.ipFamilyPolicy)) {
    const headlessWithoutSelector = spec.clusterIP === 'None' && Object.keys(spec.selector ?? {}).length === 0;
    spec.ipFamilyPolicy = headlessWithoutSelector ? 'RequireDualStack' : 'SingleStack';
  }
}

/** `SetDefaults_Secret`: `type: Opaque`. */
export function defaultSecret(obj: KubeObject): void {
  const secret = obj as unknown as Secret;
  if (unset(secret.type)) secret.type = 'Opaque';
}

/** `SetDefaults_Endpoints`: each subset port `protocol: TCP`. */
export function defaultEndpoints(obj: KubeObject): void {
  for (const subset of (obj as unknown as Endpoints).subsets ?? []) {
    if (!isObj(subset)) continue;
    for (const port of subset.ports ?? []) if (isObj(port) && unset(port.protocol)) port.protocol = 'TCP';
  }
}
