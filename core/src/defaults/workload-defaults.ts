import type { DaemonSet, Deployment, Job, ReplicaSet, ReplicationController } from '../generated/types.js';
import type { KubeObject } from '../objects/types.js';
import { defaultPodTemplate } from './pod-defaults.js';
import { isEmptyMap, isObj, type Obj, unset } from './util.js';

/**
 * Workload defaulting, after Kubernetes' `pkg/apis/apps/v1/defaults.go`,
 * `pkg/apis/batch/v1/defaults.go` and `SetDefaults_ReplicationController` (1.32), plus the Job
 * strategy's selector generation. Each function changes its argument in place, fills only absent
 * fields and is idempotent.
 */

/** The labels Kubernetes puts on a Job's pods (and selects them by) when it generates the selector. */
export const JOB_LABELS = {
  controllerUid: 'batch.kubernetes.io/controller-uid',
  jobName: 'batch.kubernetes.io/job-name',
  legacyControllerUid: 'controller-uid',
  legacyJobName: 'job-name',
} as const;




/**
 * `SetDefaults_Deployment`: `replicas: 1`; strategy `type: RollingUpdate` and, for RollingUpdate,
 * `maxUnavailable: '25%'` and `maxSurge: '25%'` where missing; `revisionHistoryLimit: 10`;
 * `progressDeadlineSeconds: 600`; pod template defaults.
 */
export function defaultDeployment(obj: KubeObject): void {
  const spec = (obj as unknown as Deployment).spec;
  if (!isObj(spec)) return;
  if (unset(spec.replicas)) spec.replicas = 1;
  if (!isObj(spec.strategy)) spec.strategy = {};
  const strategy = spec.strategy;
  if (unset(strategy.type)) strategy.type = 'RollingUpdate';
  if (strategy.type === 'RollingUpdate') {
    if (!isObj(strategy.rollingUpdate)) strategy.rollingUpdate = {};
    if (unset(strategy.rollingUpdate.maxUnavailable)) strategy.rollingUpdate.maxUnavailable = '25%';
    if (unset(strategy.rollingUpdate.maxSurge)) strategy.rollingUpdate.maxSurge = '25%';
  }
  if (unset(spec.revisionHistoryLimit)) spec.revisionHistoryLimit = 10;
  if (unset(spec.progressDeadlineSeconds)) spec.progressDeadlineSeconds = 600;
  defaultPodTemplate(spec.template);
}

/** `SetDefaults_ReplicaSet` (apps/v1): `replicas: 1`; pod template defaults. */
export function defaultReplicaSet(obj: KubeObject): void {
  const spec = (obj as unknown as ReplicaSet).spec;
  if (!isObj(spec)) return;
  if (unset(spec.replicas)) spec.replicas = 1;
  defaultPodTemplate(spec.template);
}

/**
 * `SetDefaults_ReplicationController`: with template labels, an empty `spec.selector` and empty
 * `metadata.labels` become copies of them; `replicas: 1`; pod template defaults.
 */
export function defaultReplicationController(obj: KubeObject): void {
  const spec = (obj as unknown as ReplicationController).spec;
  if (!isObj(spec)) return;
  const templateLabels = isObj(spec.template) && isObj(spec.template.metadata) ? spec.template.metadata.labels : undefined;
  if (isObj(templateLabels)) {
    if (isEmptyMap(spec.selector)) spec.selector = { ...templateLabels };
    if (isEmptyMap(obj.metadata.labels)) obj.metadata.labels = { ...templateLabels };
  }
  if (unset(spec.replicas)) spec.replicas = 1;
  defaultPodTemplate(spec.template);
}

/**
 * `SetDefaults_DaemonSet`: update strategy `type: RollingUpdate` and, for RollingUpdate,
 * `maxUnavailable: 1` and `maxSurge: 0` where missing; `revisionHistoryLimit: 10`; pod template
 * defaults.
 */
