import type { Cluster } from '@skiff/core';
import { RUNTIME_REGISTRY, type Client, type ContainerRuntime, type RuntimeFactory } from '@skiff/sdk';
import { IpAllocator } from '../ip-allocator.js';
import type { ResolvedNodeAgentOptions } from '../options.js';
import { NodePodLogs } from '../pod-logs.js';
import { PodSync } from '../pod-sync.js';
import { ProbeManager } from '../probes.js';

/** What a {@link HollowNode} shares with the others of its {@link HollowNodes}. */
export interface HollowNodeDeps {
  cluster: Cluster;
  client: Client;
  /** Asks for the pod `namespace/name` to be synced soon (the shared queue). */
  enqueue: (key: string) => void;
  /** The resync period of pods on evented runtimes. */
  resyncIntervalMs: number;
}

/**
 * One simulated node's own state: its options (name, pod range), address table, probe timers,
 * runtime instances (one world per node in the mock runtime), pod logs and the real
 * {@link PodSync} — the same pod lifecycle code a node agent runs. Everything that talks to the API
 * on a timer (watch, queue, Lease, Node status) is shared by {@link HollowNodes}.
 */
export class HollowNode {
  readonly ips: IpAllocator;
  readonly probes: ProbeManager;
  readonly podSync: PodSync;
  readonly podLogs: NodePodLogs;
  private readonly runtimes = new Map<string, Promise<ContainerRuntime>>();

  constructor(
    readonly options: ResolvedNodeAgentOptions,
    private readonly deps: HollowNodeDeps,
  ) {
    this.ips = new IpAllocator(options.podCIDR);
    this.probes = new ProbeManager(
      options.secondsScale,
      (target, _kind, _message, graceSeconds) => void this.podSync.killContainer(target, graceSeconds).catch(() => undefined),
      deps.enqueue,
    );
    const runtimeFor = (name: string) => this.runtimeFor(name);
    this.podSync = new PodSync({ client: deps.client, options, ips: this.ips, runtimeFor, probes: this.probes, enqueue: deps.enqueue, resyncIntervalMs: deps.resyncIntervalMs });
    this.podLogs = new NodePodLogs({ client: deps.client, defaultRuntime: options.runtime, runtimeFor });
  }

  get name(): string {
    return this.options.nodeName;
  }

  /** The runtime instance for a runtime class name, made once per node. Rejects when no such runtime is registered. */
  runtimeFor(name: string): Promise<ContainerRuntime> {
    let instance = this.runtimes.get(name);
    if (!instance) {
      instance = (async () => this.deps.cluster.registry<RuntimeFactory>(RUNTIME_REGISTRY).get(name)({ nodeName: this.options.nodeName }))();
      this.runtimes.set(name, instance);
      instance.catch(() => this.runtimes.delete(name));
    }
    return instance;
  }

  /** Stops probes and event subscriptions and closes the runtime instances; containers keep running. */
  async close(): Promise<void> {
    this.probes.stop();
    this.podSync.close();
    const runtimes = await Promise.allSettled([...this.runtimes.values()]);
    this.runtimes.clear();
    await Promise.all(runtimes.map((r) => (r.status === 'fulfilled' ? r.value.close() : undefined)));
  }
}
