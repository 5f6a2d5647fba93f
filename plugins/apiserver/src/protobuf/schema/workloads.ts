/**
 * Skiff's own descriptions of `apps/v1` and `batch/v1` messages, with field numbers matching
 * Kubernetes' `generated.proto` for those groups.
 */
import { bool, i32, i64, intOrString, list, msg, objectMeta, str, time, type PackageDef } from '../fields.js';

/** Condition shape shared by Deployment, ReplicaSet and DaemonSet (`lastUpdateTime` only on Deployment). */
const workloadCondition = {
  type: str(1, true),
  status: str(2, true),
  lastTransitionTime: time(3),
  reason: str(4),
  message: str(5),
};

/** `k8s.io.api.apps.v1` (the subset Skiff decodes). */
export const apps: PackageDef = {
  Deployment: { metadata: objectMeta(), spec: msg(2, 'apps.DeploymentSpec'), status: msg(3, 'apps.DeploymentStatus') },
  DeploymentSpec: {
    replicas: i32(1, true),
    selector: msg(2, 'meta.LabelSelector'),
    template: msg(3, 'core.PodTemplateSpec'),
    strategy: msg(4, 'apps.DeploymentStrategy'),
    minReadySeconds: i32(5),
    revisionHistoryLimit: i32(6, true),
    paused: bool(7),
    progressDeadlineSeconds: i32(9, true),
  },
  DeploymentStrategy: { type: str(1), rollingUpdate: msg(2, 'apps.RollingUpdateDeployment') },
  RollingUpdateDeployment: { maxUnavailable: intOrString(1), maxSurge: intOrString(2) },
  DeploymentStatus: {
    observedGeneration: i64(1),
    replicas: i32(2),
    updatedReplicas: i32(3),
    availableReplicas: i32(4),
    unavailableReplicas: i32(5),
    conditions: list(6, 'apps.DeploymentCondition'),
    readyReplicas: i32(7),
    collisionCount: i32(8, true),
    terminatingReplicas: i32(9, true),
  },
  DeploymentCondition: {
    type: str(1, true),
    status: str(2, true),
    reason: str(4),
    message: str(5),
    lastUpdateTime: time(6),
    lastTransitionTime: time(7),
  },
  ReplicaSet: { metadata: objectMeta(), spec: msg(2, 'apps.ReplicaSetSpec'), status: msg(3, 'apps.ReplicaSetStatus') },
  ReplicaSetSpec: {
    replicas: i32(1, true),
    selector: msg(2, 'meta.LabelSelector'),
    template: msg(3, 'core.PodTemplateSpec'),
    minReadySeconds: i32(4),
  },
  ReplicaSetStatus: {
    replicas: i32(1, true),
    fullyLabeledReplicas: i32(2),
    observedGeneration: i64(3),
    readyReplicas: i32(4),
    availableReplicas: i32(5),
    conditions: list(6, 'apps.ReplicaSetCondition'),
    terminatingReplicas: i32(7, true),
  },
  ReplicaSetCondition: workloadCondition,
  DaemonSet: { metadata: objectMeta(), spec: msg(2, 'apps.DaemonSetSpec'), status: msg(3, 'apps.DaemonSetStatus') },
  DaemonSetSpec: {
    selector: msg(1, 'meta.LabelSelector'),
    template: msg(2, 'core.PodTemplateSpec'),
    updateStrategy: msg(3, 'apps.DaemonSetUpdateStrategy'),
    minReadySeconds: i32(4),
    revisionHistoryLimit: i32(6, true),
  },
  DaemonSetUpdateStrategy: { type: str(1), rollingUpdate: msg(2, 'apps.RollingUpdateDaemonSet') },
  RollingUpdateDaemonSet: { maxUnavailable: intOrString(1), maxSurge: intOrString(2) },
  DaemonSetStatus: {
    currentNumberScheduled: i32(1, true),
    numberMisscheduled: i32(2, true),
    desiredNumberScheduled: i32(3, true),
    numberReady: i32(4, true),
    observedGeneration: i64(5),
    updatedNumberScheduled: i32(6),
    numberAvailable: i32(7),
    numberUnavailable: i32(8),
    collisionCount: i32(9, true),
    conditions: list(10, 'apps.DaemonSetCondition'),
  },
  DaemonSetCondition: workloadCondition,
};

/** `k8s.io.api.batch.v1` (the subset Skiff decodes). */
export const batch: PackageDef = {
  Job: { metadata: objectMeta(), spec: msg(2, 'batch.JobSpec'), status: msg(3, 'batch.JobStatus') },
  JobSpec: {
    parallelism: i32(1, true),
    completions: i32(2, true),
    activeDeadlineSeconds: i64(3, true),
    selector: msg(4, 'meta.LabelSelector'),
    manualSelector: bool(5, true),
    template: msg(6, 'core.PodTemplateSpec'),
    backoffLimit: i32(7, true),
    ttlSecondsAfterFinished: i32(8, true),
    completionMode: str(9, true),
    suspend: bool(10, true),
    backoffLimitPerIndex: i32(12, true),
    maxFailedIndexes: i32(13, true),
    podReplacementPolicy: str(14, true),
    managedBy: str(15, true),
  },
  JobStatus: {
    conditions: list(1, 'batch.JobCondition'),
    startTime: time(2),
    completionTime: time(3),
    active: i32(4),
    succeeded: i32(5),
    failed: i32(6),
    completedIndexes: str(7),
    ready: i32(9, true),
    failedIndexes: str(10, true),
    terminating: i32(11, true),
  },
  JobCondition: {
    type: str(1, true),
    status: str(2, true),
    lastProbeTime: time(3),
    lastTransitionTime: time(4),
    reason: str(5),
    message: str(6),
  },
  JobTemplateSpec: { metadata: objectMeta(), spec: msg(2, 'batch.JobSpec') },
  CronJob: { metadata: objectMeta(), spec: msg(2, 'batch.CronJobSpec'), status: msg(3, 'batch.CronJobStatus') },
  CronJobSpec: {
    schedule: str(1, true),
    startingDeadlineSeconds: i64(2, true),
    concurrencyPolicy: str(3),
    suspend: bool(4, true),
    jobTemplate: msg(5, 'batch.JobTemplateSpec'),
    successfulJobsHistoryLimit: i32(6, true),
    failedJobsHistoryLimit: i32(7, true),
    timeZone: str(8, true),
  },
  CronJobStatus: { active: list(1, 'core.ObjectReference'), lastScheduleTime: time(4), lastSuccessfulTime: time(5) },
};

