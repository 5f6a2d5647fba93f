import { TerminalError, parseRequestKey, requestKey, type CacheReader, type Pod } from '@skiff/core';
import { defineController, type ControllerContext, type ControllerFactory } from '@skiff/sdk';
import { Expectations } from '../shared/expectations.js';
import { CONTROLLER_UID_INDEX, ORPHAN_INDEX, ownerIndexers } from '../shared/owners.js';
import { isPodActive } from '../shared/pods.js';
import { claimPods } from './claim.js';
import { POD_REF, type ReplicaKind, type ReplicaOwner } from './kinds.js';
import { manageReplicas } from './manage.js';
import { podHandlers } from './pod-handlers.js';
import { selectorOf } from './selectors.js';
import { calculateStatus, nextAvailableInMs, updateStatus } from './status.js';

/** Per-run state of a replica controller. */
export interface ReplicaControllerState {
  /** What this run has asked the API to create or delete and not yet seen. */
  readonly expectations: Expectations;
  /** Pods each owner had at its last sync (sizes the status batching window). */
  readonly podCounts: Map<string, number>;
}

/** How many keys a replica controller syncs at once (Kubernetes' `--concurrent-replicaset-syncs`). */
export const REPLICA_WORKERS = 5;

/**
 * The shared ReplicaSet / ReplicationController controller (Kubernetes' `ReplicaSetController`,
 * which also runs ReplicationControllers), defined for one {@link ReplicaKind}.
 */
export function replicaController(kind: ReplicaKind): ControllerFactory<void, ReplicaControllerState> {
  return defineController<void, ReplicaControllerState>({
    name: kind.name,
    component: kind.component,
    for: kind.ref,
    maxConcurrentReconciles: REPLICA_WORKERS,
    setup(ctx) {
      const expectations = new Expectations();
      const podCounts = new Map<string, number>();
      ctx.addIndexers<Pod>(POD_REF, ownerIndexers);
      ctx.on<Pod>(
        POD_REF,
        podHandlers({
          kind,
          expectations,
          owners: () => ctx.cache<ReplicaOwner>(kind.ref),
          enqueue: (key) => ctx.enqueue(parseRequestKey(key)),
          enqueueAfter: (key, ms) => ctx.enqueueAfter(parseRequestKey(key), ms),
          podCount: (key) => podCounts.get(key) ?? 0,
        }),
      );
      return { expectations, podCounts };
    },
    reconcile: (ctx, req) => syncReplicas(kind, ctx, requestKey(req)),
  });
}

/** The active pods the owner controls plus the active orphans in its namespace. */
function candidatePods(pods: CacheReader<Pod>, owner: ReplicaOwner): Pod[] {
  const owned = pods.byIndex(CONTROLLER_UID_INDEX, owner.metadata.uid ?? '');
  const orphans = pods.byIndex(ORPHAN_INDEX, owner.metadata.namespace ?? '');
  return [...owned, ...orphans].filter(isPodActive);
}

/**
 * One level-triggered sync of one owner (Kubernetes' `syncReplicaSet`): claim pods (adopt and
 * release), create or delete pods when the expectations are satisfied, write status, and look
 * again when a ready pod will have become available.
 */
async function syncReplicas(kind: ReplicaKind, ctx: ControllerContext<void, ReplicaControllerState>, key: string) {
  const owner = ctx.cache<ReplicaOwner>(kind.ref).get(key);
  const { expectations } = ctx.state;
  if (!owner) {
    expectations.delete(key);
    ctx.state.podCounts.delete(key);
    return;
  }
  const selector = selectorOf(kind, owner);
  if (!selector) throw new TerminalError(`${kind.ref.kind} ${key} has an invalid or empty selector`, { details: { key } });
  const needsSync = expectations.satisfied(key) && !owner.metadata.deletionTimestamp;
  let pods = await claimPods(ctx.client, kind.ref, owner, selector, candidatePods(ctx.cache<Pod>(POD_REF), owner));
  let manageError: unknown;
  if (needsSync) {
    try {
      const deleted = await manageReplicas(ctx as ControllerContext<void, unknown>, kind.ref, expectations, key, owner, pods);
      if (deleted.size > 0) pods = pods.filter((p) => !deleted.has(p));
    } catch (err) {
      manageError = err;
    }
  }
  ctx.state.podCounts.set(key, pods.length);
  const now = Date.now();
  await updateStatus(ctx.client, kind.ref, owner, calculateStatus(owner, pods, manageError, now));
  if (manageError) throw manageError;
  const wait = nextAvailableInMs(owner, pods, now);
  return wait !== undefined ? { requeueAfterMs: wait + 10 } : undefined;
}

