import type { Pod } from '@skiff/core';

/** The pod's Ready condition is True. */
export function podReady(pod: Pod): boolean {
  return (pod.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');
}

/**
 * How long until a ready pod counts as available (ready for `minReadySeconds`): 0 when it is
 * available now, `undefined` when it is not ready at all.
 */
export function msUntilAvailable(pod: Pod, minReadySeconds: number, now = Date.now()): number | undefined {
  const ready = (pod.status?.conditions ?? []).find((c) => c.type === 'Ready' && c.status === 'True');
  if (!ready) return undefined;
  if (minReadySeconds <= 0) return 0;
  const since = ready.lastTransitionTime ? Date.parse(ready.lastTransitionTime) : now;
  return Math.max(0, since + minReadySeconds * 1000 - now);
}

/** The pod has finished (Succeeded or Failed). */
export function podTerminal(pod: Pod): boolean {
  return pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';
}

/** The controlling owner reference's uid. */
export function controllerUid(pod: { metadata: { ownerReferences?: { uid: string; controller?: boolean }[] } }): string | undefined {
  return (pod.metadata.ownerReferences ?? []).find((o) => o.controller)?.uid;
}

/** An int-or-percent (`2`, `'25%'`) scaled against `total`, rounding up or down. */
export function scaledValue(value: number | string | undefined, total: number, roundUp: boolean, fallback: number): number {
  if (value === undefined || value === null) return fallback;
  if (typeof value === 'number') return value;
  const m = /^(\d+)%$/.exec(value);
  if (!m) {
    const n = Number.parseInt(value, 10);
    return Number.isNaN(n) ? fallback : n;
  }
  const raw = (Number(m[1]) * total) / 100;
  return roundUp ? Math.ceil(raw) : Math.floor(raw);
}

/** True for the API's refusal to create objects in a namespace that is being deleted (nothing to retry). */
export function isNamespaceTerminating(err: unknown): boolean {
  const status = (err as { status?: { code?: number; message?: string } } | undefined)?.status;
  return status?.code === 403 && (status.message ?? '').includes('because it is being terminated');
}
