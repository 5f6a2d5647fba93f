import { isDeepStrictEqual } from 'node:util';
import type { PodTemplateSpec } from '../generated/types.js';
import type { AdmissionRequest } from '../kernel/hooks.js';
import { selectorFromLabelSelector, selectorFromSet, type LabelSelectorLike, type Selector } from '../labels/index.js';
import type { KubeObject } from '../objects/types.js';
import { render } from '../schema/paths.js';
import type { StatusCause } from '../schema/types.js';
import { JOB_LABELS } from './workload-defaults.js';
import { isObj, type Obj, unset } from './util.js';

/**
 * Workload validation, after Kubernetes' `pkg/apis/apps/validation` and `pkg/apis/batch/validation`
 * (1.32): the rules the ReplicaSet, Deployment, DaemonSet, Job and ReplicationController controllers
 * rely on. Each function returns one cause per problem (Kubernetes' field paths and reasons) and an
 * empty list for a valid object; none changes the object.
 */

/** The kinds {@link validateWorkload} judges. */
export const VALIDATED_WORKLOAD_KINDS = ['ReplicaSet', 'Deployment', 'DaemonSet', 'Job', 'ReplicationController'] as const;

const required = (field: string, detail = ''): StatusCause => ({ field, reason: 'FieldValueRequired', message: detail ? `Required value: ${detail}` : 'Required value' });
const invalid = (field: string, value: unknown, detail: string): StatusCause => ({ field, reason: 'FieldValueInvalid', message: `Invalid value: ${render(value)}: ${detail}` });
const notSupported = (field: string, value: unknown, supported: string[]): StatusCause => ({
  field,
  reason: 'FieldValueNotSupported',
  message: `Unsupported value: ${render(value)}: supported values: ${supported.map((v) => render(v)).join(', ')}`,
});
const forbidden = (field: string, detail: string): StatusCause => ({ field, reason: 'FieldValueForbidden', message: `Forbidden: ${detail}` });

const SELECTOR_MISMATCH = '`selector` does not match template `labels`';

function nonNegative(causes: StatusCause[], field: string, value: unknown): void {
  if (typeof value === 'number' && value < 0) causes.push(invalid(field, value, 'must be greater than or equal to 0'));
}

function templateLabels(template: PodTemplateSpec | undefined): Record<string, string> {
  return (isObj(template) && isObj(template.metadata) && isObj(template.metadata.labels) ? template.metadata.labels : {}) as Record<string, string>;
}

/** `metav1.LabelSelectorAsSelector`, or a cause at `field` when the selector is malformed. */
function labelSelector(causes: StatusCause[], field: string, selector: unknown): Selector | undefined {
  try {
    return selectorFromLabelSelector(selector as LabelSelectorLike);
  } catch (err) {
    causes.push(invalid(field, selector, `invalid label selector: ${(err as Error).message}`));
    return undefined;
  }
}

function isEmptyLabelSelector(selector: Obj): boolean {
  const labels = isObj(selector['matchLabels']) ? Object.keys(selector['matchLabels']).length : 0;
  const expressions = Array.isArray(selector['matchExpressions']) ? selector['matchExpressions'].length : 0;
  return labels + expressions === 0;
}

/** A selector with empty parts dropped, so `{}` and `{ matchLabels: {} }` compare equal (Kubernetes' semantic equality). */
function normalizedSelector(selector: unknown): unknown {
  if (!isObj(selector)) return selector ?? null;
  const out: Obj = {};
  if (isObj(selector['matchLabels']) && Object.keys(selector['matchLabels']).length > 0) out['matchLabels'] = selector['matchLabels'];
  if (Array.isArray(selector['matchExpressions']) && selector['matchExpressions'].length > 0) out['matchExpressions'] = selector['matchExpressions'];
  return out;
}

function immutableSelector(causes: StatusCause[], spec: Obj, request: AdmissionRequest): void {
  if (request.operation !== 'UPDATE' || !request.oldObject) return;
  const oldSpec = request.oldObject['spec'];
  const oldSelector = isObj(oldSpec) ? oldSpec['selector'] : undefined;
  if (!isDeepStrictEqual(normalizedSelector(spec['selector']), normalizedSelector(oldSelector))) {
    causes.push(invalid('spec.selector', spec['selector'], 'field is immutable'));
  }
}

