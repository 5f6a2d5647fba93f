import { readBehaviour, type MockDefaults } from './behaviour.js';
import { MockLog } from './log-lines.js';
import {
  RUNTIME_LABELS,
  labelsMatch,
  restartCountOf,
  runtimeError,
  shapeLogLines,
  type ContainerConfig,
  type ContainerEventListener,
  type ContainerFilter,
  type ContainerRuntime,
  type ContainerStats,
  type ContainerStatus,
  type ExecOptions,
  type ExecResult,
  type LogLine,
  type LogOptions,
  type PodSandboxConfig,
  type PodSandboxFilter,
  type PodSandboxStatus,
  type RuntimeVersion,
} from '@skiff/sdk';
import { exitAt, runningMs, scheduledExit, stateAt } from './timeline.js';
import { MockWorld, type MockContainer, type MockSandbox } from './world.js';

/** The version `MockRuntime.version()` reports. */
export const MOCK_RUNTIME_VERSION = '0.1.0';

/** Options for a {@link MockRuntime}. */
export interface MockRuntimeOptions {
  /** The world to simulate; share one between instances to adopt containers (default: a new world). */
  world?: MockWorld;
  /** Behaviour for containers whose annotations say nothing. */
  defaults?: MockDefaults;
}

const SIGTERM_EXIT = 143;
const SIGKILL_EXIT = 137;

/** Resolves after `ms` or when the container changes, whichever is first. */
function waitFor(c: MockContainer, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const waiters = (c.waiters ??= new Set());
    let timer: NodeJS.Timeout | undefined;
    const done = () => {
      if (timer) clearTimeout(timer);
      waiters.delete(done);
      if (waiters.size === 0) delete c.waiters;
      resolve();
    };
    waiters.add(done);
    if (Number.isFinite(ms)) timer = setTimeout(done, Math.max(0, ms));
  });
}

/**
 * A simulated container runtime, like kwok: containers are records in a {@link MockWorld} whose
 * state is derived from their start time and `skiff.dev/mock-*` annotations (see
 * `MOCK_ANNOTATIONS` in the SDK), so thousands of pods cost no processes and no per-container
 * timers. Timers exist only while a caller waits (a start delay, a stop's grace period, a log
 * follower) and, while someone subscribed to container events, one per container with a scheduled
 * exit. It keeps the whole `ContainerRuntime` contract, including the optional
 * `subscribeContainerEvents`, and passes the conformance suite.
 */
export class MockRuntime implements ContainerRuntime {
  /** The simulated node this instance drives; pass it to another instance to adopt. */
  readonly world: MockWorld;
  private readonly defaults: MockDefaults;
  private closed = false;
  private readonly unsubscribes = new Set<() => void>();

  constructor(options: MockRuntimeOptions = {}) {
    this.world = options.world ?? new MockWorld();
    this.defaults = options.defaults ?? {};
  }

  private open(): void {
    if (this.closed) throw runtimeError('SKIFF_ERR_RUNTIME_UNAVAILABLE', 'the mock runtime instance is closed');
  }

  private sandbox(id: string): MockSandbox {
    this.open();
    const sandbox = this.world.sandboxes.get(id);
    if (!sandbox) throw runtimeError('SKIFF_ERR_RUNTIME_NOT_FOUND', `no pod sandbox ${id}`, { sandboxId: id });
    return sandbox;
  }

  private container(id: string): MockContainer {
    this.open();
    const container = this.world.containers.get(id);
    if (!container) throw runtimeError('SKIFF_ERR_RUNTIME_NOT_FOUND', `no container ${id}`, { containerId: id });
    return container;
  }

  async runPodSandbox(config: PodSandboxConfig): Promise<{ sandboxId: string }> {
    this.open();
    const id = this.world.newId('sandbox');
    this.world.addSandbox({ id, config: structuredClone(config), createdAt: Date.now(), ready: true, containerIds: new Set() });
    return { sandboxId: id };
  }

  async stopPodSandbox(sandboxId: string): Promise<void> {
    this.open();
    const sandbox = this.world.sandboxes.get(sandboxId);
    if (!sandbox) return;
    for (const id of sandbox.containerIds) this.kill(this.world.containers.get(id));
    sandbox.ready = false;
  }

  async removePodSandbox(sandboxId: string): Promise<void> {
    this.open();
    const sandbox = this.world.sandboxes.get(sandboxId);
    if (!sandbox) return;
    for (const id of [...sandbox.containerIds]) this.drop(id);
    this.world.deleteSandbox(sandboxId);
  }

  async createContainer(sandboxId: string, config: ContainerConfig): Promise<string> {
    const sandbox = this.sandbox(sandboxId);
    if (!sandbox.ready) throw runtimeError('SKIFF_ERR_RUNTIME_STATE', `pod sandbox ${sandboxId} is stopped`, { sandboxId });
    const behaviour = readBehaviour(sandbox.config.annotations, config.annotations, this.defaults);
    if (behaviour.imageError !== undefined) {
      throw runtimeError('SKIFF_ERR_RUNTIME_IMAGE', `image ${config.image}: ${behaviour.imageError}`, { image: config.image, reason: 'ErrImagePull' });
    }
    const id = this.world.newId('container');
    const c: MockContainer = { id, sandboxId, config: structuredClone(config), behaviour, createdAt: Date.now(), starting: false };
    sandbox.containerIds.add(id);
    this.world.addContainer(c);
    this.world.notify(c);
    return id;
  }

