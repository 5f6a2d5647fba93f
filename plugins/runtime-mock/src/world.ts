import { RUNTIME_LABELS, type ContainerConfig, type ContainerEvent, type ContainerEventListener, type ContainerEventType, type PodSandboxConfig } from '@skiff/sdk';
import type { MockBehaviour } from './behaviour.js';
import { scheduledExit } from './timeline.js';

/** How and when a simulated container exits (or exited). */
export interface MockExit {
  /** Epoch ms at which the container is (or will be) exited. */
  at: number;
  code: number;
  reason: string;
  message?: string;
}

/** One simulated pod sandbox. */
export interface MockSandbox {
  readonly id: string;
  readonly config: PodSandboxConfig;
  readonly createdAt: number;
  ready: boolean;
  readonly containerIds: Set<string>;
}

/**
 * One simulated container. Its state is not stored but derived from times (see `timeline.ts`), so
 * a container that runs or exits on schedule costs no timer.
 */
export interface MockContainer {
  readonly id: string;
  readonly sandboxId: string;
  readonly config: ContainerConfig;
  readonly behaviour: MockBehaviour;
  readonly createdAt: number;
  /** Epoch ms the process started; undefined while `created`. */
  startedAt?: number;
  /** True while `startContainer` waits out the start delay. */
  starting: boolean;
  /** An exit forced by the runtime (start failure, SIGTERM, SIGKILL); the earlier of this and the natural exit wins. */
  forcedExit?: MockExit;
  /** Callbacks waiting for the container to change (log followers, stoppers); created on demand. */
  waiters?: Set<() => void>;
  /** Which events have been told to listeners (each type once). */
  told?: Set<ContainerEventType>;
  /** The one timer that tells listeners about a scheduled exit (only while someone listens). */
  exitTimer?: ReturnType<typeof setTimeout>;
}

/**
 * The state a set of `MockRuntime` instances share: a simulated node's sandboxes and containers.
 * A new runtime instance over the same world adopts everything in it, as a restarted node agent
 * adopts the containers on its host.
 */
export class MockWorld {
  /** Sandboxes by id. */
  readonly sandboxes = new Map<string, MockSandbox>();
  /** Containers by id. */
  readonly containers = new Map<string, MockContainer>();
  /** Sandbox ids and container ids by their `RUNTIME_LABELS.podUid` label, so a pod's lookups do not scan the node. */
  private readonly sandboxesByPod = new Map<string, Set<string>>();
  private readonly containersByPod = new Map<string, Set<string>>();
  private nextId = 1;

  /** Adds a sandbox (indexed by its pod uid label). */
  addSandbox(sandbox: MockSandbox): void {
    this.sandboxes.set(sandbox.id, sandbox);
    index(this.sandboxesByPod, sandbox.config.labels[RUNTIME_LABELS.podUid], sandbox.id);
  }

  /** Removes a sandbox (not its containers). */
  deleteSandbox(id: string): void {
    const sandbox = this.sandboxes.get(id);
    if (!sandbox) return;
    this.sandboxes.delete(id);
    unindex(this.sandboxesByPod, sandbox.config.labels[RUNTIME_LABELS.podUid], id);
  }

  /** Adds a container (indexed by its pod uid label). */
  addContainer(container: MockContainer): void {
    this.containers.set(container.id, container);
    index(this.containersByPod, container.config.labels[RUNTIME_LABELS.podUid], container.id);
  }

  /** Removes a container from the world and from its sandbox. */
  deleteContainer(id: string): void {
    const container = this.containers.get(id);
    if (!container) return;
    this.containers.delete(id);
    this.sandboxes.get(container.sandboxId)?.containerIds.delete(id);
    unindex(this.containersByPod, container.config.labels[RUNTIME_LABELS.podUid], id);
  }

