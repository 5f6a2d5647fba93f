/**
 * core/v1 messages that hang off PodSpec and Container (probes, lifecycle hooks, security
 * contexts, env sources, projected volumes, container states), with field numbers matching
 * Kubernetes' `k8s.io/api/core/v1/generated.proto`.
 */
import { bool, i32, i64, inline, intOrString, list, msg, quantity, str, strs, time, type PackageDef } from '../fields.js';

const keyToPathSource = {
  localObjectReference: inline(1, 'core.LocalObjectReference'),
  items: list(2, 'core.KeyToPath'),
  optional: bool(4, true),
};

/** Probes and lifecycle hooks. */
const handlers: PackageDef = {
  Probe: {
    handler: inline(1, 'core.ProbeHandler'),
    initialDelaySeconds: i32(2),
    timeoutSeconds: i32(3),
    periodSeconds: i32(4),
    successThreshold: i32(5),
    failureThreshold: i32(6),
    terminationGracePeriodSeconds: i64(7, true),
  },
  ProbeHandler: {
    exec: msg(1, 'core.ExecAction'),
    httpGet: msg(2, 'core.HTTPGetAction'),
    tcpSocket: msg(3, 'core.TCPSocketAction'),
    grpc: msg(4, 'core.GRPCAction'),
  },
  ExecAction: { command: strs(1) },
  HTTPGetAction: { path: str(1), port: intOrString(2), host: str(3), scheme: str(4), httpHeaders: list(5, 'core.HTTPHeader') },
  HTTPHeader: { name: str(1, true), value: str(2, true) },
  TCPSocketAction: { port: intOrString(1), host: str(2) },
  GRPCAction: { port: i32(1, true), service: str(2, true) },
  Lifecycle: { postStart: msg(1, 'core.LifecycleHandler'), preStop: msg(2, 'core.LifecycleHandler') },
  LifecycleHandler: {
    exec: msg(1, 'core.ExecAction'),
    httpGet: msg(2, 'core.HTTPGetAction'),
    tcpSocket: msg(3, 'core.TCPSocketAction'),
    sleep: msg(4, 'core.SleepAction'),
  },
  SleepAction: { seconds: i64(1, true) },
};

/** Security contexts. */
const security: PackageDef = {
  SecurityContext: {
    capabilities: msg(1, 'core.Capabilities'),
    privileged: bool(2, true),
    seLinuxOptions: msg(3, 'core.SELinuxOptions'),
    runAsUser: i64(4, true),
    runAsNonRoot: bool(5, true),
    readOnlyRootFilesystem: bool(6, true),
    allowPrivilegeEscalation: bool(7, true),
    runAsGroup: i64(8, true),
    procMount: str(9, true),
    seccompProfile: msg(11, 'core.SeccompProfile'),
  },
  Capabilities: { add: strs(1), drop: strs(2) },
  SELinuxOptions: { user: str(1), role: str(2), type: str(3), level: str(4) },
  SeccompProfile: { type: str(1, true), localhostProfile: str(2, true) },
  Sysctl: { name: str(1, true), value: str(2, true) },
};

/** Environment sources. */
const env: PackageDef = {
  EnvFromSource: { prefix: str(1), configMapRef: msg(2, 'core.ConfigMapEnvSource'), secretRef: msg(3, 'core.SecretEnvSource') },
  ConfigMapEnvSource: { localObjectReference: inline(1, 'core.LocalObjectReference'), optional: bool(2, true) },
  SecretEnvSource: { localObjectReference: inline(1, 'core.LocalObjectReference'), optional: bool(2, true) },
  ResourceFieldSelector: { containerName: str(1), resource: str(2, true), divisor: quantity(3) },
};

/** Downward API and projected volumes (the service-account token volume is a projected one). */
const volumes: PackageDef = {
  DownwardAPIVolumeSource: { items: list(1, 'core.DownwardAPIVolumeFile'), defaultMode: i32(2, true) },
  DownwardAPIVolumeFile: {
    path: str(1, true),
    fieldRef: msg(2, 'core.ObjectFieldSelector'),
    resourceFieldRef: msg(3, 'core.ResourceFieldSelector'),
    mode: i32(4, true),
  },
  ProjectedVolumeSource: { sources: list(1, 'core.VolumeProjection'), defaultMode: i32(2, true) },
  VolumeProjection: {
    secret: msg(1, 'core.SecretProjection'),
    downwardAPI: msg(2, 'core.DownwardAPIProjection'),
    configMap: msg(3, 'core.ConfigMapProjection'),
    serviceAccountToken: msg(4, 'core.ServiceAccountTokenProjection'),
  },
  SecretProjection: keyToPathSource,
  ConfigMapProjection: keyToPathSource,
  DownwardAPIProjection: { items: list(1, 'core.DownwardAPIVolumeFile') },
  ServiceAccountTokenProjection: { audience: str(1), expirationSeconds: i64(2, true), path: str(3, true) },
};

/** Pod-level extras and container states. */
const misc: PackageDef = {
  HostAlias: { ip: str(1, true), hostnames: strs(2) },
  PodDNSConfig: { nameservers: strs(1), searches: strs(2), options: list(3, 'core.PodDNSConfigOption') },
  PodDNSConfigOption: { name: str(1), value: str(2, true) },
  PodReadinessGate: { conditionType: str(1, true) },
  PodOS: { name: str(1, true) },
  PodSchedulingGate: { name: str(1, true) },
  HostIP: { ip: str(1, true) },
  ContainerState: {
    waiting: msg(1, 'core.ContainerStateWaiting'),
    running: msg(2, 'core.ContainerStateRunning'),
    terminated: msg(3, 'core.ContainerStateTerminated'),
  },
  ContainerStateWaiting: { reason: str(1), message: str(2) },
  ContainerStateRunning: { startedAt: time(1) },
  ContainerStateTerminated: {
    exitCode: i32(1, true),
    signal: i32(2),
    reason: str(3),
    message: str(4),
    startedAt: time(5),
    finishedAt: time(6),
    containerID: str(7),
  },
};

/** The PodSpec/Container satellite messages of `k8s.io.api.core.v1`. */
export const podExtras: PackageDef = { ...handlers, ...security, ...env, ...volumes, ...misc };
