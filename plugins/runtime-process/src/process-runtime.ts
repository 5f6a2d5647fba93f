import { randomBytes } from 'node:crypto';
import { existsSync, lstatSync, mkdirSync, readFileSync, readlinkSync, realpathSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import {
  RUNTIME_LABELS,
  labelsMatch,
  restartCountOf,
  runtimeError,
  shapeLogLines,
  type ContainerConfig,
  type ContainerEventListener,
  type ContainerEventType,
  type ContainerFilter,
  type ContainerRuntime,
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
import { containerEnv, findExecutable, linkMounts, resolveArgv } from './command.js';
import { observe, type Observed } from './container-state.js';
import { EventHub, hubFor } from './events.js';
import { execIn } from './exec.js';
import { readContainerLog } from './log-reader.js';
import { bootId, descendantsOf, isAlive, signalGroup, signalProcess } from './proc.js';
import { installShim, shimSocketName } from './shim.js';
import { requestStart, type ShimAddress } from './shim-client.js';
import { diskUsage, groupUsage, type ProcessContainerStats } from './stats.js';
import { StateDir, writeJson, type ContainerRecord, type ExitRecord, type SandboxRecord } from './state.js';

/** The version `version()` reports (the package's). */
export const PROCESS_RUNTIME_VERSION = '0.1.0';

/** Default size at which a container's log file is rotated: 10 MiB. */
export const DEFAULT_LOG_MAX_BYTES = 10 * 1024 * 1024;
/** Default number of log files per container, the current one included. */
export const DEFAULT_LOG_MAX_FILES = 5;

/** Options for a {@link ProcessRuntime}. */
export interface ProcessRuntimeOptions {
  /**
   * Where sandboxes, containers, their logs and state live. Instances over the same directory (in
   * this process or another) see and manage the same containers. Default
   * `<os.tmpdir()>/skiff-process-<nodeName>`.
   */
  stateDir?: string;
  /** The node this instance serves, for the default `stateDir`. Default `local`. */
  nodeName?: string;
  /** A container's log file is rotated before it would pass this size. Default 10 MiB. */
  logMaxBytes?: number;
  /** Log files kept per container, the current one included. Default 5. */
  logMaxFiles?: number;
  /** How long the shim lingers with no container to watch before it exits. Default 60 s. */
  shimIdleMs?: number;
}

/** Default time the shim lingers without containers. */
export const DEFAULT_SHIM_IDLE_MS = 60_000;

/** How long `startContainer` waits for the shim to report the process running. */
const START_TIMEOUT_MS = 10_000;
/** How long a stop waits after SIGKILL before giving up. */
const KILL_TIMEOUT_MS = 10_000;
const POLL_MS = 10;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function newId(): string {
  return randomBytes(16).toString('hex');
}

/** The default state directory of a node. */
export function defaultStateDir(nodeName: string): string {
  return join(tmpdir(), `skiff-process-${nodeName.replace(/[^A-Za-z0-9_.-]/g, '_')}`);
}

/**
 * A container runtime that runs each container as a host process: its `command` + `args` with the
 * container's `env` and `workingDir`, in a process group of its own, watched by a small Node shim
 * that writes its log (CRI format, rotated) and its exit code. The image is never pulled (see
 * `resolveArgv`). A pod sandbox is a directory and the pod's address in 127.0.0.0/8, which the
 * containers see as `SKIFF_POD_IP` and bind to. Stopping sends SIGTERM to the group, then SIGKILL
 * after the grace period. Everything lives in `stateDir`, so a new instance adopts what an earlier
 * one left (see docs/adr/0012-process-runtime.md).
 */
export class ProcessRuntime implements ContainerRuntime {
  /** The resolved state directory. */
  readonly stateDir: string;
  readonly logMaxBytes: number;
  readonly logMaxFiles: number;
  private readonly state: StateDir;
  private readonly hub: EventHub;
  private readonly shim: ShimAddress;
  private readonly starts = new Map<string, Promise<void>>();
  /** The last CPU and memory usage read per container, reported once it exited. */
  private readonly lastUsage = new Map<string, { cpuUsageCoreNanoSeconds: number; memoryWorkingSetBytes: number }>();
  private readonly unsubscribes = new Set<() => void>();
  private closed = false;

  constructor(options: ProcessRuntimeOptions = {}) {
    const dir = options.stateDir ?? defaultStateDir(options.nodeName ?? 'local');
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    this.stateDir = realpathSync(dir);
    checkOwnership(this.stateDir);
    this.logMaxBytes = options.logMaxBytes ?? DEFAULT_LOG_MAX_BYTES;
    this.logMaxFiles = options.logMaxFiles ?? DEFAULT_LOG_MAX_FILES;
    this.state = new StateDir(this.stateDir);
    const shimPath = installShim(this.stateDir);
    this.shim = { stateDir: this.stateDir, shimPath, socketName: shimSocketName(this.stateDir, shimPath), idleMs: options.shimIdleMs ?? DEFAULT_SHIM_IDLE_MS };
    const state = this.state;
    this.hub = hubFor(
      this.stateDir,
      () =>
        new EventHub((id, thorough) => {
          // The cheap look: one stat for the exit file the shim writes; the thorough one also checks the processes.
          if (!thorough && !existsSync(state.files(id).exit)) return existsSync(state.containerDir(id)) ? undefined : 'gone';
          if (!state.readContainer(id)) return 'gone';
          const seen = observe(state, id);
          return seen.state === 'exited' ? new Date(seen.exit!.finishedAt) : undefined;
        }),
    );
  }

  private open(): void {
    if (this.closed) throw runtimeError('SKIFF_ERR_RUNTIME_UNAVAILABLE', 'the process runtime instance is closed');
  }

  private sandbox(id: string): SandboxRecord {
    this.open();
    const sandbox = this.state.readSandbox(id);
    if (!sandbox) throw runtimeError('SKIFF_ERR_RUNTIME_NOT_FOUND', `no pod sandbox ${id}`, { sandboxId: id });
    return sandbox;
  }

  private container(id: string): ContainerRecord {
    this.open();
    const record = this.state.readContainer(id);
    if (!record) throw runtimeError('SKIFF_ERR_RUNTIME_NOT_FOUND', `no container ${id}`, { containerId: id });
    return record;
  }

  private emit(type: ContainerEventType, record: ContainerRecord, at?: Date): void {
    this.hub.emit(type, record.id, { sandboxId: record.sandboxId, podUid: record.config.labels[RUNTIME_LABELS.podUid] ?? '' }, at);
  }

  private containersOf(sandboxId: string): ContainerRecord[] {
    const out: ContainerRecord[] = [];
    for (const id of this.state.containerIds()) {
      const record = this.state.readContainer(id);
      if (record?.sandboxId === sandboxId) out.push(record);
    }
    return out;
  }

  async runPodSandbox(config: PodSandboxConfig): Promise<{ sandboxId: string }> {
    this.open();
    const id = newId();
    this.state.writeSandbox({ id, config: structuredClone(config), createdAt: Date.now(), ready: true });
    return { sandboxId: id };
  }

  async stopPodSandbox(sandboxId: string): Promise<void> {
    this.open();
    const sandbox = this.state.readSandbox(sandboxId);
    if (!sandbox) return;
    await Promise.all(this.containersOf(sandboxId).map((c) => this.stop(c, 0)));
    if (sandbox.ready) this.state.writeSandbox({ ...sandbox, ready: false });
  }

  async removePodSandbox(sandboxId: string): Promise<void> {
    this.open();
    if (!this.state.readSandbox(sandboxId)) return;
    await Promise.all(this.containersOf(sandboxId).map((c) => this.remove(c)));
    this.state.removeSandbox(sandboxId);
  }

  async createContainer(sandboxId: string, config: ContainerConfig): Promise<string> {
    const sandbox = this.sandbox(sandboxId);
    if (!sandbox.ready) throw runtimeError('SKIFF_ERR_RUNTIME_STATE', `pod sandbox ${sandboxId} is stopped`, { sandboxId });
    const argv = resolveArgv(config);
    const id = newId();
    const files = this.state.files(id);
    mkdirSync(files.root, { recursive: true });
    try {
      linkMounts(files.root, config.mounts ?? []);
      const record: ContainerRecord = {
        id,
        sandboxId,
        config: structuredClone(config),
        createdAt: Date.now(),
        argv,
        env: containerEnv(config, sandbox.config, files.root),
        cwd: config.workingDir ?? files.root,
        root: files.root,
      };
      if (config.logPath) linkLog(config.logPath, files.log);
      writeJson(files.record, record);
      this.emit('created', record);
      return id;
    } catch (err) {
      this.state.removeContainer(id);
      if ((err as { code?: string }).code?.startsWith('SKIFF_ERR_')) throw err;
      throw runtimeError('SKIFF_ERR_RUNTIME_STATE', `cannot create container ${config.name}: ${(err as Error).message}`, { name: config.name }, { cause: err });
    }
  }

  async startContainer(containerId: string): Promise<void> {
    const record = this.container(containerId);
    const seen = observe(this.state, containerId);
    if (this.starts.has(containerId) || seen.state !== 'created') {
      const state = this.starts.has(containerId) ? 'starting' : seen.state;
      throw runtimeError('SKIFF_ERR_RUNTIME_STATE', `container ${containerId} is ${state}, not created`, { containerId, state });
    }
    const start = this.start(record);
    this.starts.set(containerId, start);
    try {
      await start;
    } finally {
      this.starts.delete(containerId);
    }
  }

  /** Records a failed start (exit 128, `StartError`) and throws it. */
  private failStart(record: ContainerRecord, message: string): never {
    writeJson(this.state.files(record.id).exit, { finishedAt: Date.now(), exitCode: 128, reason: 'StartError', message } satisfies ExitRecord);
    this.emit('stopped', record);
    throw runtimeError('SKIFF_ERR_RUNTIME_STATE', `container ${record.id} failed to start: ${message}`, { containerId: record.id, reason: 'StartError' });
  }

  private async start(record: ContainerRecord): Promise<void> {
    const files = this.state.files(record.id);
    const command = record.argv[0]!;
    let cwdOk = false;
    try {
      cwdOk = statSync(record.cwd).isDirectory();
    } catch {
      cwdOk = false;
    }
    if (!cwdOk) this.failStart(record, `working directory ${record.cwd} does not exist on the host`);
    if (!findExecutable(command, record.env['PATH'] ?? '', record.cwd)) {
      this.failStart(record, `executable file "${command}" not found${command.includes('/') ? '' : ' in $PATH'} (the process runtime runs host programs)`);
    }
    try {
      await requestStart(this.shim, { op: 'start', dir: files.dir, logMaxBytes: this.logMaxBytes, logMaxFiles: this.logMaxFiles }, START_TIMEOUT_MS);
    } catch (err) {
      if (!this.state.hasExit(record.id) && !existsSync(files.started)) this.failStart(record, `the container shim could not start it: ${(err as Error).message}`);
    }
    const deadline = Date.now() + START_TIMEOUT_MS;
    while (!this.state.hasExit(record.id) && !existsSync(files.started)) {
      if (Date.now() > deadline) this.failStart(record, `the container shim did not start the process within ${START_TIMEOUT_MS} ms: ${tail(join(this.stateDir, 'shim.log'))}`);
      await sleep(2);
    }
    const exit = this.state.readExit(record.id);
    if (exit?.reason === 'StartError') {
      this.emit('stopped', record);
      throw runtimeError('SKIFF_ERR_RUNTIME_STATE', `container ${record.id} failed to start: ${exit.message ?? 'unknown error'}`, { containerId: record.id, reason: 'StartError' });
    }
    this.emit('started', record);
    if (exit) this.emit('stopped', record, new Date(exit.finishedAt));
    else this.hub.watch(record.id, { sandboxId: record.sandboxId, podUid: record.config.labels[RUNTIME_LABELS.podUid] ?? '' });
  }

  async stopContainer(containerId: string, graceSeconds: number): Promise<void> {
    this.open();
    const record = this.state.readContainer(containerId);
    if (record) await this.stop(record, graceSeconds);
  }

  /** Stops one container: SIGTERM to its group, SIGKILL after the grace period; resolves once it exited. */
  private async stop(record: ContainerRecord, graceSeconds: number): Promise<void> {
    await this.starts.get(record.id)?.catch(() => undefined);
    const seen = observe(this.state, record.id);
    if (seen.state === 'exited') return;
    if (seen.state === 'created') {
      writeJson(this.state.files(record.id).exit, { finishedAt: Date.now(), exitCode: 0, reason: 'Completed', message: 'stopped before it started' } satisfies ExitRecord);
      this.emit('stopped', record);
      return;
    }
    const main = seen.started!.process;
    // The group (pgid = the main pid), the main process in case it left it, and every descendant
    // seen now (one that left the group with setsid is orphaned once its parent dies, so the
    // list is taken before the first signal and kept for the SIGKILL).
    const boot = bootId();
    const tree = descendantsOf(main.pid).map((p) => ({ pid: p.pid, starttime: p.starttime, bootId: boot, leader: p.pgrp === p.pid }));
    const signal = (sig: NodeJS.Signals) => {
      signalGroup(main.pid, sig);
      if (isAlive(main)) signalProcess(main.pid, sig);
      for (const p of tree) {
        if (!isAlive(p)) continue;
        if (p.leader && p.pid !== main.pid) signalGroup(p.pid, sig);
        signalProcess(p.pid, sig);
      }
    };
    let exited: Observed | undefined;
    if (graceSeconds > 0) {
      signal('SIGTERM');
      exited = await this.waitExit(record.id, graceSeconds * 1000, { finishedAt: Date.now(), exitCode: 143, signal: 'SIGTERM' });
    }
    if (!exited) {
      signal('SIGKILL');
      exited = await this.waitExit(record.id, KILL_TIMEOUT_MS, { finishedAt: Date.now(), exitCode: 137, signal: 'SIGKILL' });
    }
    // What it started outside its group goes with it.
    for (const p of tree) {
      if (!isAlive(p)) continue;
      if (p.leader) signalGroup(p.pid, 'SIGKILL');
      signalProcess(p.pid, 'SIGKILL');
    }
    if (!exited) throw runtimeError('SKIFF_ERR_RUNTIME_STATE', `container ${record.id} did not exit within ${KILL_TIMEOUT_MS} ms of SIGKILL`, { containerId: record.id });
    this.emit('stopped', record, new Date(exited.exit!.finishedAt));
  }

  /** Polls until the container exited (`assumed` is its exit if the shim is gone too); undefined after `ms`. */
  private async waitExit(id: string, ms: number, assumed: ExitRecord): Promise<Observed | undefined> {
    const deadline = Date.now() + ms;
    for (;;) {
      const seen = observe(this.state, id, { ...assumed, finishedAt: Date.now() });
      if (seen.state === 'exited') return seen;
      if (Date.now() >= deadline) return undefined;
      await sleep(POLL_MS);
    }
  }

  async removeContainer(containerId: string): Promise<void> {
    this.open();
    const record = this.state.readContainer(containerId);
    if (record) await this.remove(record);
  }

  private async remove(record: ContainerRecord): Promise<void> {
    await this.stop(record, 0);
    if (record.config.logPath) unlinkLog(record.config.logPath, this.state.files(record.id).log);
    this.state.removeContainer(record.id);
    this.lastUsage.delete(record.id);
    this.emit('deleted', record);
  }

  async listContainers(filter: ContainerFilter = {}): Promise<ContainerStatus[]> {
    this.open();
    const out: ContainerStatus[] = [];
    for (const id of this.state.containerIds()) {
      const record = this.state.readContainer(id);
      if (!record) continue;
      if (filter.sandboxId !== undefined && record.sandboxId !== filter.sandboxId) continue;
      if (!labelsMatch(record.config.labels, filter.labels)) continue;
      const status = this.statusOf(record);
      if (filter.state !== undefined && status.state !== filter.state) continue;
      out.push(status);
    }
    return out;
  }

  async listPodSandboxes(filter: PodSandboxFilter = {}): Promise<PodSandboxStatus[]> {
    this.open();
    const out: PodSandboxStatus[] = [];
    for (const id of this.state.sandboxIds()) {
      const s = this.state.readSandbox(id);
      if (!s) continue;
      const state = s.ready ? 'ready' : 'notready';
      if (!labelsMatch(s.config.labels, filter.labels)) continue;
      if (filter.state !== undefined && filter.state !== state) continue;
      const { podUid, namespace, name, ip, hostname } = s.config;
      out.push({ id, podUid, namespace, name, ip, hostname, state, createdAt: new Date(s.createdAt), labels: { ...s.config.labels }, annotations: { ...s.config.annotations } });
    }
    return out;
  }

  async containerStatus(containerId: string): Promise<ContainerStatus> {
    return this.statusOf(this.container(containerId));
  }

  private statusOf(record: ContainerRecord): ContainerStatus {
    const seen = observe(this.state, record.id);
    const status: ContainerStatus = {
      id: record.id,
      sandboxId: record.sandboxId,
      name: record.config.name,
      image: record.config.image,
      state: seen.state,
      createdAt: new Date(record.createdAt),
      labels: { ...record.config.labels },
      annotations: { ...record.config.annotations },
    };
    if (seen.started) status.startedAt = new Date(seen.started.startedAt);
    if (seen.exit) {
      status.finishedAt = new Date(seen.exit.finishedAt);
      status.exitCode = seen.exit.exitCode;
      status.reason = seen.exit.reason ?? (seen.exit.exitCode === 0 ? 'Completed' : 'Error');
      if (seen.exit.message !== undefined) status.message = seen.exit.message;
    }
    const restartCount = restartCountOf(record.config.labels);
    if (restartCount !== undefined) status.restartCount = restartCount;
    return status;
  }

  logs(containerId: string, options: LogOptions = {}): AsyncIterable<LogLine> {
    return shapeLogLines(this.rawLogs(containerId, options), options);
  }

  private async *rawLogs(containerId: string, options: LogOptions): AsyncGenerator<LogLine> {
    this.container(containerId);
    const files = this.state.files(containerId);
    yield* readContainerLog(
      {
        path: files.log,
        maxFiles: this.logMaxFiles,
        finished: () => !existsSync(files.record) || observe(this.state, containerId).state === 'exited',
        stopped: () => this.closed,
      },
      options,
    );
  }

  async exec(containerId: string, command: string[], options: ExecOptions): Promise<ExecResult> {
    const record = this.container(containerId);
    const state = observe(this.state, containerId).state;
    if (state !== 'running') throw runtimeError('SKIFF_ERR_RUNTIME_STATE', `container ${containerId} is ${state}, not running`, { containerId, state, command });
    return execIn({ containerId, cwd: record.cwd, env: record.env }, command, options.timeoutMs);
  }

  /**
   * Usage from `/proc` while the container runs (see {@link groupUsage}) plus the disk used under its
   * root directory. Once it exited, CPU and memory are the last this instance read (0 if it never
   * read them: a reaped process leaves nothing in `/proc`), with no processes or open files.
   */
  async stats(containerId: string): Promise<ProcessContainerStats> {
    const record = this.container(containerId);
    const seen = observe(this.state, containerId);
    const fsUsedBytes = diskUsage(record.root);
    if (seen.state !== 'running') {
      const last = this.lastUsage.get(containerId);
      return { cpuUsageCoreNanoSeconds: last?.cpuUsageCoreNanoSeconds ?? 0, memoryWorkingSetBytes: last?.memoryWorkingSetBytes ?? 0, fsUsedBytes, openFiles: 0, processes: 0 };
    }
    const usage = groupUsage(seen.started!.process.pid);
    this.lastUsage.set(containerId, usage);
    return { ...usage, fsUsedBytes };
  }

  async version(): Promise<RuntimeVersion> {
    this.open();
    return { runtimeName: 'skiff-process', runtimeVersion: PROCESS_RUNTIME_VERSION };
  }

  /**
   * Container events of this instance's state directory (see
   * `ContainerRuntime.subscribeContainerEvents`): shared with every instance over it in this
   * process; exits are noticed within about 100 ms (2 s when the shim itself died). None after `close()`.
   */
  subscribeContainerEvents(listener: ContainerEventListener): () => void {
    this.open();
    const unsubscribe = this.hub.subscribe((event) => {
      if (!this.closed) listener(event);
    });
    this.unsubscribes.add(unsubscribe);
    // Containers started by earlier instances are watched too.
    for (const id of this.state.containerIds()) {
      const record = this.state.readContainer(id);
      if (record && observe(this.state, id).state === 'running') {
        this.hub.watch(id, { sandboxId: record.sandboxId, podUid: record.config.labels[RUNTIME_LABELS.podUid] ?? '' });
      }
    }
    return () => {
      this.unsubscribes.delete(unsubscribe);
      unsubscribe();
    };
  }

  /** Stops this instance; its containers and their shims keep running for the next instance. Idempotent. */
  async close(): Promise<void> {
    this.closed = true;
    for (const unsubscribe of this.unsubscribes) unsubscribe();
    this.unsubscribes.clear();
  }
}

/**
 * Refuses a state directory another user owns or may write to: its `container.json` files say what
 * the shim runs, as the agent's user (a directory under /tmp could have been made by anyone).
 */
function checkOwnership(dir: string): void {
  const st = statSync(dir);
  const uid = process.getuid?.();
  if ((uid !== undefined && st.uid !== uid) || (st.mode & 0o022) !== 0) {
    throw runtimeError(
      'SKIFF_ERR_RUNTIME_UNAVAILABLE',
      `the process runtime's state directory ${dir} must be owned by this user (uid ${uid ?? '?'}) and not writable by group or others (it is uid ${st.uid}, mode ${(st.mode & 0o777).toString(8)})`,
      { stateDir: dir },
    );
  }
}

/** The last lines of a small file, for error messages. */
function tail(path: string): string {
  try {
    const text = readFileSync(path, 'utf8').trim();
    return text.length > 0 ? text.split('\n').slice(-5).join(' | ') : '(no output)';
  } catch {
    return '(no output)';
  }
}

/** Points `logPath` (the agent's place for the log) at the container's current log file. */
function linkLog(logPath: string, target: string): void {
  mkdirSync(dirname(logPath), { recursive: true });
  try {
    if (lstatSync(logPath).isSymbolicLink()) rmSync(logPath);
  } catch {
    // absent
  }
  symlinkSync(target, logPath);
}

/** Removes the `logPath` symlink if it still points at this container's log. */
function unlinkLog(logPath: string, target: string): void {
  try {
    if (lstatSync(logPath).isSymbolicLink() && readlinkSync(logPath) === target) rmSync(logPath);
  } catch {
    // absent
  }
}
