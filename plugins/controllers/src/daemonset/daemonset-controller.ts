import { isApiError, type DaemonSet, type DaemonSetStatus, type Node, type Pod } from '@skiff/core';
import { defineController, type Client, type ControllerContext, type EventRecorder, type Plugin } from '@skiff/sdk';
import { daemonPod, podNodeName, REVISION_HASH_LABEL, templateHash } from './daemon-pod.js';
import { nodeShouldRunDaemonPod } from './node-eligibility.js';
import { controllerUid, isNamespaceTerminating, msUntilAvailable, podReady, scaledValue } from './pod-status.js';

/** Options of {@link daemonSetController} (none yet; DaemonSets reconcile two at a time). */
export type DaemonSetControllerOptions = Record<string, never>;

const DS = { apiVersion: 'apps/v1', kind: 'DaemonSet' } as const;
const POD = { apiVersion: 'v1', kind: 'Pod' } as const;
const NODE = { apiVersion: 'v1', kind: 'Node' } as const;

/** What one node has of a DaemonSet. */
interface NodeState {
  node: Node;
  shouldRun: boolean;
  shouldContinueRunning: boolean;
  /** Live (not deleting) pods, oldest first. */
  pods: Pod[];
}

/** Per-run state of the DaemonSet controller. */
export interface DaemonSetState {
  /** Per DaemonSet uid: pods this controller deleted (uid → when), counted as gone until the cache shows them deleting. */
  deleted: Map<string, Map<string, number>>;
}

type Ctx = ControllerContext<DaemonSetControllerOptions, DaemonSetState>;

/** How long a deletion is remembered when the cache never shows it. */
const DELETE_EXPECTATION_MS = 30_000;

/**
 * The DaemonSet controller: one pod per eligible node — `nodeSelector`, required node affinity and
 * taints against the pod's tolerations plus the DaemonSet default tolerations — pinned to its node
 * with required affinity `matchFields metadata.name In [node]` so the scheduler binds it. A node
 * that joins gets a pod, a node that leaves or stops matching loses it (NoExecute taints it does
 * not tolerate included), failed pods are replaced and duplicates removed (the oldest stays).
 * Updates: `RollingUpdate` deletes pods of an old template (`controller-revision-hash`) while at
 * most `maxUnavailable` nodes lack an available pod (unavailable old pods go at once); `OnDelete`
 * replaces old pods only when they are deleted. Reports `desiredNumberScheduled`,
 * `currentNumberScheduled`, `numberMisscheduled`, `numberReady`, `numberAvailable`,
 * `numberUnavailable`, `updatedNumberScheduled` and `observedGeneration`. Pods are found by their
 * controller ownerReference (orphans matching the selector are not adopted). Pod names are stable
 * per node and revision, so a lagging cache can never make two pods for one node.
 */
export function daemonSetController(options: DaemonSetControllerOptions = {}): Plugin<DaemonSetControllerOptions> {
  return daemonSetDefinition(options);
}

/** The definition behind {@link daemonSetController}. */
const daemonSetDefinition = defineController<DaemonSetControllerOptions, DaemonSetState>({
  name: 'DaemonSet',
  component: 'daemonset-controller',
  for: DS,
  owns: [POD],
  // Any node change may change where every DaemonSet runs.
  watches: [{ ...NODE, map: (_node, { cache }) => cache<DaemonSet>(DS).list().map((ds) => ({ namespace: ds.metadata.namespace!, name: ds.metadata.name! })) }],
  maxConcurrentReconciles: 2,
  optionsSchema: { type: 'object', additionalProperties: false, properties: {} },
  setup: () => ({ deleted: new Map() }),
  reconcile: async (ctx, req) => {
    const ds = ctx.cache<DaemonSet>(DS).get(`${req.namespace}/${req.name}`);
    if (!ds || ds.metadata.deletionTimestamp) {
      for (const uid of ctx.state.deleted.keys()) if (!ctx.cache<DaemonSet>(DS).list().some((d) => d.metadata.uid === uid)) ctx.state.deleted.delete(uid);
      return;
    }
    return syncDaemonSet(ctx, ds, ctx.events, deletedOf(ctx.state, ds.metadata.uid!));
  },
});

