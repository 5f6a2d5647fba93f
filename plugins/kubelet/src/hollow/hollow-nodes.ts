import { createController, type Cluster, type Controller, type Informer, type Pod } from '@skiff/core';
import { Client, inProcessTransport } from '@skiff/sdk';
import { resolveOptions } from '../options.js';
import { NodeHeartbeats } from './heartbeats.js';
import { HollowNode } from './hollow-node.js';
import { hollowPodCIDR, resolveHollowOptions, type HollowNodesOptions, type ResolvedHollowNodesOptions } from './options.js';
import { PeriodicSpread, forEachLimit } from './spread.js';

/**
 * Many simulated nodes in one process (like kwok or kubemark's hollow nodes): each node has its
 * own Node, Lease, pod range, runtime instance and the real pod lifecycle ({@link HollowNode} with
 * a `PodSync`), while what costs connections and timers is shared — ONE pod informer (one watch)
 * over the pods bound to any of its nodes, ONE work queue and controller dispatching each pod key
 * to its node, ONE loop renewing every Lease and ONE loop rewriting every Node status, both spread
 * evenly over their period with bounded concurrency. With an evented runtime (the mock runtime is)
 * pods are synced on container events, probe changes and watch events, and otherwise resynced only
 * every `resyncIntervalMs`, so idle pods cost almost nothing.
 */
export class HollowNodes {
  readonly options: ResolvedHollowNodesOptions;
  /** The nodes by name. */
  readonly nodes = new Map<string, HollowNode>();
  private readonly client: Client;
  private readonly heartbeats: NodeHeartbeats;
  /** Which node each pod key was last synced on (to route a deleted pod's key). */
  private readonly podNodes = new Map<string, string>();
  private runtimeVersion = '';
  private informer: Informer<Pod> | undefined;
  private controller: Controller | undefined;
  private leaseLoop: PeriodicSpread<HollowNode> | undefined;
  private statusLoop: PeriodicSpread<HollowNode> | undefined;
  private stopped = false;

  constructor(
    private readonly cluster: Cluster,
    options: HollowNodesOptions,
  ) {
    this.options = resolveHollowOptions(options);
    this.client = new Client(inProcessTransport(cluster));
    this.heartbeats = new NodeHeartbeats(this.client, () => this.runtimeVersion);
    const o = this.options;
    const deps = { cluster, client: this.client, enqueue: (key: string) => this.enqueue(key), resyncIntervalMs: o.resyncIntervalMs };
    for (let i = 0; i < o.count; i++) {
      const nodeOptions = resolveOptions({
        nodeName: `${o.namePrefix}${i}`,
        runtime: o.runtime,
        podCIDR: hollowPodCIDR(i),
        capacity: o.capacity,
        leaseDurationSeconds: o.leaseDurationSeconds,
        renewIntervalMs: o.renewIntervalMs,
        statusIntervalMs: o.statusIntervalMs,
        syncIntervalMs: o.syncIntervalMs,
        restartBackoff: o.restartBackoff,
        secondsScale: o.secondsScale,
      });
      this.nodes.set(nodeOptions.nodeName, new HollowNode(nodeOptions, deps));
    }
  }

  /** How many Lease renewals and Node status writes completed, and how many failed. */
  get heartbeatStats(): { leaseRenewals: number; leaseFailures: number; statusWrites: number; statusFailures: number } {
    return {
      leaseRenewals: this.leaseLoop?.runs ?? 0,
      leaseFailures: this.leaseLoop?.failures ?? 0,
      statusWrites: this.statusLoop?.runs ?? 0,
      statusFailures: this.statusLoop?.failures ?? 0,
    };
  }

