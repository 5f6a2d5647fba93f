import { toleratesTaint, type Taint, type Toleration } from '@skiff/core';

// The taint names and toleration matching live in @skiff/core (shared with the scheduler).
export { NODE_TAINTS, toleratesTaint, tolerated } from '@skiff/core';

/**
 * How long a pod stays on a node after a NoExecute taint was added, as Kubernetes' taint manager
 * decides: `undefined` when it tolerates the taint forever (a matching toleration without
 * `tolerationSeconds`), the smallest `tolerationSeconds` of the matching tolerations in ms (0 or
 * less: at once), or `fallbackMs` when no toleration matches (Kubernetes evicts such pods at once;
 * Skiff uses the controller's `podEvictionTimeoutMs`, Kubernetes' legacy `--pod-eviction-timeout`).
 */
export function tolerationMs(tolerations: readonly Toleration[] | undefined, taint: Pick<Taint, 'key' | 'value' | 'effect'>, fallbackMs: number): number | undefined {
  const matching = (tolerations ?? []).filter((t) => toleratesTaint(t, taint));
  if (matching.length === 0) return fallbackMs;
  if (matching.some((t) => t.tolerationSeconds === undefined || t.tolerationSeconds === null)) return undefined;
  return Math.max(0, Math.min(...matching.map((t) => t.tolerationSeconds!))) * 1000;
}
