import type { Lease, Node, NodeCondition, Pod, Taint } from '@skiff/core';
import { defineController, isApiError, type ControllerContext, type Plugin } from '@skiff/sdk';
import { NODE_TAINTS, tolerationMs } from './taints.js';

/** Options of {@link nodeLifecycleController}. */
export interface NodeLifecycleOptions {
  /** A node whose Lease (or Ready heartbeat) is older than this is unreachable. Default 40 000 ms (Kubernetes' `--node-monitor-grace-period`). */
  nodeMonitorGracePeriodMs?: number;
  /**
   * How long pods that have no toleration for the node's NoExecute taint stay on an unreachable or
   * not-ready node. Default 300 000 ms. Pods with a toleration (the DefaultTolerationSeconds
   * admission gives every pod one of 300 s) stay for its `tolerationSeconds`.
   */
  podEvictionTimeoutMs?: number;
}

/** The namespace of node Leases. */
export const NODE_LEASE_NAMESPACE = 'kube-node-lease';
/** Why the controller set a node's conditions to Unknown. */
export const NODE_STATUS_UNKNOWN = 'NodeStatusUnknown';

const NODE = { apiVersion: 'v1', kind: 'Node' } as const;
const LEASE = { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease' } as const;
const POD = { apiVersion: 'v1', kind: 'Pod' } as const;
const NODE_NAME_INDEX = 'skiff.dev/node-name';

const rfc3339 = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
const parseTime = (value: string | undefined | null) => (value ? Date.parse(value) || 0 : 0);

/** The taints this controller manages (key and effect). */
const managedTaint = (t: Taint) => t.key === NODE_TAINTS.unreachable || t.key === NODE_TAINTS.notReady;

/** Per-run state: when each node was first seen (a grace period after every start). */
export interface NodeLifecycleState {
  firstSeen: Map<string, number>;
}

type Ctx = ControllerContext<NodeLifecycleOptions, NodeLifecycleState>;

/** The definition behind {@link nodeLifecycleController}. */
const nodeLifecycleDefinition = defineController<NodeLifecycleOptions, NodeLifecycleState>({
  name: 'NodeLifecycle',
  component: 'node-controller',
  for: NODE,
  watches: [
    { ...LEASE, map: (lease) => (lease.metadata.namespace === NODE_LEASE_NAMESPACE && lease.metadata.name ? [{ name: lease.metadata.name }] : []) },
    { ...POD, map: (pod) => ((pod as Pod).spec?.nodeName ? [{ name: (pod as Pod).spec!.nodeName! }] : []) },
  ],
  maxConcurrentReconciles: 4,
  optionsSchema: {
    type: 'object',
    additionalProperties: false,
    properties: { nodeMonitorGracePeriodMs: { type: 'integer', minimum: 1 }, podEvictionTimeoutMs: { type: 'integer', minimum: 0 } },
  },
  setup(ctx) {
    ctx.addIndexers<Pod>(POD, { [NODE_NAME_INDEX]: (p) => (p.spec?.nodeName ? [p.spec.nodeName] : []) });
    return { firstSeen: new Map() };
  },
  reconcile: (ctx, req) => reconcileNode(ctx, req.name),
});

/**
 * The node lifecycle controller (Kubernetes' node lifecycle controller with taint-based eviction):
 *
 * - A node whose Lease in `kube-node-lease` (and Ready heartbeat) has not been renewed within
 *   `nodeMonitorGracePeriodMs` gets every condition `Unknown` (reason `NodeStatusUnknown`, message
 *   `Kubelet stopped posting node status.`), a `NodeNotReady` event, and the taints
 *   `node.kubernetes.io/unreachable` NoSchedule and NoExecute (with `timeAdded`).
 * - Pods on an unreachable node get Ready=False (Kubernetes' `MarkPodsNotReady`), so endpoints
 *   drop them at once.
 * - A node whose kubelet reports Ready=False gets `node.kubernetes.io/not-ready` the same way.
 * - Pods on a node with such a NoExecute taint are deleted once their toleration for it expires
 *   (`tolerationSeconds` after the taint's `timeAdded`; `podEvictionTimeoutMs` for pods with no
 *   matching toleration), so their controllers replace them elsewhere; pods tolerating it forever
 *   stay (DaemonSet pods).
 * - When the Lease is renewed again the taints are removed (the kubelet posts its conditions).
 *
 * A node first seen by this run of the controller gets a full grace period from then, so a restart
 * (or a new leader) does not evict pods of nodes it has not yet heard from.
 */
export function nodeLifecycleController(options: NodeLifecycleOptions = {}): Plugin<NodeLifecycleOptions> {
  return nodeLifecycleDefinition(options);
}

/** The pods bound to `nodeName` (the node-name index added in `setup`). */
function podsOn(ctx: Ctx, nodeName: string): Pod[] {
  return ctx.cache<Pod>(POD).byIndex(NODE_NAME_INDEX, nodeName);
}

async function reconcileNode(ctx: Ctx, name: string) {
  const state = ctx.state;
  const cached = ctx.cache<Node>(NODE).get(name);
  if (!cached) {
    state.firstSeen.delete(name);
    return;
  }
  const graceMs = ctx.options?.nodeMonitorGracePeriodMs ?? 40_000;
  const evictionMs = ctx.options?.podEvictionTimeoutMs ?? 300_000;
  const now = Date.now();
  if (!state.firstSeen.has(name)) state.firstSeen.set(name, now);
  const lease = ctx.cache<Lease>(LEASE).get(`${NODE_LEASE_NAMESPACE}/${name}`);
  const ready = (cached.status?.conditions ?? []).find((c) => c.type === 'Ready');
  const lastSeen = Math.max(parseTime(lease?.spec?.renewTime), parseTime(ready?.lastHeartbeatTime), state.firstSeen.get(name)!);
  const stale = now - lastSeen > graceMs;

  let node = cached;
  if (stale) node = await markUnknown(ctx, node);
  const wanted = stale ? NODE_TAINTS.unreachable : ready?.status === 'False' ? NODE_TAINTS.notReady : undefined;
  node = await setTaints(ctx, node, wanted, now);

  if (stale) await markPodsNotReady(ctx, podsOn(ctx, name));
  let nextMs = stale ? Infinity : lastSeen + graceMs - now + 1;
  const noExecute = (node.spec?.taints ?? []).find((t) => managedTaint(t) && t.effect === 'NoExecute');
  if (noExecute) {
    const since = parseTime(noExecute.timeAdded) || now;
    for (const pod of podsOn(ctx, name)) {
      if (pod.metadata.deletionTimestamp || pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed') continue;
      const stayMs = tolerationMs(pod.spec?.tolerations, noExecute, evictionMs);
      if (stayMs === undefined) continue;
      const due = since + stayMs - now;
      if (due > 0) {
        nextMs = Math.min(nextMs, due + 1);
        continue;
      }
      await evict(ctx, pod);
    }
  }
  return Number.isFinite(nextMs) ? { requeueAfterMs: Math.max(1, Math.ceil(nextMs)) } : undefined;
}

/** Sets every condition to Unknown (NodeStatusUnknown) and records NodeNotReady when Ready changes. */
async function markUnknown(ctx: Ctx, node: Node): Promise<Node> {
  const now = rfc3339(Date.now());
  const conditions: NodeCondition[] = structuredClone(node.status?.conditions ?? []);
  if (!conditions.some((c) => c.type === 'Ready')) {
    conditions.push({ type: 'Ready', status: 'Unknown', reason: 'NodeStatusNeverUpdated', message: 'Kubelet never posted node status.', lastHeartbeatTime: node.metadata.creationTimestamp ?? now, lastTransitionTime: now } as NodeCondition);
  }
  const readyWasKnown = conditions.some((c) => c.type === 'Ready' && c.status !== 'Unknown');
  let changed = false;
  for (const c of conditions) {
    if (c.status === 'Unknown') continue;
    Object.assign(c, { status: 'Unknown', reason: NODE_STATUS_UNKNOWN, message: 'Kubelet stopped posting node status.', lastTransitionTime: now });
    changed = true;
  }
  if (!changed && node.status?.conditions?.some((c) => c.type === 'Ready')) return node;
  const updated = await ctx.client.resource('v1', 'Node').updateStatus({ ...node, status: { ...(node.status ?? {}), conditions } });
  if (readyWasKnown) await ctx.events.record(updated, 'Normal', 'NodeNotReady', `Node ${node.metadata.name} status is now: NodeNotReady`);
  return updated;
}

/** Kubernetes' `MarkPodsNotReady`: pods on an unreachable node get Ready=False, so endpoints stop sending them traffic. */
async function markPodsNotReady(ctx: Ctx, pods: Pod[]): Promise<void> {
  const now = rfc3339(Date.now());
  const podsApi = ctx.client.resource('v1', 'Pod');
  await Promise.all(
    pods
      .filter((p) => !p.status?.phase || (p.status.phase !== 'Succeeded' && p.status.phase !== 'Failed'))
      .filter((p) => (p.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True'))
      .map(async (pod) => {
        const conditions = (pod.status?.conditions ?? []).map((c) => (c.type === 'Ready' ? { ...c, status: 'False', lastTransitionTime: now } : c));
        try {
          await podsApi.updateStatus({ ...pod, status: { ...(pod.status ?? {}), conditions } } as Pod);
        } catch (err) {
          if (!isApiError(err, 404) && !isApiError(err, 409)) throw err;
        }
      }),
  );
}

/** Makes the managed taints exactly `key` NoSchedule + NoExecute (or none), keeping `timeAdded` of taints already there. */
async function setTaints(ctx: Ctx, node: Node, key: string | undefined, now: number): Promise<Node> {
  const taints = node.spec?.taints ?? [];
  const others = taints.filter((t) => !managedTaint(t));
  const managed = taints.filter(managedTaint);
  const desired: Taint[] = key
    ? [
        managed.find((t) => t.key === key && t.effect === 'NoSchedule') ?? { key, effect: 'NoSchedule' },
        managed.find((t) => t.key === key && t.effect === 'NoExecute') ?? { key, effect: 'NoExecute', timeAdded: rfc3339(now) },
      ]
    : [];
  const same = desired.length === managed.length && desired.every((d) => managed.includes(d));
  if (same) return node;
  const next = [...others, ...desired];
  const spec = { ...(node.spec ?? {}) };
  if (next.length > 0) spec.taints = next;
  else delete spec.taints;
  return ctx.client.resource('v1', 'Node').update({ ...node, spec });
}

async function evict(ctx: Ctx, pod: Pod): Promise<void> {
  try {
    await ctx.client.resource('v1', 'Pod').delete(pod.metadata.name!, { namespace: pod.metadata.namespace!, preconditions: { uid: pod.metadata.uid! } });
  } catch (err) {
    if (isApiError(err, 404) || isApiError(err, 409)) return;
    throw err;
  }
  await ctx.events.record(pod, 'Normal', 'TaintManagerEviction', `Marking for deletion Pod ${pod.metadata.namespace}/${pod.metadata.name}`);
}
