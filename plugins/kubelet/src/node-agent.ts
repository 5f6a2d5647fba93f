import { createController, enqueueRequestForObject, isApiError, type Cluster, type Controller, type Informer, type Lease, type Node, type Pod } from '@skiff/core';
import { Client, RUNTIME_LABELS, RUNTIME_REGISTRY, httpTransport, inProcessTransport, withDeadline, type ContainerRuntime, type RuntimeFactory } from '@skiff/sdk';
import { AgentServer } from './agent-server.js';
import { IpAllocator } from './ip-allocator.js';
import { microTime, nodeObject, nodeStatus } from './node-object.js';
import { resolveOptions, type NodeAgentOptions, type ResolvedNodeAgentOptions } from './options.js';
import { NodePodLogs } from './pod-logs.js';
import { PodSync } from './pod-sync.js';
import { ProbeManager } from './probes.js';

/** The namespace node Leases live in. */
export const NODE_LEASE_NAMESPACE = 'kube-node-lease';

/** The runtime check waits for `version()` at least this long (else `runtimeCheckIntervalMs`) before calling the runtime down. */
const MIN_RUNTIME_CHECK_TIMEOUT_MS = 2_000;

/**
 * One node agent (a kubelet) inside a cluster: registers its Node, renews its Lease, and runs the
 * pods bound to it (`spec.nodeName`) through container runtimes from the cluster's `runtime`
 * registry. `stop()` clears its timers, stops watching and closes its runtime instances but leaves
 * pods running, so a new agent for the same node adopts them on `start()`.
 */
export class NodeAgent {
  readonly options: ResolvedNodeAgentOptions;
  /** The agent's pod log source (registered in the cluster's `podLogs` registry by the plugin). */
  readonly podLogs: NodePodLogs;
  /** The agent's probe runner (its timers are cleared by `stop()`). */
  readonly probes: ProbeManager;
  private readonly client: Client;
  private readonly ips: IpAllocator;
  private readonly runtimes = new Map<string, Promise<ContainerRuntime>>();
  private readonly timers: ReturnType<typeof setInterval>[] = [];
  private informer: Informer<Pod> | undefined;
  private controller: Controller | undefined;
  private podSync: PodSync | undefined;
  private runtimeVersion = '';
  /** Why the default runtime cannot be used, while it cannot. */
  private runtimeDown: string | undefined;
  /** True while a runtime check waits for its answer (checks never overlap). */
  private checkingRuntime = false;
  /** True once the pod controller was started (the runtime answered). */
  private syncing = false;
  /** True once the pod informer listed this node's pods. */
  private informerSynced = false;
  private agentServer: AgentServer | undefined;
  private agentPort: number | undefined;
  private stopped = false;

  constructor(
    private readonly cluster: Cluster,
    options: NodeAgentOptions,
  ) {
    this.options = resolveOptions(options);
    const server = this.options.server;
    this.client = new Client(
      server ? httpTransport({ server: server.url, token: server.token, ...(server.caCertPem ? { caCertPem: server.caCertPem } : {}) }) : inProcessTransport(cluster),
    );
    this.ips = new IpAllocator(this.options.podCIDR);
    this.probes = new ProbeManager(this.options.secondsScale, (target, _kind, _message, graceSeconds) => {
      // Kill the unhealthy instance (preStop hook first); the next sync restarts it per the pod's restartPolicy.
      const kill = this.podSync ? this.podSync.killContainer(target, graceSeconds) : target.runtime.stopContainer(target.containerId, graceSeconds);
      void kill.catch(() => undefined);
    }, (podKey) => this.enqueue(podKey));
    this.podLogs = new NodePodLogs({ client: this.client, defaultRuntime: this.options.runtime, runtimeFor: (name) => this.runtimeFor(name) });
  }

  /** The runtime instance for a runtime class name, made once per agent. Rejects when no such runtime is registered. */
  runtimeFor(name: string): Promise<ContainerRuntime> {
    let instance = this.runtimes.get(name);
    if (!instance) {
      instance = (async () => {
        const factory = this.cluster.registry<RuntimeFactory>(RUNTIME_REGISTRY).get(name);
        return factory({ nodeName: this.options.nodeName });
      })();
      this.runtimes.set(name, instance);
      instance.catch(() => this.runtimes.delete(name));
    }
    return instance;
  }

  /** The port of the agent's own HTTP endpoint, once started with `port` set. */
  get port(): number | undefined {
    return this.agentPort;
  }

