import { objectKey, type CacheReader, type EventHandler, type Pod } from '@skiff/core';
import { Expectations } from '../shared/expectations.js';
import { controllerOf } from '../shared/owners.js';
import type { ReplicaKind, ReplicaOwner } from './kinds.js';
import { ownersSelecting } from './selectors.js';

/** What the pod handlers need from the running controller. */
export interface PodHandlerDeps {
  kind: ReplicaKind;
  expectations: Expectations;
  owners(): CacheReader<ReplicaOwner>;
  enqueue(key: string): void;
  /** Enqueues `key` after `ms` (deduplicated with a pending request). */
  enqueueAfter(key: string, ms: number): void;
  /** How many pods the owner had at its last sync (0 when unknown). */
  podCount(key: string): number;
}

/**
 * Pod changes that can only change an owner's status (a pod became ready, a creation observed
 * while more are still expected) are batched: the owner syncs for them at most once per
 * {@link statusBatchMs}. A sync reads every pod of the owner, so at 10 000 pods syncing on every
 * pod event would take most of the process; Kubernetes has one core per worker, a Node process has
 * one thread.
 */
export const STATUS_BATCH_MS = 100;
/** The longest status batch. */
export const MAX_STATUS_BATCH_MS = 1000;

/** The batch for an owner of `pods` pods: 100 ms, plus 0.1 ms per pod beyond 1 000, at most 1 s. */
export function statusBatchMs(pods: number): number {
  return Math.min(MAX_STATUS_BATCH_MS, Math.max(STATUS_BATCH_MS, pods / 10));
}

/** The key of the pod's controlling owner of this kind, when it is in the cache with the same uid. */
function resolveOwner(deps: PodHandlerDeps, pod: Pod): string | undefined {
  const ref = controllerOf(pod);
  if (!ref || ref.kind !== deps.kind.ref.kind || groupOf(ref.apiVersion) !== groupOf(deps.kind.ref.apiVersion)) return undefined;
  const key = pod.metadata.namespace ? `${pod.metadata.namespace}/${ref.name}` : ref.name;
  const owner = deps.owners().get(key);
  return owner && owner.metadata.uid === ref.uid ? key : undefined;
}

/** The API group of an apiVersion (`apps/v1` → `apps`, `v1` → ``). */
const groupOf = (apiVersion: string) => (apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '');

function sameLabels(a: Pod, b: Pod): boolean {
  return JSON.stringify(a.metadata.labels ?? {}) === JSON.stringify(b.metadata.labels ?? {});
}

/**
 * The pod event handlers of the ReplicaSet controller (Kubernetes' addPod/updatePod/deletePod):
 * they feed expectations (a pod seen created or deleted) and enqueue the owners that care — the
 * controlling owner, or for an orphan every owner whose selector matches it (adoption).
 */
export function podHandlers(deps: PodHandlerDeps): EventHandler<Pod> {
  const enqueueSelecting = (pod: Pod) => {
    for (const key of ownersSelecting(deps.kind, deps.owners(), pod)) deps.enqueue(key);
  };
  const onDelete = (pod: Pod) => {
    const owner = resolveOwner(deps, pod);
    if (!owner) return;
    deps.expectations.deletionObserved(owner, objectKey(pod));
    deps.enqueue(owner);
  };
  return {
    add(pod) {
      if (pod.metadata.deletionTimestamp) {
        // Seen for the first time already terminating (e.g. after a relist): a deletion, not a creation.
        onDelete(pod);
        return;
      }
      const owner = resolveOwner(deps, pod);
      if (owner) {
        deps.expectations.creationObserved(owner);
        // The last expected creation: sync now (the next batch may be due); otherwise batch.
        if (deps.expectations.satisfied(owner)) deps.enqueue(owner);
        else deps.enqueueAfter(owner, statusBatchMs(deps.podCount(owner)));
        return;
      }
      if (!controllerOf(pod)) enqueueSelecting(pod);
    },
    update(oldPod, pod) {
      if (oldPod.metadata.resourceVersion === pod.metadata.resourceVersion) return;
      const labelsChanged = !sameLabels(oldPod, pod);
      if (pod.metadata.deletionTimestamp) {
        onDelete(pod);
        if (labelsChanged) onDelete(oldPod);
        return;
      }
      const oldOwner = resolveOwner(deps, oldPod);
      const owner = resolveOwner(deps, pod);
      if (oldOwner && oldOwner !== owner) deps.enqueue(oldOwner);
      if (owner) {
        if (labelsChanged || oldOwner !== owner) deps.enqueue(owner);
        else deps.enqueueAfter(owner, statusBatchMs(deps.podCount(owner))); // status only
        return;
      }
      if (!controllerOf(pod) && (labelsChanged || oldOwner)) enqueueSelecting(pod);
    },
    delete(pod) {
      onDelete(pod);
    },
  };
}
