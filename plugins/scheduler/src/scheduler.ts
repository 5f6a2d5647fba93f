import { SkiffError, type Informer, type Node, type Pod, type PodCondition } from '@skiff/core';
import {
  CycleState,
  LeaderElector,
  leaderElectorSettings,
  leaderIdentity,
  StatusCode,
  Statuses,
  isUnschedulable,
  type Client,
  type NodeInfo,
  type SchedulerHandle,
  type SchedulerPluginDefinition,
  type Status,
  type WaitingPod,
} from '@skiff/sdk';
import { SchedulerCache, isTerminal, podKey } from './cache.js';
import { DEFAULT_SCHEDULER_NAME } from './default-profile.js';
import { BackgroundEventRecorder } from './events.js';
import { FitError } from './fit-error.js';
import { Framework } from './framework.js';
import type { ProfileConfig, SchedulerConfig } from './options.js';
import { IN_TREE_PLUGINS } from './plugins/registry.js';
import { SchedulingQueue, type QueuedPod } from './queue.js';
import { WaitingPodImpl } from './waiting-pods.js';

/** Kubernetes never looks for fewer feasible nodes than this (unless the cluster is smaller). */
const MIN_FEASIBLE_NODES_TO_FIND = 100;
const MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND = 5;
/** Kubernetes' message when the cluster has no nodes at all (`ErrNoNodesAvailable`). */
export const ERR_NO_NODES_AVAILABLE = 'no nodes available to schedule pods';
/** The scheduler yields to timers and I/O at least this often while the queue is busy. */
const YIELD_EVERY_MS = 20;

export interface SchedulerDeps {
  client: Client;
  config?: SchedulerConfig;
  /** Out-of-tree plugin definitions profiles may enable. */
  plugins?: readonly SchedulerPluginDefinition<any>[];
}

/** How many feasible nodes to look for among `numAllNodes` (Kubernetes' `numFeasibleNodesToFind`). */
export function numFeasibleNodesToFind(percentageOfNodesToScore: number | undefined, numAllNodes: number): number {
  if (numAllNodes < MIN_FEASIBLE_NODES_TO_FIND) return numAllNodes;
  let percentage = percentageOfNodesToScore ?? 0;
  if (percentage >= 100) return numAllNodes;
  if (percentage <= 0) percentage = Math.max(MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND, 50 - Math.floor(numAllNodes / 125));
  const n = Math.floor((numAllNodes * percentage) / 100);
  return Math.max(n, MIN_FEASIBLE_NODES_TO_FIND);
}

function changedBeyondStatus(a: Pod, b: Pod): boolean {
  return (
    JSON.stringify(a.spec) !== JSON.stringify(b.spec) ||
    JSON.stringify(a.metadata.labels) !== JSON.stringify(b.metadata.labels) ||
    JSON.stringify(a.metadata.annotations) !== JSON.stringify(b.metadata.annotations)
  );
}

function nodeChanged(a: Node, b: Node): boolean {
  return (
    JSON.stringify(a.spec) !== JSON.stringify(b.spec) ||
    JSON.stringify(a.metadata.labels) !== JSON.stringify(b.metadata.labels) ||
    JSON.stringify(a.status?.allocatable ?? a.status?.capacity) !== JSON.stringify(b.status?.allocatable ?? b.status?.capacity)
  );
}

/**
 * The scheduler: informs on pods and nodes, queues the pending pods whose `spec.schedulerName`
 * names one of its profiles, and runs Kubernetes' scheduling framework for them one scheduling
 * cycle at a time (PreFilter → Filter over a rotating sample of nodes → PostFilter when nothing
 * fits → PreScore → Score → Reserve → Permit), then a binding cycle per pod in the background
 * (wait at Permit → PreBind → Bind → PostBind). A chosen pod is *assumed* on its node before the
 * cycle yields, so the next cycle already counts it; a failed binding forgets it again.
 */
export class Scheduler {
  readonly cache = new SchedulerCache();
  readonly queue: SchedulingQueue;
  readonly identity: string;
  readonly events: BackgroundEventRecorder;
  private readonly client: Client;
  private readonly config: SchedulerConfig;
  private readonly profiles = new Map<string, Framework>();
  private readonly waiting = new Map<string, WaitingPodImpl>();
  private readonly bindings = new Set<Promise<void>>();
  private podInformer: Informer<Pod> | undefined;
  private nodeInformer: Informer<Node> | undefined;
  private elector: LeaderElector | undefined;
  private leading = false;
  private leaderGate: { promise: Promise<void>; open: () => void } = this.gate();
  private loopDone: Promise<void> | undefined;
  private running = false;
  private nextStartNodeIndex = 0;
  /** Pods this scheduler bound. */
  boundCount = 0;