  async startContainer(containerId: string): Promise<void> {
    const c = this.container(containerId);
    const state = stateAt(c, Date.now());
    if (state !== 'created' || c.starting) {
      throw runtimeError('SKIFF_ERR_RUNTIME_STATE', `container ${containerId} is ${c.starting ? 'starting' : state}, not created`, { containerId, state });
    }
    c.starting = true;
    if (c.behaviour.startDelayMs > 0) await waitFor(c, c.behaviour.startDelayMs);
    c.starting = false;
    if (!this.world.containers.has(containerId)) throw runtimeError('SKIFF_ERR_RUNTIME_NOT_FOUND', `container ${containerId} was removed while starting`, { containerId });
    if (c.forcedExit) return; // killed while starting
    if (c.behaviour.failStart !== undefined) {
      c.forcedExit = { at: Date.now(), code: 128, reason: 'StartError', message: c.behaviour.failStart };
      this.world.notify(c);
      throw runtimeError('SKIFF_ERR_RUNTIME_STATE', `container ${containerId} failed to start: ${c.behaviour.failStart}`, { containerId, reason: 'StartError' });
    }
    c.startedAt = Date.now();
    this.world.notify(c);
  }

  async stopContainer(containerId: string, graceSeconds: number): Promise<void> {
    this.open();
    const c = this.world.containers.get(containerId);
    if (!c) return;
    const now = Date.now();
    if (stateAt(c, now) === 'exited') return;
    if (c.startedAt === undefined) {
      this.kill(c);
      return;
    }
    const termAt = c.behaviour.ignoreSigterm ? Number.POSITIVE_INFINITY : now + c.behaviour.stopDelayMs;
    const killAt = now + Math.max(0, graceSeconds) * 1000;
    const exit = termAt <= killAt ? { at: termAt, code: SIGTERM_EXIT, reason: 'Error' } : { at: killAt, code: SIGKILL_EXIT, reason: 'Error' };
    if (!c.forcedExit || exit.at < c.forcedExit.at) c.forcedExit = exit;
    this.world.notify(c);
    for (;;) {
      const end = scheduledExit(c);
      const wait = (end?.at ?? Number.POSITIVE_INFINITY) - Date.now();
      if (wait <= 0 || !this.world.containers.has(containerId)) return;
      await waitFor(c, wait);
    }
  }

  /** SIGKILL now, unless it already exited. */
  private kill(c: MockContainer | undefined): void {
    if (!c) return;
    const now = Date.now();
    if (exitAt(c, now)) return;
    c.forcedExit = { at: now, code: c.startedAt === undefined ? 0 : SIGKILL_EXIT, reason: c.startedAt === undefined ? 'Completed' : 'Error' };
    if (c.startedAt === undefined) c.forcedExit.message = 'stopped before it started';
    this.world.notify(c);
  }

  private drop(containerId: string): void {
    const c = this.world.containers.get(containerId);
    if (!c) return;
    this.kill(c);
    this.world.deleteContainer(containerId);
    this.world.notify(c);
  }

  async removeContainer(containerId: string): Promise<void> {
    this.open();
    this.drop(containerId);
  }

  async listContainers(filter: ContainerFilter = {}): Promise<ContainerStatus[]> {
    this.open();
    const now = Date.now();
    let candidates: Iterable<MockContainer> = this.world.containersOf(filter.labels?.[RUNTIME_LABELS.podUid]);
    if (filter.sandboxId !== undefined) {
      const ids = this.world.sandboxes.get(filter.sandboxId)?.containerIds ?? new Set<string>();
      candidates = [...ids].map((id) => this.world.containers.get(id)!);
    }
    const out: ContainerStatus[] = [];
    for (const c of candidates) {
      if (!labelsMatch(c.config.labels, filter.labels)) continue;
      if (filter.state !== undefined && stateAt(c, now) !== filter.state) continue;
      out.push(this.statusOf(c, now));
    }
    return out;
  }

  async listPodSandboxes(filter: PodSandboxFilter = {}): Promise<PodSandboxStatus[]> {
    this.open();
    const out: PodSandboxStatus[] = [];
    for (const s of this.world.sandboxesOf(filter.labels?.[RUNTIME_LABELS.podUid])) {
      const state = s.ready ? 'ready' : 'notready';
      if (!labelsMatch(s.config.labels, filter.labels)) continue;
      if (filter.state !== undefined && filter.state !== state) continue;
      const { podUid, namespace, name, ip, hostname } = s.config;
      out.push({ id: s.id, podUid, namespace, name, ip, hostname, state, createdAt: new Date(s.createdAt), labels: { ...s.config.labels }, annotations: { ...s.config.annotations } });
    }
    return out;
  }