export function defaultDaemonSet(obj: KubeObject): void {
  const spec = (obj as unknown as DaemonSet).spec;
  if (!isObj(spec)) return;
  if (!isObj(spec.updateStrategy)) spec.updateStrategy = {};
  const strategy = spec.updateStrategy;
  if (unset(strategy.type)) strategy.type = 'RollingUpdate';
  if (strategy.type === 'RollingUpdate') {
    if (!isObj(strategy.rollingUpdate)) strategy.rollingUpdate = {};
    if (unset(strategy.rollingUpdate.maxUnavailable)) strategy.rollingUpdate.maxUnavailable = 1;
    if (unset(strategy.rollingUpdate.maxSurge)) strategy.rollingUpdate.maxSurge = 0;
  }
  if (unset(spec.revisionHistoryLimit)) spec.revisionHistoryLimit = 10;
  defaultPodTemplate(spec.template);
}

/**
 * The Job strategy's `generateSelector`, for a Job without `manualSelector: true` (on CREATE, once
 * the uid is known): adds `batch.kubernetes.io/controller-uid`, `batch.kubernetes.io/job-name`,
 * `controller-uid` and `job-name` to the template labels where absent, and
 * `batch.kubernetes.io/controller-uid: <uid>` to `spec.selector.matchLabels` where absent. Labels
 * the user set are kept; a conflicting one is refused by Job validation.
 */
export function generateJobSelector(obj: KubeObject): void {
  const spec = (obj as unknown as Job).spec;
  if (!isObj(spec) || spec.manualSelector === true) return;
  const uid = obj.metadata.uid ?? '';
  const name = obj.metadata.name ?? '';
  if (!isObj(spec.template)) spec.template = {};
  const template = spec.template;
  if (!isObj(template.metadata)) template.metadata = {};
  if (!isObj(template.metadata.labels)) template.metadata.labels = {};
  const labels = template.metadata.labels;
  const wanted: [string, string][] = [
    [JOB_LABELS.legacyJobName, name],
    [JOB_LABELS.jobName, name],
    [JOB_LABELS.legacyControllerUid, uid],
    [JOB_LABELS.controllerUid, uid],
  ];
  for (const [key, value] of wanted) if (labels[key] === undefined) labels[key] = value;
  if (!isObj(spec.selector)) spec.selector = {};
  if (!isObj(spec.selector.matchLabels)) spec.selector.matchLabels = {};
  if (spec.selector.matchLabels[JOB_LABELS.controllerUid] === undefined) spec.selector.matchLabels[JOB_LABELS.controllerUid] = uid;
}

/**
 * `SetDefaults_Job`: `completions: 1` and `parallelism: 1` when both are unset, else `parallelism:
 * 1` when it alone is unset; `backoffLimit: 6` (2147483647 with `backoffLimitPerIndex`);
 * `completionMode: NonIndexed`; `suspend: false`; `podReplacementPolicy: TerminatingOrFailed`
 * (`Failed` with a `podFailurePolicy`); empty `metadata.labels` become the template labels. On
 * CREATE the selector is generated first ({@link generateJobSelector}). The template's
 * `restartPolicy` is not defaulted (Kubernetes' `Always` would only be refused).
 */
export function defaultJob(obj: KubeObject, operation: 'CREATE' | 'UPDATE'): void {
  const spec = (obj as unknown as Job).spec;
  if (!isObj(spec)) return;
  if (operation === 'CREATE') generateJobSelector(obj);
  if (unset(spec.completions) && unset(spec.parallelism)) {
    spec.completions = 1;
    spec.parallelism = 1;
  }
  if (unset(spec.parallelism)) spec.parallelism = 1;
  if (unset(spec.backoffLimit)) spec.backoffLimit = unset(spec.backoffLimitPerIndex) ? 6 : 2147483647;
  if (unset(spec.completionMode)) spec.completionMode = 'NonIndexed';
  if (unset(spec.suspend)) spec.suspend = false;
  if (unset(spec.podReplacementPolicy)) spec.podReplacementPolicy = isObj((spec as unknown as Obj)['podFailurePolicy']) ? 'Failed' : 'TerminatingOrFailed';
  const templateLabels = isObj(spec.template) && isObj(spec.template.metadata) ? spec.template.metadata.labels : undefined;
  if (isObj(templateLabels) && isEmptyMap(obj.metadata.labels)) obj.metadata.labels = { ...templateLabels };
  defaultPodTemplate(spec.template, { skipRestartPolicy: true });
}
