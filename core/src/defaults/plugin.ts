import { definePlugin, type Plugin } from '../kernel/plugin.js';
import { AdmissionStage, type AdmissionRequest } from '../kernel/hooks.js';
import type { KubeObject } from '../objects/types.js';
import { errors as apiErrors } from '../api/status.js';
import { podGracefulDeletion } from './pod-deletion.js';
import { defaultTolerationSeconds, type DefaultTolerationSecondsOptions } from './default-toleration-seconds.js';
import { namespaceLifecycle } from './namespace-lifecycle.js';
import { defaultPod, defaultPodTemplate } from './pod-defaults.js';
import { defaultDaemonSet, defaultDeployment, defaultJob, defaultReplicaSet, defaultReplicationController } from './workload-defaults.js';
import { defaultEndpoints, defaultSecret, defaultService } from './service-defaults.js';
import { VALIDATED_WORKLOAD_KINDS, validateWorkload } from './workload-validation.js';

type Defaulter = (obj: KubeObject, operation: 'CREATE' | 'UPDATE') => void;

/** What {@link kubernetesDefaults} fills in, by kind. */
const DEFAULTERS: Readonly<Record<string, Defaulter>> = {
  Pod: (obj) => defaultPod(obj as { spec?: never }),
  PodTemplate: (obj) => defaultPodTemplate(obj['template'] as never),
  ReplicationController: defaultReplicationController,
  ReplicaSet: defaultReplicaSet,
  Deployment: defaultDeployment,
  DaemonSet: defaultDaemonSet,
  Job: defaultJob,
  Service: defaultService,
  Secret: defaultSecret,
  Endpoints: defaultEndpoints,
};

/** The kinds {@link kubernetesDefaults} taps. */
export const DEFAULTED_KINDS: readonly string[] = Object.freeze(Object.keys(DEFAULTERS));

/**
 * Kubernetes' API defaulting (`pkg/apis/{core,apps,batch}/v1/defaults.go`, 1.32) as a mutating
 * admission tap at `AdmissionStage.DEFAULTING` for each of {@link DEFAULTED_KINDS}.
 *
 * Contract: runs on CREATE and UPDATE of the main resource (status writes are left alone); fills in
 * only fields that are absent, never changing a value the request set; is idempotent, so an UPDATE
 * that sends back what it read stores nothing new; returns a changed copy and never mutates the
 * object it was given. On CREATE a Job without `manualSelector: true` also gets its generated
 * selector and pod labels (the uid is set before admission runs). Taps at later stages see the
 * defaulted object; schema validation and validating admission judge it.
 */
export const kubernetesDefaults = definePlugin({
  name: 'KubernetesDefaults',
  core: '^0.1.0',
  apply(cluster) {
    for (const [kind, defaulter] of Object.entries(DEFAULTERS)) {
      cluster.hooks.mutatingAdmission.for(kind).tap({ name: 'KubernetesDefaults', stage: AdmissionStage.DEFAULTING }, (obj: KubeObject, request: AdmissionRequest) => {
        if (request.operation === 'DELETE' || request.subresource) return obj;
        const copy = structuredClone(obj);
        defaulter(copy, request.operation);
        return copy;
      });
    }
  },
});

/**
 * Kubernetes' workload validation as a validating admission tap for each of
 * `VALIDATED_WORKLOAD_KINDS` (ReplicaSet, Deployment, DaemonSet, Job, ReplicationController).
 *
 * Contract: on CREATE and UPDATE of the main resource, refuses an object the controllers could not
 * act on with a 422 `Invalid` Status (`apiErrors.invalid`) carrying one cause per problem, with
 * Kubernetes' field paths and reasons; nothing is written. Rules: a selector is required, not empty
 * (apps kinds) and must match `spec.template.metadata.labels`; replica and other counts are not
 * negative; a RollingUpdate cannot have both maxUnavailable and maxSurge at 0; templates restart
 * `Always` (Jobs: `OnFailure` or `Never`); selectors of Deployments, ReplicaSets, DaemonSets and
 * Jobs cannot change. DELETE and status writes are not judged; the object is never changed.
 */
export const workloadValidation = definePlugin({
  name: 'WorkloadValidation',
  core: '^0.1.0',
  apply(cluster) {
    for (const kind of VALIDATED_WORKLOAD_KINDS) {
      cluster.hooks.validatingAdmission.for(kind).tap({ name: 'WorkloadValidation', stage: AdmissionStage.POLICY }, (obj: KubeObject, request: AdmissionRequest) => {
        if (request.operation === 'DELETE' || request.subresource) return;
        const causes = validateWorkload(obj, request);
        if (causes.length > 0) {
          throw apiErrors.invalid({ group: request.group, kind: request.kind, resource: request.resource, ...(obj.metadata.name ? { name: obj.metadata.name } : {}) }, causes);
        }
      });
    }
  },
});

/** Options of {@link builtinAdmission}. */
export interface BuiltinAdmissionOptions {
  /** Options of the DefaultTolerationSeconds plugin (how long pods tolerate a not-ready or unreachable node). */
  defaultTolerationSeconds?: DefaultTolerationSecondsOptions;
}

/**
 * The built-in request policies in the order they belong in a distribution: defaults, then
 * validation, then pods' graceful deletion, then the namespace lifecycle (finalizer, immortal
 * namespaces) and the pods' default not-ready/unreachable tolerations.
 */
export function builtinAdmission(options: BuiltinAdmissionOptions = {}): Plugin<unknown>[] {
  return [kubernetesDefaults(), workloadValidation(), podGracefulDeletion(), namespaceLifecycle(), defaultTolerationSeconds(options.defaultTolerationSeconds ?? {})] as Plugin<unknown>[];
}