  async containerStatus(containerId: string): Promise<ContainerStatus> {
    return this.statusOf(this.container(containerId), Date.now());
  }

  private statusOf(c: MockContainer, now: number): ContainerStatus {
    const exit = exitAt(c, now);
    const status: ContainerStatus = {
      id: c.id,
      sandboxId: c.sandboxId,
      name: c.config.name,
      image: c.config.image,
      state: stateAt(c, now),
      createdAt: new Date(c.createdAt),
      labels: { ...c.config.labels },
      annotations: { ...c.config.annotations },
    };
    if (c.startedAt !== undefined) status.startedAt = new Date(c.startedAt);
    if (exit) {
      status.finishedAt = new Date(exit.at);
      status.exitCode = exit.code;
      status.reason = exit.reason;
      if (exit.message !== undefined) status.message = exit.message;
    }
    const restartCount = restartCountOf(c.config.labels);
    if (restartCount !== undefined) status.restartCount = restartCount;
    return status;
  }

  logs(containerId: string, options: LogOptions = {}): AsyncIterable<LogLine> {
    return shapeLogLines(this.rawLogs(containerId, options), options);
  }

  private async *rawLogs(containerId: string, options: LogOptions): AsyncGenerator<LogLine> {
    const c = this.container(containerId);
    const log = new MockLog(c);
    let next = log.firstIndex(log.countAt(Date.now()), options);
    for (;;) {
      const now = Date.now();
      const count = log.countAt(now);
      for (; next < count; next++) yield log.line(next);
      // Lines are only ever written before the exit, so once exited the loop above yielded the last.
      if (!options.follow || this.closed || !this.world.containers.has(containerId) || exitAt(c, now)) return;
      const due = Math.min(log.timeOf(next) ?? Number.POSITIVE_INFINITY, scheduledExit(c)?.at ?? Number.POSITIVE_INFINITY);
      await waitFor(c, due - Date.now());
    }
  }

  async exec(containerId: string, command: string[], options: ExecOptions): Promise<ExecResult> {
    const c = this.container(containerId);
    const begun = Date.now();
    const notRunning = (state: string) => runtimeError('SKIFF_ERR_RUNTIME_STATE', `container ${containerId} is ${state}, not running`, { containerId, state, command });
    const state = stateAt(c, begun);
    if (state !== 'running') throw notRunning(state);
    const b = c.behaviour;
    if (b.execDelayMs > 0) {
      // The command takes a while: it ends early only when the container stops (or is removed) or the timeout passes.
      const endAt = begun + b.execDelayMs;
      const timeoutAt = begun + options.timeoutMs;
      for (;;) {
        const now = Date.now();
        if (!this.world.containers.has(containerId) || stateAt(c, now) !== 'running') throw notRunning(this.world.containers.has(containerId) ? stateAt(c, now) : 'removed');
        if (now >= timeoutAt && timeoutAt < endAt) {
          throw runtimeError('SKIFF_ERR_RUNTIME_STATE', `exec in container ${containerId} timed out after ${options.timeoutMs} ms`, { containerId, command, reason: 'Timeout' });
        }
        if (now >= endAt) break;
        await waitFor(c, Math.min(endAt, timeoutAt, scheduledExit(c)?.at ?? Number.POSITIVE_INFINITY) - now);
      }
    }
    const now = Date.now();
    if (b.unhealthy) return { exitCode: 1, stdout: '', stderr: 'unhealthy (skiff.dev/mock-unhealthy)\n' };
    if (runningMs(c, now) < b.readyAfterMs) return { exitCode: 1, stdout: '', stderr: 'not ready yet (skiff.dev/mock-ready-after-ms)\n' };
    return { exitCode: b.execExitCode, stdout: b.execStdout, stderr: b.execStderr };
  }

  async stats(containerId: string): Promise<ContainerStats> {
    const c = this.container(containerId);
    const now = Date.now();
    const b = c.behaviour;
    return {
      // millicores/1000 cores × ms × 1e6 ns/ms
      cpuUsageCoreNanoSeconds: Math.round(b.cpuMillicores * runningMs(c, now) * 1000),
      memoryWorkingSetBytes: c.startedAt === undefined ? 0 : b.memoryBytes,
      fsUsedBytes: c.startedAt === undefined ? 0 : b.fsBytes,
    };
  }

  async version(): Promise<RuntimeVersion> {
    this.open();
    return { runtimeName: 'skiff-mock', runtimeVersion: MOCK_RUNTIME_VERSION };
  }

  /** Container events of this instance's world (see `ContainerRuntime.subscribeContainerEvents`); none after `close()`. */
  subscribeContainerEvents(listener: ContainerEventListener): () => void {
    this.open();
    const unsubscribe = this.world.subscribe((event) => {
      if (!this.closed) listener(event);
    });
    this.unsubscribes.add(unsubscribe);
    return () => {
      this.unsubscribes.delete(unsubscribe);
      unsubscribe();
    };
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const unsubscribe of this.unsubscribes) unsubscribe();
    this.unsubscribes.clear();
  }
}
