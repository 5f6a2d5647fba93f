import type { Taint, Toleration } from '../generated/index.js';

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

/**
 * Kubernetes' `Toleration.ToleratesTaint`: the effect matches (an empty effect matches all), the
 * key matches (an empty key with `Exists` matches all), and with `Equal` (the default) the values
 * are equal.
 */
export function toleratesTaint(toleration: Toleration, taint: Pick<Taint, 'key' | 'value' | 'effect'>): boolean {
  if (toleration.effect && toleration.effect !== taint.effect) return false;
  if (toleration.key && toleration.key !== taint.key) return false;
  const operator = toleration.operator ?? 'Equal';
  if (operator === 'Exists') return true;
  if (operator !== 'Equal' || !toleration.key) return false;
  return (toleration.value ?? '') === (taint.value ?? '');
}

/** True when some toleration tolerates the taint. */
export function tolerated(tolerations: readonly Toleration[] | undefined, taint: Pick<Taint, 'key' | 'value' | 'effect'>): boolean {
  if (!tolerations) return false;
  for (const t of tolerations) if (toleratesTaint(t, taint)) return true;
  return false;
}
