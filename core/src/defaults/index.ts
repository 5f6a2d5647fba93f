/**
 * Built-in admission: Kubernetes' defaulting ({@link kubernetesDefaults}) and the workload
 * validation controllers rely on ({@link workloadValidation}), as ordinary plugins.
 */
export { builtinAdmission, DEFAULTED_KINDS, kubernetesDefaults, workloadValidation, type BuiltinAdmissionOptions } from './plugin.js';
export { IMMORTAL_NAMESPACES, NAMESPACE_FINALIZER, namespaceLifecycle, namespaceSpecFinalizers } from './namespace-lifecycle.js';
export {
  addDefaultTolerations,
  DEFAULT_TOLERATION_SECONDS,
  defaultTolerationSeconds,
  TAINT_NODE_NOT_READY,
  TAINT_NODE_UNREACHABLE,
  type DefaultTolerationSecondsOptions,
} from './default-toleration-seconds.js';
export { DEFAULT_VOLUME_MODE, defaultPod, defaultPodSpec, defaultPodTemplate, imagePullPolicyFor, type PodSpecDefaultingOptions } from './pod-defaults.js';
export { defaultDaemonSet, defaultDeployment, defaultJob, defaultReplicaSet, defaultReplicationController, generateJobSelector, JOB_LABELS } from './workload-defaults.js';
export { DEFAULT_CLIENT_IP_TIMEOUT_SECONDS, defaultEndpoints, defaultSecret, defaultService } from './service-defaults.js';
export { VALIDATED_WORKLOAD_KINDS, validateWorkload } from './workload-validation.js';
export { podGracefulDeletion, podGracePeriod, DEFAULT_POD_GRACE_SECONDS } from './pod-deletion.js';