/**
 * The pod template rules of a controller that keeps pods running (`ValidatePodTemplateSpecForReplicaSet`
 * and `ValidatePodTemplateSpecForRC`): a template is required; a non-empty selector must match its
 * labels; `restartPolicy` must be `Always` (absent counts as `Always`, its default); no
 * `activeDeadlineSeconds`.
 */
function alwaysRunningTemplate(causes: StatusCause[], template: unknown, selector: Selector | undefined, kind: string): void {
  if (!isObj(template)) {
    causes.push(required('spec.template'));
    return;
  }
  const labels = templateLabels(template as PodTemplateSpec);
  if (selector && !selector.empty() && !selector.matches(labels)) causes.push(invalid('spec.template.metadata.labels', labels, SELECTOR_MISMATCH));
  const podSpec = template['spec'];
  if (!isObj(podSpec)) return;
  const restartPolicy = podSpec['restartPolicy'];
  if (!unset(restartPolicy) && restartPolicy !== 'Always') causes.push(notSupported('spec.template.spec.restartPolicy', restartPolicy, ['Always']));
  if (podSpec['activeDeadlineSeconds'] !== undefined && podSpec['activeDeadlineSeconds'] !== null) {
    causes.push(
      kind === 'DaemonSet'
        ? invalid('spec.template.spec.activeDeadlineSeconds', podSpec['activeDeadlineSeconds'], 'activeDeadlineSeconds must be nil for daemonset')
        : forbidden('spec.template.spec.activeDeadlineSeconds', `activeDeadlineSeconds in ${kind} is not Supported`),
    );
  }
}

/** `getIntOrPercentValue`: the number, or the number before `%`; anything else counts as 0. */
function intOrPercentValue(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'string') {
    const match = /^(-?\d+)%$/.exec(value) ?? /^(-?\d+)$/.exec(value);
    if (match) return Number(match[1]);
  }
  return 0;
}

/** `ValidatePositiveIntOrPercent` and, when `max100`, `IsNotMoreThan100Percent`. */
function intOrPercent(causes: StatusCause[], field: string, value: unknown, max100: boolean): void {
  if (value === undefined || value === null) return;
  if (typeof value === 'string') {
    const match = /^(-?\d+)%$/.exec(value);
    if (!match) {
      causes.push(invalid(field, value, "must be an integer or percentage (e.g '5%')"));
      return;
    }
    const percent = Number(match[1]);
    if (percent < 0) causes.push(invalid(field, value, 'must be greater than or equal to 0'));
    if (max100 && percent > 100) causes.push(invalid(field, value, 'must not be greater than 100%'));
  } else if (typeof value === 'number' && value < 0) {
    causes.push(invalid(field, value, 'must be greater than or equal to 0'));
  }
}

/** `ValidateReplicaSetSpec` / `ValidateDeploymentSpec` selector rules: required, non-empty, well formed. */
function appsSelector(causes: StatusCause[], spec: Obj): Selector | undefined {
  const selector = spec['selector'];
  if (!isObj(selector)) {
    causes.push(required('spec.selector'));
    return undefined;
  }
  if (isEmptyLabelSelector(selector)) causes.push(invalid('spec.selector', selector, 'empty selector is invalid for deployment'));
  return labelSelector(causes, 'spec.selector', selector);
}

