import { isApiError, objectKey, type Pod } from '@skiff/core';
import type { ControllerContext, KindRef } from '@skiff/sdk';
import { slowStartBatch } from '../shared/batch.js';
import type { Expectations } from '../shared/expectations.js';
import { controllerRef } from '../shared/owners.js';
import { compareForDeletion } from '../shared/pods.js';
import type { ReplicaOwner } from './kinds.js';

/** At most this many creations or deletions per sync (Kubernetes' `BurstReplicas`). */
export const BURST_REPLICAS = 500;

/** Kubernetes' `GetPodFromTemplate`: a pod from the owner's template, controlled by it, named `<owner>-<random>`. */
export function podFromTemplate(owner: ReplicaOwner, ref: KindRef): Pod {
  const template = owner.spec?.template ?? {};
  const meta = template.metadata ?? {};
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      generateName: `${owner.metadata.name}-`,
      namespace: owner.metadata.namespace ?? '',
      ...(meta.labels ? { labels: { ...meta.labels } } : {}),
      ...(meta.annotations ? { annotations: { ...meta.annotations } } : {}),
      ...(meta.finalizers ? { finalizers: [...meta.finalizers] } : {}),
      ownerReferences: [controllerRef(owner, ref)],
    },
    spec: structuredClone(template.spec ?? { containers: [] }),
  } as Pod;
}

/**
 * Which `count` pods to delete: Kubernetes' `getPodsToDelete`, the first of the pods in
 * {@link compareForDeletion} order, ranking pods by how many of `related` share their node.
 */
export function podsToDelete(pods: Pod[], related: Pod[], count: number): Pod[] {
  if (count >= pods.length) return pods;
  const perNode = new Map<string, number>();
  for (const p of related) {
    const node = p.spec?.nodeName;
    if (node) perNode.set(node, (perNode.get(node) ?? 0) + 1);
  }
  const rank = (p: Pod) => (p.spec?.nodeName ? (perNode.get(p.spec.nodeName) ?? 0) : 0);
  return [...pods].sort((a, b) => compareForDeletion(a, b, rank)).slice(0, count);
}

/**
 * Kubernetes' `manageReplicas`: create or delete pods so `pods` (the active pods the owner
 * controls) number `spec.replicas`. Creations and deletions are announced to `expectations` first
 * (so pod events arriving before the writes return are counted), batched with slow start (1, 2,
 * 4, …) and capped at {@link BURST_REPLICAS} per sync. Every create or delete that fails or is
 * skipped is taken back out of the expectations. Resolves with the pods it deleted (so status can
 * leave them out at once); rejects with the first failure.
 */
export async function manageReplicas(ctx: ControllerContext<void, unknown>, ref: KindRef, expectations: Expectations, key: string, owner: ReplicaOwner, pods: Pod[]): Promise<Set<Pod>> {
  const want = owner.spec?.replicas ?? 1;
  const diff = pods.length - want;
  const podClient = ctx.client.resource('v1', 'Pod');
  if (diff < 0) {
    const count = Math.min(-diff, BURST_REPLICAS);
    expectations.expectCreations(key, count);
    const { attempted, error } = await slowStartBatch(count, 1, async () => {
      try {
        const created = await podClient.create(podFromTemplate(owner, ref));
        ctx.events.event(owner, 'Normal', 'SuccessfulCreate', `Created pod: ${created.metadata.name}`);
      } catch (err) {
        expectations.creationObserved(key); // this creation will never be observed
        ctx.events.event(owner, 'Warning', 'FailedCreate', `Error creating: ${errorMessage(err)}`);
        throw err;
      }
    });
    if (error) {
      // Creations skipped after the failing batch will not be observed either (failed ones were taken back already).
      for (let i = attempted; i < count; i++) expectations.creationObserved(key);
      throw error;
    }
    return new Set();
  }
  if (diff > 0) {
    const count = Math.min(diff, BURST_REPLICAS);
    const victims = podsToDelete(pods, pods, count);
    expectations.expectDeletions(key, victims.map(objectKey));
    const deleted = new Set<Pod>();
    const results = await Promise.allSettled(
      victims.map(async (pod) => {
        try {
          await podClient.delete(pod.metadata.name ?? '', { namespace: pod.metadata.namespace ?? '' });
          deleted.add(pod);
          ctx.events.event(owner, 'Normal', 'SuccessfulDelete', `Deleted pod: ${pod.metadata.name}`);
        } catch (err) {
          if (isApiError(err, 404)) {
            expectations.deletionObserved(key, objectKey(pod));
            deleted.add(pod);
            return;
          }
          expectations.deletionObserved(key, objectKey(pod));
          ctx.events.event(owner, 'Warning', 'FailedDelete', `Error deleting: ${errorMessage(err)}`);
          throw err;
        }
      }),
    );
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
    return deleted;
  }
  return new Set();
}

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