  /**
   * Registers the Node and Lease, adopts what the runtime holds, then starts syncing pods. When the
   * runtime cannot be reached (its `version()` fails) the agent still registers, reports the node
   * not Ready with the reason, and starts syncing pods once the runtime answers.
   */
  async start(): Promise<void> {
    await this.checkRuntime();
    if (this.options.port !== undefined && this.options.server) {
      this.agentServer = new AgentServer({ host: '127.0.0.1', port: this.options.port, token: this.options.server.token, logs: this.podLogs });
      this.agentPort = await this.agentServer.listen();
    }
    await this.registerNode();
    await this.renewLease();
    this.timers.push(setInterval(() => void this.renewLease().catch(() => undefined), this.options.renewIntervalMs));
    this.timers.push(setInterval(() => void this.updateNodeStatus().catch(() => undefined), this.options.statusIntervalMs));
    this.timers.push(setInterval(() => void this.runtimeTick().catch(() => undefined), this.options.runtimeCheckIntervalMs));

    const podSync = new PodSync({ client: this.client, options: this.options, ips: this.ips, runtimeFor: (name) => this.runtimeFor(name), probes: this.probes, enqueue: (key) => this.enqueue(key) });
    this.podSync = podSync;
    const informer = this.client.resource('v1', 'Pod').informer({ fieldSelector: `spec.nodeName=${this.options.nodeName}` });
    this.informer = informer;
    const controller = createController({
      name: `NodeAgent:${this.options.nodeName}`,
      maxConcurrentReconciles: 8,
      drainTimeoutMs: 5_000,
      reconcile: (ctx, req) => {
        const key = `${req.namespace ?? ''}/${req.name}`;
        const cached = informer.get(key);
        return podSync.sync(key, cached ? (structuredClone(cached) as Pod) : undefined, ctx.signal);
      },
    });
    this.controller = controller;
    informer.addEventHandler(enqueueRequestForObject(controller));
    informer.start();
    await informer.waitForSync();
    this.informerSynced = true;
    if (this.runtimeDown === undefined) await this.startSyncing();
  }

  /** Adopts what the default runtime holds, then starts the pod controller (once). */
  private async startSyncing(): Promise<void> {
    if (this.syncing || this.stopped) return;
    this.syncing = true;
    try {
      await this.adopt(await this.runtimeFor(this.options.runtime), this.informer!);
    } catch (err) {
      this.syncing = false;
      throw err;
    }
    this.controller!.start();
  }

  /**
   * Asks the default runtime for its version: sets `runtimeVersion`, or `runtimeDown` with the
   * reason when it cannot be reached (the node then reports not Ready).
   */
  private async checkRuntime(): Promise<void> {
    // A hung engine (its socket accepts but never answers) is down too: the answer is bounded.
    const limitMs = Math.max(this.options.runtimeCheckIntervalMs, MIN_RUNTIME_CHECK_TIMEOUT_MS);
    try {
      const runtime = await this.runtimeFor(this.options.runtime);
      const version = await withDeadline(runtime.version(), limitMs, () => {
        throw new Error(`no answer to version() within ${limitMs} ms`);
      });
      this.runtimeVersion = `${version.runtimeName}://${version.runtimeVersion}`;
      this.runtimeDown = undefined;
    } catch (err) {
      this.runtimeDown = err instanceof Error ? err.message : String(err);
    }
  }

  /** The runtime check: posts the node status when the runtime went down or came back, and starts syncing once it answers. */
  private async runtimeTick(): Promise<void> {
    if (this.checkingRuntime) return; // the previous check is still waiting for its answer
    this.checkingRuntime = true;
    try {
      const before = this.runtimeDown;
      await this.checkRuntime();
      // Adoption needs the full pod list: never before the informer synced. Not awaited, so a
      // runtime that hangs mid-adoption is still checked (and reported) on the next tick.
      if (this.runtimeDown === undefined && !this.syncing && this.informerSynced) void this.startSyncing().catch(() => undefined);
      if (before !== this.runtimeDown) await this.updateNodeStatus();
    } finally {
      this.checkingRuntime = false;
    }
  }

  /** Asks for the pod `namespace/name` to be synced soon (runtime container events, probe results). */
  private enqueue(key: string): void {
    const slash = key.indexOf('/');
    this.controller?.enqueue({ namespace: key.slice(0, slash), name: key.slice(slash + 1) });
  }

  /** Adopts containers whose pods still exist on this node and removes those whose pods are gone. */
  private async adopt(runtime: ContainerRuntime, informer: Informer<Pod>): Promise<void> {
    const podsByUid = new Map<string, Pod>();
    for (const pod of informer.list()) podsByUid.set(pod.metadata.uid ?? '', pod);
    const sandboxes = await runtime.listPodSandboxes();
    const containers = await runtime.listContainers();
    const uids = new Set([...sandboxes.map((s) => s.labels[RUNTIME_LABELS.podUid] ?? s.podUid), ...containers.map((c) => c.labels[RUNTIME_LABELS.podUid])]);
    for (const uid of uids) {
      if (!uid) continue;
      const pod = podsByUid.get(uid);
      const sandbox = sandboxes.find((s) => (s.labels[RUNTIME_LABELS.podUid] ?? s.podUid) === uid && s.state === 'ready');
      if (pod) {
        this.podSync!.adopt(`${pod.metadata.namespace ?? ''}/${pod.metadata.name}`, uid, this.options.runtime, sandbox?.ip);
      } else {
        await this.podSync!.killPod({ uid, runtimeName: this.options.runtime }, 0);
      }
    }
  }