  /** The sandboxes whose pod uid label is `podUid`, or every sandbox when `podUid` is undefined. */
  sandboxesOf(podUid: string | undefined): Iterable<MockSandbox> {
    if (podUid === undefined) return this.sandboxes.values();
    return [...(this.sandboxesByPod.get(podUid) ?? [])].map((id) => this.sandboxes.get(id)!);
  }

  /** The containers whose pod uid label is `podUid`, or every container when `podUid` is undefined. */
  containersOf(podUid: string | undefined): Iterable<MockContainer> {
    if (podUid === undefined) return this.containers.values();
    return [...(this.containersByPod.get(podUid) ?? [])].map((id) => this.containers.get(id)!);
  }

  /** A fresh id with the given prefix, unique in this world. */
  newId(prefix: string): string {
    const n = this.nextId++;
    return `${prefix}-${n.toString(16).padStart(8, '0')}`;
  }

  /** Wakes everything waiting on the container (it started, was asked to stop, or was removed) and tells listeners what changed. */
  notify(container: MockContainer): void {
    if (this.listeners.size > 0) this.track(container);
    if (!container.waiters) return;
    for (const wake of [...container.waiters]) wake();
  }

  private readonly listeners = new Set<ContainerEventListener>();

  /**
   * Subscribes to container events of this world (see `ContainerRuntime.subscribeContainerEvents`).
   * While anyone listens, each container with a scheduled exit (`mock-run-ms`, a pending stop) has
   * one timer that fires at the exit; containers that just run cost nothing.
   */
  subscribe(listener: ContainerEventListener): () => void {
    const first = this.listeners.size === 0;
    this.listeners.add(listener);
    // What happened before the first subscription is not told; scheduled exits get their timers.
    if (first) for (const c of this.containers.values()) this.track(c, true);
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size === 0) {
        for (const c of this.containers.values()) this.clearExitTimer(c);
      }
    };
  }

  /** Tells listeners `type` for the container unless already told (a no-op without listeners; `silent` only marks it told). */
  private emit(container: MockContainer, type: ContainerEventType, at = Date.now(), silent = false): void {
    if (this.listeners.size === 0) return;
    const told = (container.told ??= new Set());
    if (told.has(type)) return;
    told.add(type);
    if (silent) return;
    const event: ContainerEvent = { type, containerId: container.id, sandboxId: container.sandboxId, podUid: container.config.labels[RUNTIME_LABELS.podUid] ?? '', at: new Date(at) };
    for (const listener of [...this.listeners]) {
      try {
        listener(event);
      } catch {
        // A listener must not throw; one that does does not stop the others.
      }
    }
  }

  /** Emits what has happened to the container by now, and arms its exit timer for what is scheduled. */
  private track(c: MockContainer, silent = false): void {
    const removed = !this.containers.has(c.id);
    this.emit(c, 'created', c.createdAt, silent);
    if (c.startedAt !== undefined) this.emit(c, 'started', c.startedAt, silent);
    const exit = scheduledExit(c);
    const now = Date.now();
    this.clearExitTimer(c);
    if (exit && exit.at <= now) this.emit(c, 'stopped', exit.at, silent);
    else if (exit && !removed) {
      c.exitTimer = setTimeout(() => {
        delete c.exitTimer;
        if (this.listeners.size > 0) this.track(c);
      }, exit.at - now);
      c.exitTimer.unref?.();
    }
    if (removed) this.emit(c, 'deleted', now, silent);
  }

  private clearExitTimer(c: MockContainer): void {
    if (c.exitTimer === undefined) return;
    clearTimeout(c.exitTimer);
    delete c.exitTimer;
  }
}

function index(map: Map<string, Set<string>>, key: string | undefined, id: string): void {
  if (key === undefined) return;
  let ids = map.get(key);
  if (!ids) map.set(key, (ids = new Set()));
  ids.add(id);
}

function unindex(map: Map<string, Set<string>>, key: string | undefined, id: string): void {
  if (key === undefined) return;
  const ids = map.get(key);
  if (!ids) return;
  ids.delete(id);
  if (ids.size === 0) map.delete(key);
}
