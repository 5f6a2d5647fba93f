import { NAMESPACE_INDEX, objectKey, type CacheReader, type Pod, type Selector } from '@skiff/core';
import type { ReplicaKind, ReplicaOwner } from './kinds.js';

/**
 * Parsed selectors by owner object. Cached objects are immutable and replaced on change, so a
 * selector parsed once per object version is reused by every pod event and reconcile.
 */
const parsed = new WeakMap<ReplicaOwner, Selector | null>();

/** The owner's selector, or undefined when it is invalid or empty (such an owner selects nothing here). */
export function selectorOf(kind: ReplicaKind, owner: ReplicaOwner): Selector | undefined {
  let sel = parsed.get(owner);
  if (sel === undefined) {
    try {
      sel = kind.selector(owner);
      if (sel.empty()) sel = null; // the API refuses empty selectors; never adopt every pod
    } catch {
      sel = null;
    }
    parsed.set(owner, sel);
  }
  return sel ?? undefined;
}

/** The keys of the owners in the pod's namespace whose selector matches the pod (Kubernetes' `getPodReplicaSets`). */
export function ownersSelecting(kind: ReplicaKind, owners: CacheReader<ReplicaOwner>, pod: Pod): string[] {
  const labels = pod.metadata.labels ?? {};
  if (Object.keys(labels).length === 0) return [];
  const out: string[] = [];
  for (const owner of owners.byIndex(NAMESPACE_INDEX, pod.metadata.namespace ?? '')) {
    if (selectorOf(kind, owner)?.matches(labels)) out.push(objectKey(owner));
  }
  return out;
}
