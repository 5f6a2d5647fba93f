/**
 * Built-in admission: Kubernetes' defaulting ({@link kubernetesDefaults}) and the workload
 * validation controllers rely on ({@link workloadValidation}), as ordinary plugins.
 */
export { builtinAdmission, DEFAULTED_KINDS, kubernetesDefaults, workloadValidation } from './plugin.js';
export { DEFAULT_VOLUME_MODE, defaultPod, defaultPodSpec, defaultPodTemplate, imagePullPolicyFor, type PodSpecDefaultingOptions } from './pod-defaults.js';
export { defaultDaemonSet, defaultDeployment, defaultJob, defaultReplicaSet, defaultReplicationController, generateJobSelector, JOB_LABELS } from './workload-defaults.js';
export { DEFAULT_CLIENT_IP_TIMEOUT_SECONDS, defaultEndpoints, defaultSecret, defaultService } from './service-defaults.js';
export { VALIDATED_WORKLOAD_KINDS, validateWorkload } from './workload-validation.js';
export { podGracefulDeletion, podGracePeriod, DEFAULT_POD_GRACE_SECONDS } from './pod-deletion.js';