/** Kubernetes' `ValidateDeployment` (and `ValidateDeploymentUpdate`'s selector immutability, apps/v1). */
export function validateDeployment(obj: KubeObject, request: AdmissionRequest): StatusCause[] {
  const causes: StatusCause[] = [];
  const spec = obj['spec'];
  if (!isObj(spec)) return [required('spec')];
  nonNegative(causes, 'spec.replicas', spec['replicas']);
  const selector = appsSelector(causes, spec);
  alwaysRunningTemplate(causes, spec['template'], selector, 'Deployment');
  const strategy = spec['strategy'];
  if (isObj(strategy)) {
    const rollingUpdate = strategy['rollingUpdate'];
    if (strategy['type'] === 'Recreate' && rollingUpdate !== undefined && rollingUpdate !== null) {
      causes.push(forbidden('spec.strategy.rollingUpdate', "may not be specified when strategy `type` is 'Recreate'"));
    } else if (isObj(rollingUpdate)) {
      const field = 'spec.strategy.rollingUpdate';
      intOrPercent(causes, `${field}.maxUnavailable`, rollingUpdate['maxUnavailable'], true);
      intOrPercent(causes, `${field}.maxSurge`, rollingUpdate['maxSurge'], false);
      if (intOrPercentValue(rollingUpdate['maxUnavailable']) === 0 && intOrPercentValue(rollingUpdate['maxSurge']) === 0) {
        causes.push(invalid(`${field}.maxUnavailable`, rollingUpdate['maxUnavailable'], 'may not be 0 when `maxSurge` is 0'));
      }
    }
  }
  nonNegative(causes, 'spec.revisionHistoryLimit', spec['revisionHistoryLimit']);
  nonNegative(causes, 'spec.minReadySeconds', spec['minReadySeconds']);
  nonNegative(causes, 'spec.progressDeadlineSeconds', spec['progressDeadlineSeconds']);
  const deadline = spec['progressDeadlineSeconds'];
  const minReady = spec['minReadySeconds'];
  if (typeof deadline === 'number' && typeof minReady === 'number' && deadline <= minReady) {
    causes.push(invalid('spec.progressDeadlineSeconds', deadline, 'must be greater than minReadySeconds'));
  }
  immutableSelector(causes, spec, request);
  return causes;
}

/** Kubernetes' `ValidateReplicaSet` (and the selector immutability of apps/v1 updates). */
export function validateReplicaSet(obj: KubeObject, request: AdmissionRequest): StatusCause[] {
  const causes: StatusCause[] = [];
  const spec = obj['spec'];
  if (!isObj(spec)) return [required('spec')];
  nonNegative(causes, 'spec.replicas', spec['replicas']);
  nonNegative(causes, 'spec.minReadySeconds', spec['minReadySeconds']);
  const selector = appsSelector(causes, spec);
  alwaysRunningTemplate(causes, spec['template'], selector, 'ReplicaSet');
  immutableSelector(causes, spec, request);
  return causes;
}

/** Kubernetes' `ValidateDaemonSet` (and the selector immutability of apps/v1 updates). */
export function validateDaemonSet(obj: KubeObject, request: AdmissionRequest): StatusCause[] {
  const causes: StatusCause[] = [];
  const spec = obj['spec'];
  if (!isObj(spec)) return [required('spec')];
  const rawSelector = spec['selector'];
  let selector: Selector | undefined;
  if (!isObj(rawSelector)) {
    causes.push(required('spec.selector'));
  } else {
    selector = labelSelector(causes, 'spec.selector', rawSelector);
    if (isEmptyLabelSelector(rawSelector)) causes.push(invalid('spec.selector', rawSelector, 'empty selector is invalid for daemonset'));
  }
  alwaysRunningTemplate(causes, spec['template'], selector, 'DaemonSet');
  nonNegative(causes, 'spec.minReadySeconds', spec['minReadySeconds']);
  nonNegative(causes, 'spec.revisionHistoryLimit', spec['revisionHistoryLimit']);
  const strategy = spec['updateStrategy'];
  const rollingUpdate = isObj(strategy) && strategy['type'] !== 'OnDelete' ? strategy['rollingUpdate'] : undefined;
  if (isObj(rollingUpdate)) {
    const field = 'spec.updateStrategy.rollingUpdate';
    intOrPercent(causes, `${field}.maxUnavailable`, rollingUpdate['maxUnavailable'], true);
    intOrPercent(causes, `${field}.maxSurge`, rollingUpdate['maxSurge'], true);
    const hasUnavailable = intOrPercentValue(rollingUpdate['maxUnavailable']) !== 0;
    const hasSurge = intOrPercentValue(rollingUpdate['maxSurge']) !== 0;
    if (hasUnavailable && hasSurge) causes.push(invalid(`${field}.maxSurge`, rollingUpdate['maxSurge'], 'may not be set when maxUnavailable is non-zero'));
    if (!hasUnavailable && !hasSurge) causes.push(required(`${field}.maxUnavailable`, 'cannot be 0 when maxSurge is 0'));
  }
  immutableSelector(causes, spec, request);
  return causes;
}