function nodeStates(ctx: Ctx, ds: DaemonSet): Map<string, NodeState> {
  const states = new Map<string, NodeState>();
  for (const node of ctx.cache<Node>(NODE).list()) {
    states.set(node.metadata.name!, { node, ...nodeShouldRunDaemonPod(ds.spec?.template?.spec, node), pods: [] });
  }
  return states;
}

/** The deletions remembered for one DaemonSet. */
function deletedOf(state: DaemonSetState, uid: string): Map<string, number> {
  let deleted = state.deleted.get(uid);
  if (!deleted) state.deleted.set(uid, (deleted = new Map()));
  return deleted;
}

/**
 * The DaemonSet's live pods by node (pods on nodes that no longer exist under `orphaned`). Pods
 * this controller deleted count as gone even while the cache still shows them live, so a lagging
 * cache cannot make a rolling update take down more than `maxUnavailable` nodes.
 */
function podsByNode(ctx: Ctx, ds: DaemonSet, states: Map<string, NodeState>, deleted: Map<string, number>): { orphaned: Pod[] } {
  const orphaned: Pod[] = [];
  const now = Date.now();
  const owned = ctx
    .cache<Pod>(POD)
    .byIndex('namespace', ds.metadata.namespace!)
    .filter((p) => controllerUid(p) === ds.metadata.uid);
  const live = new Set(owned.filter((p) => !p.metadata.deletionTimestamp).map((p) => p.metadata.uid!));
  for (const [uid, at] of deleted) if (!live.has(uid) || now - at > DELETE_EXPECTATION_MS) deleted.delete(uid);
  const pods = owned
    .filter((p) => !p.metadata.deletionTimestamp && !deleted.has(p.metadata.uid!))
    .sort((a, b) => (a.metadata.creationTimestamp ?? '').localeCompare(b.metadata.creationTimestamp ?? '') || (a.metadata.name ?? '').localeCompare(b.metadata.name ?? ''));
  for (const pod of pods) {
    const nodeName = podNodeName(pod);
    const state = nodeName ? states.get(nodeName) : undefined;
    if (state) state.pods.push(pod);
    else orphaned.push(pod);
  }
  return { orphaned };
}

async function syncDaemonSet(ctx: Ctx, ds: DaemonSet, recorder: EventRecorder, deleted: Map<string, number>) {
  const hash = templateHash(ds.spec?.template);
  const states = nodeStates(ctx, ds);
  const { orphaned } = podsByNode(ctx, ds, states, deleted);
  const toDelete: Pod[] = [...orphaned];
  const toCreate: string[] = [];
  for (const [nodeName, state] of states) {
    if (!state.shouldContinueRunning) {
      toDelete.push(...state.pods);
      continue;
    }
    const failed = state.pods.filter((p) => p.status?.phase === 'Failed');
    toDelete.push(...failed);
    const running = state.pods.filter((p) => p.status?.phase !== 'Failed');
    if (running.length === 0 && state.shouldRun) toCreate.push(nodeName);
    if (running.length > 1) toDelete.push(...running.slice(1));
  }
  const client = ctx.client;
  await Promise.all(toCreate.map((nodeName) => createPod(client, ds, nodeName, hash, recorder)));
  let requeueAfterMs: number | undefined;
  const minReady = ds.spec?.minReadySeconds ?? 0;
  if ((ds.spec?.updateStrategy?.type ?? 'RollingUpdate') === 'RollingUpdate') {
    const desired = [...states.values()].filter((s) => s.shouldRun).length;
    const rolling = ds.spec?.updateStrategy?.rollingUpdate;
    let maxUnavailable = scaledValue(rolling?.maxUnavailable as number | string | undefined, desired, true, 1);
    if (maxUnavailable <= 0) maxUnavailable = 1;
    toDelete.push(...rollingUpdateDeletions(states, hash, minReady, maxUnavailable, new Set(toDelete)));
  }
  await Promise.all(
    [...new Set(toDelete)].map((pod) => {
      deleted.set(pod.metadata.uid!, Date.now());
      return deletePod(client, ds, pod, recorder);
    }),
  );
  // Status (from the cache as read: the next reconcile, triggered by these writes, corrects it).
  const now = Date.now();
  const status: DaemonSetStatus = { currentNumberScheduled: 0, numberMisscheduled: 0, desiredNumberScheduled: 0, numberReady: 0, numberAvailable: 0, updatedNumberScheduled: 0 };
  for (const state of states.values()) {
    const pod = state.pods[0];
    if (state.shouldRun) status.desiredNumberScheduled++;
    if (!pod) continue;
    if (!state.shouldRun) {
      status.numberMisscheduled++;
      continue;
    }
    status.currentNumberScheduled++;
    if (podReady(pod)) status.numberReady++;
    const wait = msUntilAvailable(pod, minReady, now);
    if (wait === 0) status.numberAvailable!++;
    else if (wait !== undefined) requeueAfterMs = Math.min(requeueAfterMs ?? Infinity, wait + 1);
    if (pod.metadata.labels?.[REVISION_HASH_LABEL] === hash) status.updatedNumberScheduled!++;
  }
  status.numberUnavailable = status.desiredNumberScheduled - status.numberAvailable!;
  status.observedGeneration = ds.metadata.generation ?? 1;
  const { conditions: _c, collisionCount: _cc, ...current } = ds.status ?? ({} as DaemonSetStatus);
  if (JSON.stringify(sortKeys(current)) !== JSON.stringify(sortKeys(status))) {
    try {
      await client.resource('apps/v1', 'DaemonSet').updateStatus({ ...ds, status: { ...(ds.status ?? {}), ...status } });
    } catch (err) {
      if (!isApiError(err, 404)) throw err;
    }
  }
  return requeueAfterMs !== undefined ? { requeueAfterMs } : undefined;
}

