import { isApiError, type Pod } from '@skiff/core';
import type { Client, KindRef } from '@skiff/sdk';
import { isPodAvailable, isPodReady, msUntilAvailable } from '../shared/pods.js';
import { rfc3339 } from '../shared/time.js';
import type { ReplicaOwner, ReplicaOwnerStatus } from './kinds.js';

const FAILURE = 'ReplicaFailure';

/**
 * Kubernetes' `calculateStatus`: counts of the controlled active pods (`replicas`), those carrying
 * every template label (`fullyLabeledReplicas`), ready, and available for `minReadySeconds`;
 * `observedGeneration`; and the `ReplicaFailure` condition while creating or deleting fails.
 */
export function calculateStatus(owner: ReplicaOwner, pods: Pod[], manageError: unknown, nowMs: number): ReplicaOwnerStatus {
  const templateLabels = Object.entries(owner.spec?.template?.metadata?.labels ?? {});
  const minReady = owner.spec?.minReadySeconds ?? 0;
  let fullyLabeled = 0;
  let ready = 0;
  let available = 0;
  for (const pod of pods) {
    const labels = pod.metadata.labels ?? {};
    if (templateLabels.every(([k, v]) => labels[k] === v)) fullyLabeled++;
    if (isPodReady(pod)) {
      ready++;
      if (isPodAvailable(pod, minReady, nowMs)) available++;
    }
  }
  const conditions = (owner.status?.conditions ?? []).filter((c) => c.type !== FAILURE);
  const existing = owner.status?.conditions?.find((c) => c.type === FAILURE);
  if (manageError) {
    const want = owner.spec?.replicas ?? 1;
    const reason = pods.length < want ? 'FailedCreate' : 'FailedDelete';
    const message = manageError instanceof Error ? manageError.message : String(manageError);
    conditions.push(existing && existing.reason === reason && existing.message === message ? existing : { type: FAILURE, status: 'True', reason, message, lastTransitionTime: rfc3339(nowMs) });
  }
  return {
    replicas: pods.length,
    fullyLabeledReplicas: fullyLabeled,
    readyReplicas: ready,
    availableReplicas: available,
    ...(owner.metadata.generation !== undefined ? { observedGeneration: owner.metadata.generation } : {}),
    ...(conditions.length > 0 ? { conditions } : {}),
  };
}

/** The soonest a ready pod becomes available (ms), for a requeue; undefined when none is waiting. */
export function nextAvailableInMs(owner: ReplicaOwner, pods: Pod[], nowMs: number): number | undefined {
  let soonest: number | undefined;
  for (const pod of pods) {
    const ms = msUntilAvailable(pod, owner.spec?.minReadySeconds ?? 0, nowMs);
    if (ms !== undefined && (soonest === undefined || ms < soonest)) soonest = ms;
  }
  return soonest;
}

function sameStatus(a: ReplicaOwnerStatus | undefined, b: ReplicaOwnerStatus): boolean {
  if (!a) return false;
  return (
    a.replicas === b.replicas &&
    (a.fullyLabeledReplicas ?? 0) === (b.fullyLabeledReplicas ?? 0) &&
    (a.readyReplicas ?? 0) === (b.readyReplicas ?? 0) &&
    (a.availableReplicas ?? 0) === (b.availableReplicas ?? 0) &&
    a.observedGeneration === b.observedGeneration &&
    JSON.stringify(a.conditions ?? []) === JSON.stringify(b.conditions ?? [])
  );
}

/**
 * Writes `status` through the status subresource unless it is already what the cache shows
 * (Kubernetes' `updateReplicaSetStatus`): from the cached object, and once more from a fresh read
 * on a conflict.
 */
export async function updateStatus(client: Client, ref: KindRef, owner: ReplicaOwner, status: ReplicaOwnerStatus): Promise<void> {
  if (sameStatus(owner.status, status)) return;
  const res = client.resource(ref.apiVersion, ref.kind);
  try {
    await res.updateStatus({ ...owner, apiVersion: ref.apiVersion, kind: ref.kind, status } as never);
  } catch (err) {
    if (isApiError(err, 404)) return;
    if (!isApiError(err, 409)) throw err;
    const fresh = (await res.get(owner.metadata.name ?? '', { namespace: owner.metadata.namespace ?? '' })) as unknown as ReplicaOwner;
    if (fresh.metadata.uid !== owner.metadata.uid) return;
    await res.updateStatus({ ...fresh, status: { ...status, ...(fresh.metadata.generation !== undefined ? { observedGeneration: Math.min(status.observedGeneration ?? 0, fresh.metadata.generation) } : {}) } } as never);
  }
}