  constructor(deps: SchedulerDeps) {
    this.client = deps.client;
    this.config = deps.config ?? {};
    const le = this.config.leaderElection ?? {};
    this.identity = leaderIdentity(le);
    this.events = new BackgroundEventRecorder(this.client, DEFAULT_SCHEDULER_NAME, this.identity);
    const registry = new Map<string, SchedulerPluginDefinition<any>>();
    for (const def of [...IN_TREE_PLUGINS, ...(deps.plugins ?? [])]) registry.set(def.name, def);
    const profiles: ProfileConfig[] = this.config.profiles ?? [{ schedulerName: DEFAULT_SCHEDULER_NAME }];
    for (const profile of profiles) {
      const handle: SchedulerHandle = {
        client: this.client,
        snapshot: this.cache,
        events: this.events,
        profileName: profile.schedulerName,
        waitingPod: (uid) => this.waiting.get(uid),
        waitingPods: () => [...this.waiting.values()] as WaitingPod[],
      };
      this.profiles.set(profile.schedulerName, new Framework(profile.schedulerName, profile, registry, handle));
    }
    if (this.profiles.size !== profiles.length) throw new SkiffError('SKIFF_ERR_PLUGIN_OPTIONS', 'plugin "Scheduler": two profiles have the same schedulerName', { plugin: 'Scheduler' });
    const first = this.profiles.values().next().value!;
    const sorts = new Set([...this.profiles.values()].map((f) => f.points.queueSort[0]!.name));
    if (sorts.size > 1) throw new SkiffError('SKIFF_ERR_PLUGIN_OPTIONS', `plugin "Scheduler": every profile must use the same QueueSort plugin (found ${[...sorts].join(', ')})`, { plugin: 'Scheduler' });
    if ((le.leaderElect ?? true) && !((le.retryPeriodMs ?? 2_000) < (le.renewDeadlineMs ?? 10_000) && (le.renewDeadlineMs ?? 10_000) < (le.leaseDurationMs ?? 15_000))) {
      throw new SkiffError('SKIFF_ERR_PLUGIN_OPTIONS', 'plugin "Scheduler": leaderElection needs retryPeriodMs < renewDeadlineMs < leaseDurationMs', { plugin: 'Scheduler' });
    }
    this.queue = new SchedulingQueue({
      less: first.less,
      initialBackoffMs: this.config.podInitialBackoffMs ?? 1_000,
      maxBackoffMs: this.config.podMaxBackoffMs ?? 10_000,
      maxUnschedulableMs: this.config.podMaxUnschedulableMs ?? 300_000,
    });
  }

  /** True while this scheduler may bind (it holds a freshly renewed Lease, or leader election is off). */
  isLeader(): boolean {
    return this.leading && (this.elector?.isLeader() ?? true);
  }

  /** The profile names (scheduler names) this scheduler serves. */
  profileNames(): string[] {
    return [...this.profiles.keys()];
  }

  private gate(): { promise: Promise<void>; open: () => void } {
    let open!: () => void;
    const promise = new Promise<void>((resolve) => (open = resolve));
    return { promise, open };
  }

  /** Starts informers, waits for their caches, then campaigns (or starts at once) and schedules. */
  async start(): Promise<void> {
    this.running = true;
    const nodes = this.client.resource('v1', 'Node').informer();
    const pods = this.client.resource('v1', 'Pod').informer();
    this.nodeInformer = nodes;
    this.podInformer = pods;
    nodes.addEventHandler({
      add: (node) => {
        this.cache.setNode(node);
        this.queue.moveAllToActiveOrBackoff();
      },
      update: (old, node) => {
        this.cache.setNode(node);
        if (nodeChanged(old, node)) this.queue.moveAllToActiveOrBackoff();
      },
      delete: (node) => this.cache.removeNode(node),
    });
    pods.addEventHandler({
      add: (pod) => this.onPod(undefined, pod),
      update: (old, pod) => this.onPod(old, pod),
      delete: (pod) => this.onPodDeleted(pod),
    });
    nodes.start();
    pods.start();
    await Promise.all([nodes.waitForSync(), pods.waitForSync()]);
    const le = this.config.leaderElection ?? {};
    if (le.leaderElect ?? true) {
      this.elector = new LeaderElector({
        ...leaderElectorSettings(le, this.client, 'kube-scheduler', this.identity),
        onStartedLeading: () => this.setLeading(true),
        onStoppedLeading: () => this.setLeading(false),
      });
      this.elector.start();
    } else {
      this.setLeading(true);
    }
    this.loopDone = this.loop();
  }