function sortKeys(o: object): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).sort(([a], [b]) => a.localeCompare(b)));
}

/**
 * RollingUpdate with maxSurge 0 (Kubernetes' `rollingUpdate`): old-revision pods that are not
 * available go at once; available ones go while fewer than `maxUnavailable` nodes that should run
 * the daemon lack an available pod.
 */
function rollingUpdateDeletions(states: Map<string, NodeState>, hash: string, minReady: number, maxUnavailable: number, already: Set<Pod>): Pod[] {
  let unavailable = 0;
  const now = Date.now();
  const immediate: Pod[] = [];
  const candidates: Pod[] = [];
  for (const state of states.values()) {
    if (!state.shouldRun) continue;
    const pods = state.pods.filter((p) => !already.has(p) && p.status?.phase !== 'Failed');
    const pod = pods[0];
    const available = pod !== undefined && msUntilAvailable(pod, minReady, now) === 0;
    if (!available) unavailable++;
    if (!pod || pod.metadata.labels?.[REVISION_HASH_LABEL] === hash) continue;
    if (available) candidates.push(pod);
    else immediate.push(pod);
  }
  const budget = Math.max(0, maxUnavailable - unavailable);
  return [...immediate, ...candidates.slice(0, budget)];
}

async function createPod(client: Client, ds: DaemonSet, nodeName: string, hash: string, recorder: EventRecorder): Promise<void> {
  try {
    const pod = await client.resource('v1', 'Pod').create(daemonPod(ds, nodeName, hash));
    await recorder.record(ds, 'Normal', 'SuccessfulCreate', `Created pod: ${pod.metadata.name}`);
  } catch (err) {
    if (isApiError(err, 409)) return; // made already (the cache lags), or the previous one is still terminating
    if (isNamespaceTerminating(err)) return; // the namespace is going away, and this DaemonSet with it
    await recorder.record(ds, 'Warning', 'FailedCreate', `Error creating: ${(err as Error).message}`);
    throw err;
  }
}

async function deletePod(client: Client, ds: DaemonSet, pod: Pod, recorder: EventRecorder): Promise<void> {
  try {
    await client.resource('v1', 'Pod').delete(pod.metadata.name!, { namespace: pod.metadata.namespace!, preconditions: { uid: pod.metadata.uid! } });
    await recorder.record(ds, 'Normal', 'SuccessfulDelete', `Deleted pod: ${pod.metadata.name}`);
  } catch (err) {
    if (isApiError(err, 404) || isApiError(err, 409)) return;
    throw err;
  }
}