  /**
   * Stops syncing and renewing. Pods keep running in the runtime for the next agent to adopt, unless
   * `shutdownGracePeriodSeconds` is set: then they are stopped and removed first. Idempotent.
   */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    for (const timer of this.timers) clearInterval(timer);
    this.timers.length = 0;
    this.probes.stop();
    const pods = this.informer?.list() ?? [];
    this.informer?.stop();
    this.podSync?.close();
    await this.controller?.stop();
    this.probes.stop();
    if (this.options.shutdownGracePeriodSeconds !== undefined && this.runtimeDown === undefined) await this.shutdownPods(pods, this.options.shutdownGracePeriodSeconds);
    await this.agentServer?.close();
    const runtimes = await Promise.allSettled([...this.runtimes.values()]);
    this.runtimes.clear();
    await Promise.all(runtimes.map((r) => (r.status === 'fulfilled' ? r.value.close() : undefined)));
  }

  /** Graceful node shutdown: stops and removes every pod the runtimes hold, in parallel, each within `graceCap` seconds. */
  private async shutdownPods(pods: Pod[], graceCap: number): Promise<void> {
    if (!this.podSync) return;
    const podsByUid = new Map(pods.map((p) => [p.metadata.uid ?? '', p]));
    const work: Promise<void>[] = [];
    for (const [name, instance] of this.runtimes) {
      const runtime = await instance.catch(() => undefined);
      if (!runtime) continue;
      const sandboxes = await runtime.listPodSandboxes().catch(() => []);
      const containers = await runtime.listContainers().catch(() => []);
      const uids = new Set([...sandboxes.map((s) => s.labels[RUNTIME_LABELS.podUid] ?? s.podUid), ...containers.map((c) => c.labels[RUNTIME_LABELS.podUid] ?? '')]);
      for (const uid of uids) {
        if (!uid) continue;
        const pod = podsByUid.get(uid);
        const grace = Math.min(graceCap, pod?.spec?.terminationGracePeriodSeconds ?? 30);
        work.push(this.podSync.killPod({ uid, runtimeName: name }, grace, pod).catch(() => undefined));
      }
    }
    await Promise.all(work);
  }

  private nodes() {
    return this.client.resource('v1', 'Node');
  }

  private async registerNode(): Promise<void> {
    const desired = nodeObject(this.options);
    let node: Node;
    try {
      node = await this.nodes().create(desired);
    } catch (err) {
      if (!(isApiError(err) && err.status.code === 409)) throw err;
      const existing = await this.nodes().get(this.options.nodeName);
      node = await this.nodes().update({
        ...existing,
        metadata: { ...existing.metadata, labels: { ...(existing.metadata.labels ?? {}), ...(desired.metadata.labels ?? {}) } },
        spec: { ...(existing.spec ?? {}), ...desired.spec },
      });
    }
    await this.nodes().updateStatus({ ...node, status: nodeStatus(this.options, this.runtimeVersion, node.status, this.agentPort, this.runtimeDown) });
  }

  private async updateNodeStatus(): Promise<void> {
    const node = await this.nodes().get(this.options.nodeName);
    await this.nodes().updateStatus({ ...node, status: nodeStatus(this.options, this.runtimeVersion, node.status, this.agentPort, this.runtimeDown) });
  }

  private async renewLease(): Promise<void> {
    const leases = this.client.resource('coordination.k8s.io/v1', 'Lease');
    const name = this.options.nodeName;
    const spec = { holderIdentity: name, leaseDurationSeconds: this.options.leaseDurationSeconds, renewTime: microTime() };
    try {
      const lease = await leases.get(name, { namespace: NODE_LEASE_NAMESPACE });
      await leases.update({ ...lease, spec: { ...(lease.spec ?? {}), ...spec } });
    } catch (err) {
      if (!(isApiError(err) && err.status.code === 404)) throw err;
      const lease: Lease = {
        apiVersion: 'coordination.k8s.io/v1',
        kind: 'Lease',
        metadata: { name, namespace: NODE_LEASE_NAMESPACE },
        spec: { ...spec, acquireTime: microTime() },
      };
      await leases.create(lease);
    }
  }
}