  /** Registers every Node and Lease, adopts what the runtimes hold, then starts the shared watch, queue and heartbeat loops. */
  async start(): Promise<void> {
    const o = this.options;
    const nodes = [...this.nodes.values()];
    if (nodes.length === 0) return;
    const version = await (await nodes[0]!.runtimeFor(o.runtime)).version();
    this.runtimeVersion = `${version.runtimeName}://${version.runtimeVersion}`;
    const failed = [
      ...(await forEachLimit(nodes, o.apiConcurrency, (n) => this.heartbeats.register(n.options))),
      ...(await forEachLimit(nodes, o.apiConcurrency, (n) => this.heartbeats.renewLease(n.options))),
    ];
    if (failed.length > 0) throw failed[0];

    // One watch over every scheduled pod; keys of pods on other nodes are ignored.
    const informer = this.client.resource('v1', 'Pod').informer({ fieldSelector: 'spec.nodeName!=' });
    this.informer = informer;
    const controller = createController({
      name: 'HollowNodes',
      maxConcurrentReconciles: o.concurrency,
      drainTimeoutMs: 5_000,
      reconcile: async (ctx, req) => {
        const key = `${req.namespace ?? ''}/${req.name}`;
        const cached = informer.get(key);
        const nodeName = cached?.spec?.nodeName ?? this.podNodes.get(key);
        const node = nodeName === undefined ? undefined : this.nodes.get(nodeName);
        if (!node) return;
        if (cached) this.podNodes.set(key, node.name);
        // PodSync never mutates the pod it is given, so the cache's object is passed as is (no copy per sync).
        const result = await node.podSync.sync(key, cached, ctx.signal);
        if (!cached) this.podNodes.delete(key);
        return result;
      },
    });
    this.controller = controller;
    const route = (pod: Pod) => {
      if (this.nodes.has(pod.spec?.nodeName ?? '')) controller.enqueue({ namespace: pod.metadata.namespace ?? '', name: pod.metadata.name ?? '' });
    };
    informer.addEventHandler({ add: route, update: (old, pod) => (needsSync(old, pod) ? route(pod) : undefined), delete: route });
    informer.start();
    await informer.waitForSync();

    const podsByNode = new Map<string, Pod[]>();
    for (const pod of informer.list()) {
      const name = pod.spec?.nodeName ?? '';
      if (this.nodes.has(name)) podsByNode.set(name, [...(podsByNode.get(name) ?? []), pod]);
    }
    await forEachLimit(nodes, o.apiConcurrency, async (n) => {
      await n.podSync.adoptFrom(await n.runtimeFor(o.runtime), o.runtime, podsByNode.get(n.name) ?? []);
    });
    if (this.stopped) return;
    controller.start();

    this.leaseLoop = new PeriodicSpread(nodes, o.renewIntervalMs, o.apiConcurrency, (n) => this.heartbeats.renewLease(n.options));
    this.statusLoop = new PeriodicSpread(nodes, o.statusIntervalMs, o.apiConcurrency, (n) => this.heartbeats.updateStatus(n.options));
    this.leaseLoop.start();
    this.statusLoop.start();
  }

  /** Stops the watch, the queue and the loops; pods keep running in the runtimes (a new instance adopts them). Idempotent. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.informer?.stop();
    for (const node of this.nodes.values()) node.probes.stop();
    await Promise.all([this.leaseLoop?.stop(), this.statusLoop?.stop(), this.controller?.stop()]);
    await Promise.all([...this.nodes.values()].map((n) => n.close()));
  }

  private enqueue(key: string): void {
    const slash = key.indexOf('/');
    this.controller?.enqueue({ namespace: key.slice(0, slash), name: key.slice(slash + 1) });
  }
}

/**
 * Whether an update of a pod can change what its node does: anything but a status-only write (the
 * nodes' own status writes come back through the watch; like the kubelet, they are not work).
 */
function needsSync(old: Pod, pod: Pod): boolean {
  const a = old.metadata;
  const b = pod.metadata;
  return (
    a.uid !== b.uid ||
    a.generation !== b.generation ||
    a.deletionTimestamp !== b.deletionTimestamp ||
    a.deletionGracePeriodSeconds !== b.deletionGracePeriodSeconds ||
    JSON.stringify(a.labels ?? {}) !== JSON.stringify(b.labels ?? {}) ||
    JSON.stringify(a.annotations ?? {}) !== JSON.stringify(b.annotations ?? {}) ||
    (old.status?.phase !== pod.status?.phase && (pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed'))
  );
}
