import { definePlugin } from '../kernel/plugin.js';
import { AdmissionStage, type AdmissionRequest } from '../kernel/hooks.js';
import type { Toleration } from '../generated/types.js';
import type { KubeObject } from '../objects/types.js';
import { isObj } from './util.js';

/** The taint the node lifecycle controller puts on a node whose Ready condition is False. */
export const TAINT_NODE_NOT_READY = 'node.kubernetes.io/not-ready';
/** The taint the node lifecycle controller puts on a node whose Ready condition is Unknown (no heartbeat). */
export const TAINT_NODE_UNREACHABLE = 'node.kubernetes.io/unreachable';
/** Kubernetes' default for both tolerations (`--default-not-ready-toleration-seconds`, `--default-unreachable-toleration-seconds`). */
export const DEFAULT_TOLERATION_SECONDS = 300;

/** Options of {@link defaultTolerationSeconds}. */
export interface DefaultTolerationSecondsOptions {
  /** `tolerationSeconds` of the added not-ready toleration. Default 300. */
  notReadyTolerationSeconds?: number;
  /** `tolerationSeconds` of the added unreachable toleration. Default 300. */
  unreachableTolerationSeconds?: number;
}

/** True when some toleration already covers `key` with effect NoExecute (an empty key or effect matches all), as Kubernetes checks. */
function covers(tolerations: readonly Toleration[], key: string): boolean {
  return tolerations.some((t) => isObj(t) && (!t.key || t.key === key) && (!t.effect || t.effect === 'NoExecute'));
}

/**
 * Adds Kubernetes' default NoExecute tolerations to a pod spec in place: `not-ready` and
 * `unreachable`, operator `Exists`, with the given `tolerationSeconds`, each only when no
 * toleration covers that taint already. Idempotent.
 */
export function addDefaultTolerations(spec: { tolerations?: Toleration[] }, options: DefaultTolerationSecondsOptions = {}): void {
  const tolerations = Array.isArray(spec.tolerations) ? [...spec.tolerations] : [];
  const before = tolerations.length;
  if (!covers(tolerations, TAINT_NODE_NOT_READY)) {
    tolerations.push({ key: TAINT_NODE_NOT_READY, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: options.notReadyTolerationSeconds ?? DEFAULT_TOLERATION_SECONDS });
  }
  if (!covers(tolerations, TAINT_NODE_UNREACHABLE)) {
    tolerations.push({ key: TAINT_NODE_UNREACHABLE, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: options.unreachableTolerationSeconds ?? DEFAULT_TOLERATION_SECONDS });
  }
  if (tolerations.length !== before) spec.tolerations = tolerations;
}

/**
 * Kubernetes' DefaultTolerationSeconds admission plugin: on CREATE of a Pod (not its
 * subresources), adds the `node.kubernetes.io/not-ready` and `node.kubernetes.io/unreachable`
 * NoExecute tolerations (operator Exists, 300 s unless configured) that the pod does not already
 * have, so the node lifecycle controller evicts its pods that long after their node fails.
 * Returns a changed copy; never mutates its input; updates are left alone (tolerations may only
 * be added to, and the user's own win).
 */
export const defaultTolerationSeconds = definePlugin<DefaultTolerationSecondsOptions>({
  name: 'DefaultTolerationSeconds',
  core: '^0.1.0',
  optionsSchema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      notReadyTolerationSeconds: { type: 'integer', minimum: 0 },
      unreachableTolerationSeconds: { type: 'integer', minimum: 0 },
    },
  },
  apply(cluster, options) {
    const opts = options ?? {};
    cluster.hooks.mutatingAdmission.for('Pod').tap({ name: 'DefaultTolerationSeconds', stage: AdmissionStage.MUTATING }, (obj: KubeObject, request: AdmissionRequest) => {
      if (request.operation !== 'CREATE' || request.subresource || !isObj(obj['spec'])) return obj;
      const spec = { ...(obj['spec'] as { tolerations?: Toleration[] }) };
      addDefaultTolerations(spec, opts);
      return { ...obj, spec };
    });
  },
});
