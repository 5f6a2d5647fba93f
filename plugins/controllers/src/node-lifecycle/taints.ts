import type { Taint, Toleration } from '@skiff/core';

/** Kubernetes' well-known node taints. */
export const NODE_TAINTS = {
  notReady: 'node.kubernetes.io/not-ready',
  unreachable: 'node.kubernetes.io/unreachable',
  unschedulable: 'node.kubernetes.io/unschedulable',
  memoryPressure: 'node.kubernetes.io/memory-pressure',
  diskPressure: 'node.kubernetes.io/disk-pressure',
  pidPressure: 'node.kubernetes.io/pid-pressure',
  networkUnavailable: 'node.kubernetes.io/network-unavailable',
} as const;

/** `Toleration.ToleratesTaint`: effect (empty = all), key (empty with Exists = all), operator Exists or Equal on the value. */
export function toleratesTaint(toleration: Toleration, taint: Pick<Taint, 'key' | 'value' | 'effect'>): boolean {
  if (toleration.effect && toleration.effect !== taint.effect) return false;
  if (toleration.key && toleration.key !== taint.key) return false;
  const operator = toleration.operator ?? 'Equal';
  if (operator === 'Exists') return true;
  if (!toleration.key) return false;
  return (toleration.value ?? '') === (taint.value ?? '');
}

/** True when some toleration tolerates the taint. */
export function tolerated(tolerations: readonly Toleration[] | undefined, taint: Pick<Taint, 'key' | 'value' | 'effect'>): boolean {
  return (tolerations ?? []).some((t) => toleratesTaint(t, taint));
}

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
