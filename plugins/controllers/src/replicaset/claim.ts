import { isApiError, type Pod, type Selector } from '@skiff/core';
import type { Client, KindRef } from '@skiff/sdk';
import { controllerOf, controllerRef, isControlledBy } from '../shared/owners.js';
import type { ReplicaOwner } from './kinds.js';

/** Pods (cache objects) already seen controlled by an owner whose selector (cached per owner object) matches them. */
const claimedBy = new WeakMap<Pod, Selector>();

/**
 * Kubernetes' `PodControllerRefManager.ClaimPods`: of the candidate pods (the owner's own and the
 * orphans in its namespace, all active), keep the owned ones its selector still matches, release
 * (remove the controller reference from) owned ones it no longer matches, and adopt (add a
 * controller reference to) matching orphans. Adoption first re-reads the owner from the API
 * (`canAdopt`) so a deleted or replaced owner never adopts. Writes are merge patches with the
 * pod's resourceVersion, so a concurrent change makes them fail (and the reconcile retry) instead
 * of overwriting. Resolves with the pods the owner now controls.
 */
export async function claimPods(client: Client, ref: KindRef, owner: ReplicaOwner, selector: Selector, candidates: Pod[]): Promise<Pod[]> {
  const claimed: Pod[] = [];
  let adoptable: Promise<boolean> | undefined;
  const canAdopt = () =>
    (adoptable ??= client
      .resource(ref.apiVersion, ref.kind)
      .get(owner.metadata.name ?? '', { namespace: owner.metadata.namespace ?? '' })
      .then((fresh) => fresh.metadata.uid === owner.metadata.uid && !fresh.metadata.deletionTimestamp)
      .catch(() => false));
  const pods = client.resource('v1', 'Pod');
  const ns = owner.metadata.namespace ?? '';
  const others: Pod[] = [];
  for (const pod of candidates) {
    // The common case, decided without a promise: an owned pod that still matches (remembered
    // per pod object and selector object, both immutable, so unchanged pods cost a lookup).
    if (claimedBy.get(pod) === selector) claimed.push(pod);
    else if (isControlledBy(pod, owner) && selector.matches(pod.metadata.labels ?? {})) {
      claimedBy.set(pod, selector);
      claimed.push(pod);
    } else others.push(pod);
  }
  await Promise.all(
    others.map(async (pod) => {
      const matches = selector.matches(pod.metadata.labels ?? {});
      if (isControlledBy(pod, owner)) {
        if (owner.metadata.deletionTimestamp) return; // being deleted: the garbage collector handles its pods
        const refs = (pod.metadata.ownerReferences ?? []).filter((r) => r.uid !== owner.metadata.uid);
        await ignoreGone(pods.patch(pod.metadata.name ?? '', { metadata: { ownerReferences: refs, resourceVersion: pod.metadata.resourceVersion } }, { namespace: ns }));
        return;
      }
      if (controllerOf(pod) || !matches || owner.metadata.deletionTimestamp || pod.metadata.deletionTimestamp) return;
      if (!(await canAdopt())) return;
      const refs = [...(pod.metadata.ownerReferences ?? []), controllerRef(owner, ref)];
      const adopted = await ignoreGone(pods.patch(pod.metadata.name ?? '', { metadata: { ownerReferences: refs, resourceVersion: pod.metadata.resourceVersion } }, { namespace: ns }));
      if (adopted) claimed.push(adopted);
    }),
  );
  return claimed;
}

/** A pod that vanished meanwhile is simply not claimed. */
async function ignoreGone<T>(p: Promise<T>): Promise<T | undefined> {
  try {
    return await p;
  } catch (err) {
    if (isApiError(err, 404)) return undefined;
    throw err;
  }
}