  /** Stops scheduling, waits for binding cycles in flight, releases the Lease and stops informers. */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.queue.close();
    this.leaderGate.open();
    for (const w of this.waiting.values()) w.reject('', 'the scheduler is stopping');
    await this.loopDone;
    await Promise.allSettled([...this.bindings]);
    await this.elector?.stop();
    this.podInformer?.stop();
    this.nodeInformer?.stop();
    await this.events.close();
  }

  private setLeading(leading: boolean): void {
    this.leading = leading;
    if (leading) this.leaderGate.open();
    else {
      this.events.resume();
      this.leaderGate = this.gate();
      for (const w of this.waiting.values()) w.reject('', 'the scheduler lost leadership');
    }
  }

  private responsible(pod: Pod): boolean {
    return this.profiles.has(pod.spec?.schedulerName ?? DEFAULT_SCHEDULER_NAME);
  }

  private onPod(old: Pod | undefined, pod: Pod): void {
    const key = podKey(pod);
    if (pod.spec?.nodeName) {
      this.queue.delete(key);
      if (isTerminal(pod)) {
        this.cache.removePod(pod);
        if (old && !isTerminal(old)) this.queue.moveAllToActiveOrBackoff();
        return;
      }
      this.cache.observeBound(pod);
      return;
    }
    if (!this.responsible(pod) || pod.metadata.deletionTimestamp || isTerminal(pod) || (pod.spec?.schedulingGates?.length ?? 0) > 0) {
      this.queue.delete(key);
      return;
    }
    if (this.cache.isAssumed(key)) return;
    if (!old) this.queue.add(pod);
    else this.queue.update(pod, changedBeyondStatus(old, pod));
  }

  private onPodDeleted(pod: Pod): void {
    const key = podKey(pod);
    this.queue.delete(key);
    const waiting = pod.metadata.uid ? this.waiting.get(pod.metadata.uid) : undefined;
    waiting?.reject('', 'the pod was deleted');
    if (pod.spec?.nodeName || this.cache.isAssumed(key)) {
      this.cache.removePod(pod);
      this.queue.moveAllToActiveOrBackoff();
    }
  }

  private async loop(): Promise<void> {
    let lastYield = performance.now();
    while (this.running) {
      if (!this.leading) {
        await this.leaderGate.promise;
        continue;
      }
      // Events wait while there is scheduling to do, and go out when the active queue is empty.
      if (this.queue.activeSize === 0) this.events.resume();
      const qp = await this.queue.pop();
      if (!qp) return;
      this.events.pause();
      if (!this.leading) {
        this.queue.putBack(qp);
        continue;
      }
      try {
        await this.scheduleOne(qp);
      } catch (err) {
        this.handleFailure(qp, Statuses.error(err), undefined);
      }
      if (performance.now() - lastYield > YIELD_EVERY_MS) {
        await new Promise((resolve) => setImmediate(resolve));
        lastYield = performance.now();
      }
    }
  }

  /** One scheduling cycle for one pod; starts its binding cycle in the background. */
  private async scheduleOne(qp: QueuedPod): Promise<void> {
    const pod = qp.pod;
    const fwk = this.profiles.get(pod.spec?.schedulerName ?? DEFAULT_SCHEDULER_NAME);
    if (!fwk || pod.metadata.deletionTimestamp || pod.spec?.nodeName || this.cache.isAssumed(qp.key)) {
      this.queue.done(qp.key);
      return;
    }
    const nodes = this.cache.nodeInfos();
    if (nodes.length === 0) return this.handleFailure(qp, Statuses.unresolvable(ERR_NO_NODES_AVAILABLE), undefined);
    const state = new CycleState();
    const skipped = new Set<string>();
    const fitError = new FitError(nodes.length);
    const pre = await fwk.runPreFilter(state, pod, skipped);
    if (pre.code !== StatusCode.Success) {
      if (isUnschedulable(pre)) {
        fitError.preFilterMessage = pre.reasons.join(', ');
        return this.noFit(fwk, state, qp, fitError, new Map());
      }
      return this.handleFailure(qp, pre, undefined);
    }
    if (this.queue.where(qp.key) !== 'inFlight') return; // deleted while PreFilter awaited
    const feasible = this.findFeasible(fwk, state, pod, skipped, nodes, fitError);
    if (!Array.isArray(feasible)) {
      if ('code' in feasible) return this.handleFailure(qp, feasible, undefined);
      return this.noFit(fwk, state, qp, fitError, feasible);
    }
    let chosen: NodeInfo = feasible[0]!;
    if (feasible.length > 1) {
      const skippedScore = new Set<string>();
      if (fwk.points.preScore.length > 0) {
        const ps = await fwk.runPreScore(state, pod, feasible, skippedScore);
        if (ps.code !== StatusCode.Success) return this.handleFailure(qp, ps, undefined);
        if (this.queue.where(qp.key) !== 'inFlight') return; // deleted while PreScore awaited
      }
      const totals = fwk.runScore(state, pod, feasible, skippedScore);
      if (!(totals instanceof Float64Array)) return this.handleFailure(qp, totals, undefined);
      chosen = selectHost(feasible, totals);
    }
    const nodeName = chosen.name;
    this.cache.assume(pod, nodeName);
    if (fwk.points.reserve.length > 0) {
      const rs = await fwk.runReserve(state, pod, nodeName);
      if (rs.code !== StatusCode.Success) {
        await fwk.runUnreserve(state, pod, nodeName);
        this.cache.forget(pod);
        return this.handleFailure(qp, rs, undefined);
      }
    }
    let waiting: WaitingPodImpl | undefined;
    if (fwk.points.permit.length > 0) {
      const permit = await fwk.runPermit(state, pod, nodeName, this.config.permitTimeoutMs ?? 15_000);
      if (permit.status.code !== StatusCode.Success) {
        await fwk.runUnreserve(state, pod, nodeName);
        this.cache.forget(pod);
        return this.handleFailure(qp, permit.status, undefined);
      }
      if (permit.waits.size > 0) {
        waiting = new WaitingPodImpl(pod.metadata.uid ?? qp.key, nodeName, permit.waits);
        this.waiting.set(waiting.uid, waiting);
      }
    }
    const binding = this.bindingCycle(fwk, state, qp, nodeName, waiting);
    this.bindings.add(binding);
    void binding.finally(() => this.bindings.delete(binding));
  }

  /** Filters nodes from the rotating start index until enough are feasible; an Error status aborts. */
  private findFeasible(fwk: Framework, state: CycleState, pod: Pod, skipped: ReadonlySet<string>, nodes: readonly NodeInfo[], fitError: FitError): NodeInfo[] | Status | Map<string, Status> {
    const n = nodes.length;
    const filtered = new Map<string, Status>();
    if (n === 0) return filtered;
    const wanted = numFeasibleNodesToFind(fwk.percentageOfNodesToScore ?? this.config.percentageOfNodesToScore, n);
    const filters = fwk.filtersFor(skipped);
    const keepStatuses = fwk.points.postFilter.length > 0;
    const feasible: NodeInfo[] = [];
    const start = this.nextStartNodeIndex % n;
    let processed = 0;
    for (let i = 0; i < n; i++) {
      let at = start + i;
      if (at >= n) at -= n;
      const nodeInfo = nodes[at]!;
      processed++;
      const s = fwk.runFilter(filters, state, pod, nodeInfo);
      if (s === undefined) {
        feasible.push(nodeInfo);
        if (feasible.length >= wanted) break;
      } else if (s.code === StatusCode.Error) {
        return s;
      } else {
        fitError.count(s);
        if (keepStatuses) filtered.set(nodeInfo.name, s);
      }
    }
    this.nextStartNodeIndex = (start + processed) % n;
    return feasible.length > 0 ? feasible : filtered;
  }

  private async noFit(fwk: Framework, state: CycleState, qp: QueuedPod, fitError: FitError, filtered: Map<string, Status>): Promise<void> {
    if (fwk.points.postFilter.length > 0) {
      const post = await fwk.runPostFilter(state, qp.pod, filtered);
      fitError.postFilterMessages.push(...post.messages);
      if (post.success) return this.handleFailure(qp, Statuses.error(new Error('PostFilter made room; retrying')), undefined);
    }
    this.handleFailure(qp, Statuses.unschedulable(), fitError);
  }

  private async bindingCycle(fwk: Framework, state: CycleState, qp: QueuedPod, nodeName: string, waiting: WaitingPodImpl | undefined): Promise<void> {
    const pod = qp.pod;
    const fail = async (status: Status) => {
      await fwk.runUnreserve(state, pod, nodeName);
      this.cache.forget(pod);
      this.queue.moveAllToActiveOrBackoff();
      this.handleFailure(qp, status, undefined);
    };
    try {
      if (waiting) {
        const outcome = await waiting.outcome;
        this.waiting.delete(waiting.uid);
        if (!outcome.allowed) return await fail(Statuses.withPlugin(Statuses.unschedulable(outcome.message), outcome.plugin));
      }
      if (fwk.points.preBind.length > 0) {
        const s = await fwk.runPreBind(state, pod, nodeName);
        if (s.code !== StatusCode.Success) return await fail(s);
      }
      if (!this.isLeader() || !this.running) return await fail(Statuses.error(new Error('not the leader; not binding')));
      const s = await fwk.runBind(state, pod, nodeName);
      if (s.code !== StatusCode.Success) return await fail(s);
      this.boundCount++;
      this.queue.done(qp.key);
      if (this.config.recordScheduledEvents ?? true) {
        this.events.event(pod, 'Normal', 'Scheduled', `Successfully assigned ${pod.metadata.namespace ?? 'default'}/${pod.metadata.name} to ${nodeName}`);
      }
      const cond = pod.status?.conditions?.find((c) => c.type === 'PodScheduled');
      if (cond && cond.status !== 'True') this.setPodScheduled(pod, { type: 'PodScheduled', status: 'True' });
      if (fwk.points.postBind.length > 0) await fwk.runPostBind(state, pod, nodeName);
    } catch (err) {
      await fail(Statuses.error(err));
    }
  }

  /** Records why the attempt failed and re-queues the pod (parked when unschedulable, backoff otherwise). */
  private handleFailure(qp: QueuedPod, status: Status, fitError: FitError | undefined): void {
    const pod = qp.pod;
    const unschedulable = isUnschedulable(status);
    const message = fitError ? fitError.message() : status.reasons.join(', ') || status.code;
    if (this.queue.where(qp.key) === 'inFlight') {
      this.events.event(pod, 'Warning', 'FailedScheduling', message);
      this.setPodScheduled(pod, { type: 'PodScheduled', status: 'False', reason: unschedulable ? 'Unschedulable' : 'SchedulerError', message });
    }
    this.queue.requeueFailed(qp, unschedulable);
  }

  /** Writes the PodScheduled condition through the status subresource when it differs (background, best-effort). */
  private setPodScheduled(pod: Pod, condition: PodCondition): void {
    const conditions = pod.status?.conditions ?? [];
    const current = conditions.find((c) => c.type === 'PodScheduled');
    if (current && current.status === condition.status && current.reason === condition.reason && current.message === condition.message) return;
    const now = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
    const next: PodCondition = {
      ...condition,
      lastProbeTime: undefined as unknown as string,
      lastTransitionTime: current && current.status === condition.status && current.lastTransitionTime ? current.lastTransitionTime : now,
    };
    delete (next as { lastProbeTime?: string }).lastProbeTime;
    const list = [...conditions.filter((c) => c.type !== 'PodScheduled'), next];
    void this.client
      .resource('v1', 'Pod')
      .patch(pod.metadata.name ?? '', { status: { conditions: list } }, { namespace: pod.metadata.namespace ?? 'default', subresource: 'status' })
      .catch(() => undefined);
  }
}

/** The node with the highest total; ties broken uniformly at random (reservoir sampling, as Kubernetes). */
function selectHost(nodes: readonly NodeInfo[], totals: Float64Array): NodeInfo {
  let best = 0;
  let ties = 1;
  for (let i = 1; i < totals.length; i++) {
    if (totals[i]! > totals[best]!) {
      best = i;
      ties = 1;
    } else if (totals[i] === totals[best]) {
      ties++;
      if (Math.random() * ties < 1) best = i;
    }
  }
  return nodes[best]!;
}
