import { definePlugin } from '../kernel/plugin.js';
import type { KubeObject } from '../objects/types.js';

/** Kubernetes' default `terminationGracePeriodSeconds`. */
export const DEFAULT_POD_GRACE_SECONDS = 30;

/**
 * How long a pod stays terminating when deleted (Kubernetes' pod strategy `CheckGracefulDelete`):
 * a pod not bound to a node, or already Succeeded or Failed, goes at once; otherwise the request's
 * `gracePeriodSeconds`, else the pod's `terminationGracePeriodSeconds`, else 30 s. Zero deletes at
 * once (a forced delete); a negative value counts as 1 s, as Kubernetes does.
 */
export function podGracePeriod(pod: KubeObject, requested: number | undefined): number {
  const spec = (pod['spec'] ?? {}) as { nodeName?: string; terminationGracePeriodSeconds?: number };
  const phase = ((pod['status'] ?? {}) as { phase?: string }).phase;
  if (!spec.nodeName || phase === 'Succeeded' || phase === 'Failed') return 0;
  const grace = requested ?? spec.terminationGracePeriodSeconds ?? DEFAULT_POD_GRACE_SECONDS;
  return grace < 0 ? 1 : grace;
}

/**
 * Graceful deletion for pods: a deleted pod that runs on a node is marked terminating and left for
 * its node agent, which stops its containers and then deletes it with grace 0.
 */
export const podGracefulDeletion = definePlugin({
  name: 'PodGracefulDeletion',
  core: '^0.1.0',
  apply(cluster) {
    cluster.hooks.gracefulDeletion.for('Pod').tap('PodGracefulDeletion', (pod, options) => podGracePeriod(pod, options.gracePeriodSeconds));
  },
});