/** Kubernetes' `ValidateReplicationController` (its selector is a plain map and may change). */
export function validateReplicationController(obj: KubeObject, _request: AdmissionRequest): StatusCause[] {
  const causes: StatusCause[] = [];
  const spec = obj['spec'];
  if (!isObj(spec)) return [required('spec')];
  nonNegative(causes, 'spec.replicas', spec['replicas']);
  nonNegative(causes, 'spec.minReadySeconds', spec['minReadySeconds']);
  const rawSelector = spec['selector'];
  let selector: Selector | undefined;
  if (!isObj(rawSelector) || Object.keys(rawSelector).length === 0) {
    causes.push(required('spec.selector'));
  } else {
    try {
      selector = selectorFromSet(rawSelector as Record<string, string>);
    } catch (err) {
      causes.push(invalid('spec.selector', rawSelector, `invalid label selector: ${(err as Error).message}`));
    }
  }
  alwaysRunningTemplate(causes, spec['template'], selector, 'ReplicationController');
  return causes;
}

/**
 * Kubernetes' `ValidateJob`: a selector is required and must match the template labels; without
 * `manualSelector: true` it must select the Job's own `batch.kubernetes.io/controller-uid`; the
 * template's `restartPolicy` must be `OnFailure` or `Never`; counts are non-negative; the selector
 * cannot change on UPDATE.
 */
export function validateJob(obj: KubeObject, request: AdmissionRequest): StatusCause[] {
  const causes: StatusCause[] = [];
  const spec = obj['spec'];
  if (!isObj(spec)) return [required('spec')];
  nonNegative(causes, 'spec.parallelism', spec['parallelism']);
  nonNegative(causes, 'spec.completions', spec['completions']);
  nonNegative(causes, 'spec.backoffLimit', spec['backoffLimit']);
  nonNegative(causes, 'spec.activeDeadlineSeconds', spec['activeDeadlineSeconds']);
  nonNegative(causes, 'spec.ttlSecondsAfterFinished', spec['ttlSecondsAfterFinished']);
  const rawSelector = spec['selector'];
  const template = spec['template'];
  if (!isObj(rawSelector)) {
    causes.push(required('spec.selector'));
  } else {
    const selector = labelSelector(causes, 'spec.selector', rawSelector);
    if (selector && !selector.matches(templateLabels(template as PodTemplateSpec))) {
      causes.push(invalid('spec.template.metadata.labels', templateLabels(template as PodTemplateSpec), SELECTOR_MISMATCH));
    }
    const uid = obj.metadata.uid;
    if (selector && spec['manualSelector'] !== true && uid && !selector.matches({ [JOB_LABELS.controllerUid]: uid })) {
      causes.push(invalid('spec.selector', rawSelector, '`selector` not auto-generated'));
    }
  }
  if (!isObj(template)) {
    causes.push(required('spec.template'));
  } else {
    const podSpec = template['spec'];
    const restartPolicy = isObj(podSpec) ? podSpec['restartPolicy'] : undefined;
    if (unset(restartPolicy)) causes.push(required('spec.template.spec.restartPolicy'));
    else if (restartPolicy !== 'OnFailure' && restartPolicy !== 'Never') {
      causes.push(notSupported('spec.template.spec.restartPolicy', restartPolicy, ['OnFailure', 'Never']));
    }
  }
  immutableSelector(causes, spec, request);
  return causes;
}

const VALIDATORS: Readonly<Record<string, (obj: KubeObject, request: AdmissionRequest) => StatusCause[]>> = {
  Deployment: validateDeployment,
  ReplicaSet: validateReplicaSet,
  DaemonSet: validateDaemonSet,
  ReplicationController: validateReplicationController,
  Job: validateJob,
};

/**
 * The causes for one workload write (CREATE or UPDATE of the main resource): empty when valid, or
 * when the kind is not one of {@link VALIDATED_WORKLOAD_KINDS}.
 */
export function validateWorkload(obj: KubeObject, request: AdmissionRequest): StatusCause[] {
  const validator = VALIDATORS[obj.kind];
  return validator ? validator(obj, request) : [];
}
