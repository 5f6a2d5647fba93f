import type { Pod, PodCondition } from '@skiff/core';

/** The pod's Ready condition, if any. */
export function readyCondition(pod: Pod): PodCondition | undefined {
  return pod.status?.conditions?.find((c) => c.type === 'Ready');
}

/** Kubernetes' `IsPodReady`: the Ready condition is True. */
export function isPodReady(pod: Pod): boolean {
  return readyCondition(pod)?.status === 'True';
}

/**
 * Kubernetes' `IsPodAvailable`: ready, and (with `minReadySeconds > 0`) ready since at least
 * that long before `nowMs`.
 */
export function isPodAvailable(pod: Pod, minReadySeconds: number, nowMs: number): boolean {
  const ready = readyCondition(pod);
  if (ready?.status !== 'True') return false;
  if (minReadySeconds <= 0) return true;
  const since = ready.lastTransitionTime ? Date.parse(ready.lastTransitionTime) : NaN;
  return !Number.isNaN(since) && since + minReadySeconds * 1000 <= nowMs;
}

/**
 * When a ready pod that is not yet available becomes available, in ms from `nowMs`
 * (undefined when it is not ready, already available, or `minReadySeconds` is 0).
 */
export function msUntilAvailable(pod: Pod, minReadySeconds: number, nowMs: number): number | undefined {
  const ready = readyCondition(pod);
  if (minReadySeconds <= 0 || ready?.status !== 'True' || !ready.lastTransitionTime) return undefined;
  const at = Date.parse(ready.lastTransitionTime) + minReadySeconds * 1000;
  return at > nowMs ? at - nowMs : undefined;
}

/** Kubernetes' `IsPodActive`: not Succeeded, not Failed, not being deleted. */
export function isPodActive(pod: Pod): boolean {
  const phase = pod.status?.phase;
  return phase !== 'Succeeded' && phase !== 'Failed' && !pod.metadata.deletionTimestamp;
}

const PHASE_RANK: Record<string, number> = { Pending: 0, Unknown: 1, Running: 2 };

function restartCount(pod: Pod): number {
  return Math.max(0, ...(pod.status?.containerStatuses ?? []).map((c) => c.restartCount ?? 0));
}

function timeMs(value: string | undefined): number {
  const t = value ? Date.parse(value) : NaN;
  return Number.isNaN(t) ? 0 : t;
}

/**
 * Kubernetes' `ActivePodsWithRanks` order: the pods to delete first come first.
 * 1. not yet scheduled before scheduled; 2. Pending before Unknown before Running;
 * 3. not ready before ready; 4. more pods of the same owner on the node (higher `rank`) first;
 * 5. ready for less time first; 6. more container restarts first; 7. newer first.
 */
export function compareForDeletion(a: Pod, b: Pod, rank: (pod: Pod) => number = () => 0): number {
  const aAssigned = a.spec?.nodeName ? 1 : 0;
  const bAssigned = b.spec?.nodeName ? 1 : 0;
  if (aAssigned !== bAssigned) return aAssigned - bAssigned;
  const aPhase = PHASE_RANK[a.status?.phase ?? 'Pending'] ?? 0;
  const bPhase = PHASE_RANK[b.status?.phase ?? 'Pending'] ?? 0;
  if (aPhase !== bPhase) return aPhase - bPhase;
  const aReady = isPodReady(a) ? 1 : 0;
  const bReady = isPodReady(b) ? 1 : 0;
  if (aReady !== bReady) return aReady - bReady;
  const aRank = rank(a);
  const bRank = rank(b);
  if (aRank !== bRank) return bRank - aRank;
  if (aReady === 1) {
    const aSince = timeMs(readyCondition(a)?.lastTransitionTime);
    const bSince = timeMs(readyCondition(b)?.lastTransitionTime);
    if (aSince !== bSince) return bSince - aSince;
  }
  const aRestarts = restartCount(a);
  const bRestarts = restartCount(b);
  if (aRestarts !== bRestarts) return bRestarts - aRestarts;
  return timeMs(b.metadata.creationTimestamp) - timeMs(a.metadata.creationTimestamp);
}
