import { randomBytes } from 'node:crypto';
import type Docker from 'dockerode';
import {
  RUNTIME_LABELS,
  labelsMatch,
  restartCountOf,
  runtimeError,
  selectPastLines,
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
import { containerStatusOf, engineTime, sandboxStateOf, sandboxStatusOf, startFailed, START_ERROR_EXIT_CODE, stateOf } from './container-state.js';
import { connectEngine, engineError, engineMessage, statusOf } from './engine.js';
import { EventHub, targetOf } from './events.js';
import { execIn } from './exec.js';
import { FrameDecoder } from './frames.js';
import { ensureImage } from './images.js';
import { DOCKER_LABELS, RUNTIME_NAME, labelFilter, namePart } from './labels.js';
import { LogLineSplitter, sinceParam, type EngineLogLine } from './logs.js';
import { networkOf, usageOf, type EngineStats } from './stats.js';

/** The sandbox image containerd uses: a container that only holds the pod's network. */
export const DEFAULT_SANDBOX_IMAGE = 'registry.k8s.io/pause:3.10';
/** The network sandboxes join by default: Docker's default bridge. */
export const DEFAULT_NETWORK = 'bridge';

/** Options for a {@link DockerRuntime}. */
export interface DockerRuntimeOptions {
  /**
   * The engine's address: `unix:///path/to/docker.sock` or `tcp://host:port`. Default: the
   * `DOCKER_HOST` environment variable, else `/var/run/docker.sock` (docker-modem's defaults).
   */
  host?: string;
  /** The image of each pod's sandbox container (pulled if missing). Default `registry.k8s.io/pause:3.10`. */
  sandboxImage?: string;
  /** Overrides the sandbox image's entrypoint, e.g. `['sleep', '2147483647']` for a busybox sandbox. */
  sandboxCommand?: string[];
  /** The Docker network sandboxes join. Default `bridge`. */
  network?: string;
  /**
   * The node this instance serves: everything it makes carries `skiff.dev/node=<nodeName>`, and it
   * only sees (and adopts) its own node's containers. Default `local`.
   */
  nodeName?: string;
}

type Inspect = Docker.ContainerInspectInfo;

/** Containers of a sandbox are stopped at once by `stopPodSandbox`: the engine's stop with no grace. */
const KILL_NOW = 0;

function isGone(err: unknown): boolean {
  return statusOf(err) === 404;
}

/** 304 (not modified: already stopped/started) and 409 (conflict: not running, removal in progress). */
function isAlreadyThere(err: unknown): boolean {
  const status = statusOf(err);
  return status === 304 || status === 409;
}

/**
 * A container runtime over a Docker Engine, as Kubernetes' dockershim drove it. Each pod is a
 * *sandbox* container (the `sandboxImage`, `pause` by default) on `network`, which owns the pod's
 * network namespace and publishes the pod's declared container ports on the pod's 127.x address;
 * the pod's containers join it (`container:<sandbox>` network and IPC modes), so they share
 * localhost and those ports. Images are pulled by `imagePullPolicy`. The engine is the world:
 * every fact the runtime needs is kept in labels, including `skiff.dev/node`, so a new instance
 * for the node adopts what an earlier one made, and nodes sharing an engine never see each other's
 * containers. Logs, exec, stats and events come from the engine; `ContainerConfig.logPath` is
 * ignored (the engine keeps the logs).
 */
export class DockerRuntime implements ContainerRuntime {
  /** The engine's address, as named in errors. */
  readonly host: string;
  readonly nodeName: string;
  readonly sandboxImage: string;
  readonly sandboxCommand: string[] | undefined;
  readonly network: string;
  /** The dockerode client (tests read the engine directly through it). */
  readonly docker: Docker;
  private readonly hub: EventHub;
  /** The last usage read per container, reported once it exited. */
  private readonly lastUsage = new Map<string, ContainerStats>();
  private closed = false;

  constructor(options: DockerRuntimeOptions = {}) {
    const connection = connectEngine(options.host);
    this.docker = connection.docker;
    this.host = connection.host;
    this.nodeName = options.nodeName ?? 'local';
    this.sandboxImage = options.sandboxImage ?? DEFAULT_SANDBOX_IMAGE;
    this.sandboxCommand = options.sandboxCommand;
    this.network = options.network ?? DEFAULT_NETWORK;
    this.hub = new EventHub(this.docker, this.nodeName);
  }

  // ---- plumbing ----

  private open(): void {
    if (this.closed) throw runtimeError('SKIFF_ERR_RUNTIME_UNAVAILABLE', `the docker runtime instance for node ${this.nodeName} is closed`, { host: this.host });
  }

  private fail(err: unknown, what: string, notFound?: string, details: Record<string, unknown> = {}) {
    return engineError(err, this.host, what, { ...(notFound ? { notFound } : {}), details });
  }

  /** The labels every object of this instance carries. */
  private ownLabels(): Record<string, string> {
    return { [DOCKER_LABELS.node]: this.nodeName, [DOCKER_LABELS.runtime]: RUNTIME_NAME };
  }

  private owns(inspect: Inspect, sandbox: boolean): boolean {
    const labels = inspect.Config.Labels ?? {};
    return labels[DOCKER_LABELS.node] === this.nodeName && labels[DOCKER_LABELS.runtime] === RUNTIME_NAME && (labels[DOCKER_LABELS.sandbox] === 'true') === sandbox;
  }

  /** Inspects one of this node's containers (or sandboxes); undefined when missing or not ours. */
  private async inspectOwn(id: string, sandbox: boolean, size = false): Promise<Inspect | undefined> {
    this.open();
    if (!id) return undefined;
    try {
      const inspect = await this.docker.getContainer(id).inspect(size ? ({ size: true } as Docker.ContainerInspectOptions) : {});
      return this.owns(inspect, sandbox) ? inspect : undefined;
    } catch (err) {
      if (isGone(err)) return undefined;
      throw this.fail(err, `inspecting ${sandbox ? 'pod sandbox' : 'container'} ${id}`);
    }
  }

  private async requireContainer(id: string, size = false): Promise<Inspect> {
    const inspect = await this.inspectOwn(id, false, size);
    if (!inspect) throw runtimeError('SKIFF_ERR_RUNTIME_NOT_FOUND', `no container ${id}`, { containerId: id });
    return inspect;
  }

  /** The ids of this node's containers (or sandboxes) matching the extra label filters. */
  private async listIds(sandbox: boolean, labels: Record<string, string> = {}): Promise<string[]> {
    this.open();
    const filters = { label: labelFilter({ ...this.ownLabels(), ...labels }) };
    try {
      const list = await this.docker.listContainers({ all: true, filters: JSON.stringify(filters) });
      return list.filter((c) => (c.Labels?.[DOCKER_LABELS.sandbox] === 'true') === sandbox).map((c) => c.Id);
    } catch (err) {
      throw this.fail(err, 'listing containers');
    }
  }

  private async inspectAll(ids: string[], sandbox: boolean): Promise<Inspect[]> {
    const all = await Promise.all(ids.map((id) => this.inspectOwn(id, sandbox)));
    return all.filter((i): i is Inspect => i !== undefined);
  }

  /** Creates a container under `name`, adding a suffix when the name is taken. */
  private async createNamed(name: string, spec: Docker.ContainerCreateOptions, what: string): Promise<Docker.Container> {
    for (let attempt = 0; ; attempt++) {
      const candidate = attempt === 0 ? name : `${name}_${randomBytes(3).toString('hex')}`;
      try {
        return await this.docker.createContainer({ ...spec, name: candidate });
      } catch (err) {
        if (statusOf(err) === 409 && /already in use/i.test(engineMessage(err)) && attempt < 5) continue;
        throw this.fail(err, what);
      }
    }
  }

  // ---- sandboxes ----

  async runPodSandbox(config: PodSandboxConfig): Promise<{ sandboxId: string }> {
    this.open();
    try {
      await ensureImage(this.docker, this.sandboxImage, 'IfNotPresent', this.host);
    } catch (err) {
      if ((err as { code?: string }).code === 'SKIFF_ERR_RUNTIME_IMAGE') {
        const reason = (err as { details?: { reason?: string } }).details?.reason ?? 'ErrImagePull';
        throw runtimeError('SKIFF_ERR_RUNTIME_IMAGE', `The sandbox image "${this.sandboxImage}" (the docker runtime's sandboxImage option) is not present and could not be pulled: ${(err as Error).message}`, { image: this.sandboxImage, reason }, { cause: err });
      }
      throw err;
    }
    const exposed: Record<string, Record<string, never>> = {};
    const bindings: Record<string, Array<{ HostIp: string; HostPort: string }>> = {};
    for (const port of config.ports ?? []) {
      const protocol = (port.protocol ?? 'TCP').toLowerCase();
      if (protocol !== 'tcp' && protocol !== 'udp') continue;
      const key = `${port.containerPort}/${protocol}`;
      exposed[key] = {};
      bindings[key] = [{ HostIp: config.ip, HostPort: String(port.containerPort) }];
    }
    const labels: Record<string, string> = {
      ...config.labels,
      [RUNTIME_LABELS.podUid]: config.podUid,
      [RUNTIME_LABELS.podNamespace]: config.namespace,
      [RUNTIME_LABELS.podName]: config.name,
      ...this.ownLabels(),
      [DOCKER_LABELS.sandbox]: 'true',
      [DOCKER_LABELS.podIp]: config.ip,
      [DOCKER_LABELS.hostname]: config.hostname,
      [DOCKER_LABELS.annotations]: JSON.stringify(config.annotations ?? {}),
    };
    const name = ['k8s', 'POD', namePart(config.name), namePart(config.namespace), namePart(config.podUid), '0'].join('_');
    const container = await this.createNamed(
      name,
      {
        Image: this.sandboxImage,
        ...(this.sandboxCommand ? { Entrypoint: this.sandboxCommand, Cmd: [] } : {}),
        Hostname: config.hostname,
        Labels: labels,
        ExposedPorts: exposed,
        HostConfig: { NetworkMode: this.network, PortBindings: bindings, IpcMode: 'shareable' },
      },
      `creating the sandbox of pod ${config.namespace}/${config.name}`,
    );
    try {
      await container.start();
      const inspect = await container.inspect();
      if (!inspect.State.Running) throw new Error(`the sandbox container exited at once (exit code ${inspect.State.ExitCode}${inspect.State.Error ? `: ${inspect.State.Error}` : ''})`);
    } catch (err) {
      await container.remove({ force: true }).catch(() => undefined);
      throw this.fail(err, `starting the sandbox of pod ${config.namespace}/${config.name}`);
    }
    return { sandboxId: container.id };
  }

  async stopPodSandbox(sandboxId: string): Promise<void> {
    const sandbox = await this.inspectOwn(sandboxId, true);
    if (!sandbox) return;
    const ids = await this.listIds(false, { [DOCKER_LABELS.sandboxId]: sandbox.Id });
    await Promise.all(ids.map((id) => this.kill(id)));
    await this.kill(sandbox.Id, true);
  }

  async removePodSandbox(sandboxId: string): Promise<void> {
    const sandbox = await this.inspectOwn(sandboxId, true);
    // Containers left behind by a sandbox container removed out of band go too.
    const ids = sandboxId ? await this.listIds(false, { [DOCKER_LABELS.sandboxId]: sandbox?.Id ?? sandboxId }) : [];
    await Promise.all(ids.map((id) => this.removeContainer(id)));
    if (!sandbox) return;
    try {
      await this.docker.getContainer(sandbox.Id).remove({ force: true, v: true });
    } catch (err) {
      if (!isGone(err) && !isAlreadyThere(err)) throw this.fail(err, `removing pod sandbox ${sandboxId}`);
    }
  }

  async listPodSandboxes(filter: PodSandboxFilter = {}): Promise<PodSandboxStatus[]> {
    const ids = await this.listIds(true, filter.labels ?? {});
    const out = (await this.inspectAll(ids, true)).map(sandboxStatusOf);
    return out.filter((s) => labelsMatch(s.labels, filter.labels) && (!filter.state || s.state === filter.state)).sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
  }

  // ---- containers ----

  async createContainer(sandboxId: string, config: ContainerConfig): Promise<string> {
    const sandbox = await this.inspectOwn(sandboxId, true);
    if (!sandbox) throw runtimeError('SKIFF_ERR_RUNTIME_NOT_FOUND', `no pod sandbox ${sandboxId}`, { sandboxId });
    if (sandboxStateOf(sandbox) !== 'ready') throw runtimeError('SKIFF_ERR_RUNTIME_STATE', `pod sandbox ${sandboxId} is not ready (stopped)`, { sandboxId });
    await ensureImage(this.docker, config.image, config.imagePullPolicy ?? 'IfNotPresent', this.host);
    const pod = sandbox.Config.Labels ?? {};
    const restartCount = restartCountOf(config.labels) ?? 0;
    const name = ['k8s', namePart(config.name), namePart(pod[RUNTIME_LABELS.podName] ?? 'pod'), namePart(pod[RUNTIME_LABELS.podNamespace] ?? 'default'), namePart(pod[RUNTIME_LABELS.podUid] ?? 'uid'), String(restartCount)].join('_');
    const labels: Record<string, string> = {
      ...config.labels,
      ...this.ownLabels(),
      [DOCKER_LABELS.sandboxId]: sandbox.Id,
      [DOCKER_LABELS.container]: config.name,
      [DOCKER_LABELS.image]: config.image,
      [DOCKER_LABELS.annotations]: JSON.stringify(config.annotations ?? {}),
    };
    const hostConfig: Docker.HostConfig = {
      NetworkMode: `container:${sandbox.Id}`,
      IpcMode: `container:${sandbox.Id}`,
    };
    if (config.mounts?.length) hostConfig.Binds = config.mounts.map((m) => `${m.hostPath}:${m.containerPath}${m.readOnly ? ':ro' : ''}`);
    if (config.resources?.cpuLimitMillicores) hostConfig.NanoCpus = Math.round(config.resources.cpuLimitMillicores * 1e6);
    if (config.resources?.memoryLimitBytes) hostConfig.Memory = Math.round(config.resources.memoryLimitBytes);
    const spec: Docker.ContainerCreateOptions = {
      Image: config.image,
      Labels: labels,
      Env: config.env.map((e) => `${e.name}=${e.value}`),
      Tty: false,
      OpenStdin: false,
      AttachStdout: false,
      AttachStderr: false,
      HostConfig: hostConfig,
    };
    if (config.command) spec.Entrypoint = config.command;
    // Kubernetes: a command without args does not run the image's CMD.
    if (config.args) spec.Cmd = config.args;
    else if (config.command) spec.Cmd = [];
    if (config.workingDir) spec.WorkingDir = config.workingDir;
    const container = await this.createNamed(name, spec, `creating container ${config.name} in pod sandbox ${sandboxId}`);
    const target = { sandboxId: sandbox.Id, podUid: config.labels[RUNTIME_LABELS.podUid] ?? '' };
    this.hub.remember(container.id, target);
    this.hub.emit('created', container.id, target);
    return container.id;
  }

  async startContainer(containerId: string): Promise<void> {
    const inspect = await this.requireContainer(containerId);
    const state = stateOf(inspect);
    if (state !== 'created') throw runtimeError('SKIFF_ERR_RUNTIME_STATE', `container ${containerId} is ${state}, not created`, { containerId, state });
    const target = targetOf(inspect.Config.Labels);
    this.hub.remember(inspect.Id, target);
    try {
      await this.docker.getContainer(inspect.Id).start();
    } catch (err) {
      if (isGone(err)) throw runtimeError('SKIFF_ERR_RUNTIME_NOT_FOUND', `no container ${containerId}`, { containerId });
      const failure = this.fail(err, `starting container ${containerId}`);
      if (failure.code === 'SKIFF_ERR_RUNTIME_UNAVAILABLE') throw failure;
      const after = await this.docker.getContainer(inspect.Id).inspect().catch(() => undefined);
      const exitCode = after?.State.ExitCode || START_ERROR_EXIT_CODE;
      this.hub.emit('stopped', inspect.Id, target, engineTime(after?.State.FinishedAt) ?? new Date());
      throw runtimeError('SKIFF_ERR_RUNTIME_STATE', `container ${containerId} failed to start: ${engineMessage(err)}`, { containerId, reason: 'StartError', exitCode }, { cause: err });
    }
    this.hub.emit('started', inspect.Id, target);
  }

  async stopContainer(containerId: string, graceSeconds: number): Promise<void> {
    const inspect = await this.inspectOwn(containerId, false);
    if (!inspect || !inspect.State.Running) return;
    const container = this.docker.getContainer(inspect.Id);
    try {
      if (graceSeconds <= 0) await this.kill(inspect.Id);
      else await container.stop({ t: Math.ceil(graceSeconds) });
    } catch (err) {
      if (!isGone(err) && !isAlreadyThere(err)) throw this.fail(err, `stopping container ${containerId}`);
    }
    await this.reportStopped(inspect.Id);
  }

  /** SIGKILLs a container and waits until the engine reports it stopped; gone or stopped is fine. */
  private async kill(id: string, sandbox = false): Promise<void> {
    const container = this.docker.getContainer(id);
    try {
      await container.kill({ signal: 'SIGKILL' });
    } catch (err) {
      if (!isGone(err) && !isAlreadyThere(err)) throw this.fail(err, `killing ${sandbox ? 'pod sandbox' : 'container'} ${id}`);
    }
    try {
      await container.wait({ condition: 'not-running' });
    } catch (err) {
      if (!isGone(err) && !isAlreadyThere(err)) throw this.fail(err, `waiting for ${sandbox ? 'pod sandbox' : 'container'} ${id}`);
    }
    if (!sandbox) await this.reportStopped(id);
  }

  private async reportStopped(id: string): Promise<void> {
    const after = await this.docker.getContainer(id).inspect().catch(() => undefined);
    if (after && !after.State.Running && engineTime(after.State.StartedAt)) {
      this.hub.emit('stopped', id, targetOf(after.Config.Labels), engineTime(after.State.FinishedAt) ?? new Date());
    }
  }

  async removeContainer(containerId: string): Promise<void> {
    const inspect = await this.inspectOwn(containerId, false);
    if (!inspect) return;
    const target = targetOf(inspect.Config.Labels);
    this.hub.remember(inspect.Id, target);
    try {
      await this.docker.getContainer(inspect.Id).remove({ force: true, v: true });
    } catch (err) {
      if (!isGone(err) && !isAlreadyThere(err)) throw this.fail(err, `removing container ${containerId}`);
    }
    this.lastUsage.delete(inspect.Id);
    this.hub.emit('deleted', inspect.Id, target);
  }

  async listContainers(filter: ContainerFilter = {}): Promise<ContainerStatus[]> {
    const extra: Record<string, string> = { ...(filter.labels ?? {}) };
    if (filter.sandboxId !== undefined) extra[DOCKER_LABELS.sandboxId] = filter.sandboxId;
    const ids = await this.listIds(false, extra);
    const out = (await this.inspectAll(ids, false)).map(containerStatusOf);
    return out
      .filter((c) => (filter.sandboxId === undefined || c.sandboxId === filter.sandboxId) && labelsMatch(c.labels, filter.labels) && (!filter.state || c.state === filter.state))
      .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
  }

  async containerStatus(containerId: string): Promise<ContainerStatus> {
    return containerStatusOf(await this.requireContainer(containerId));
  }

  // ---- logs ----

  logs(containerId: string, options: LogOptions = {}): AsyncIterable<LogLine> {
    return shapeLogLines(this.readLogs(containerId, options), options);
  }

  private async *readLogs(containerId: string, options: LogOptions): AsyncGenerator<LogLine> {
    const inspect = await this.requireContainer(containerId);
    const container = this.docker.getContainer(inspect.Id);
    const base = { stdout: true, stderr: true, timestamps: true };
    let raw: unknown;
    try {
      raw = await container.logs({ ...base, follow: false, ...(options.sinceTime ? { since: Math.floor(options.sinceTime.getTime() / 1000) } : {}) });
    } catch (err) {
      throw this.fail(err, `reading the logs of container ${containerId}`, `no container ${containerId}`, { containerId });
    }
    const buffer = Buffer.isBuffer(raw) ? raw : Buffer.from(typeof raw === 'string' ? raw : '');
    const decoder = new FrameDecoder();
    const splitter = new LogLineSplitter();
    const past: EngineLogLine[] = [];
    for (const frame of decoder.push(buffer)) past.push(...splitter.push(frame));
    const running = stateOf(inspect) === 'running';
    if (!running || !options.follow) past.push(...splitter.flush());
    for (const line of selectPastLines(past, options)) yield { time: line.time, stream: line.stream, line: line.line };
    if (!options.follow) return;
    const lastNs = past.length > 0 ? past[past.length - 1]!.ns : undefined;
    let stream: NodeJS.ReadableStream & { destroy?: () => void };
    try {
      stream = (await container.logs({ ...base, follow: true, ...(lastNs !== undefined ? { since: sinceParam(lastNs) as unknown as number } : {}) })) as NodeJS.ReadableStream & { destroy?: () => void };
    } catch (err) {
      if (isGone(err)) return;
      throw this.fail(err, `following the logs of container ${containerId}`);
    }
    const follower = new LogLineSplitter();
    const followDecoder = new FrameDecoder();
    const fresh = (line: EngineLogLine) => lastNs === undefined || line.ns > lastNs;
    try {
      for await (const chunk of stream as AsyncIterable<Buffer | string>) {
        for (const frame of followDecoder.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk))) {
          for (const line of follower.push(frame)) if (fresh(line)) yield { time: line.time, stream: line.stream, line: line.line };
        }
      }
      for (const line of follower.flush()) if (fresh(line)) yield { time: line.time, stream: line.stream, line: line.line };
    } finally {
      stream.destroy?.();
    }
  }

  // ---- exec, stats, version ----

  async exec(containerId: string, command: string[], options: ExecOptions): Promise<ExecResult> {
    const inspect = await this.requireContainer(containerId);
    if (!inspect.State.Running) throw runtimeError('SKIFF_ERR_RUNTIME_STATE', `container ${containerId} is not running`, { containerId, state: stateOf(inspect) });
    try {
      return await execIn(this.docker.getContainer(inspect.Id), command, options.timeoutMs);
    } catch (err) {
      if (statusOf(err) === 409) throw runtimeError('SKIFF_ERR_RUNTIME_STATE', `container ${containerId} is not running`, { containerId }, { cause: err });
      throw this.fail(err, `exec in container ${containerId}`, `no container ${containerId}`, { containerId });
    }
  }

  async stats(containerId: string): Promise<ContainerStats> {
    const inspect = await this.requireContainer(containerId, true);
    const fsUsedBytes = (inspect as Inspect & { SizeRw?: number }).SizeRw ?? 0;
    const last = this.lastUsage.get(inspect.Id);
    if (!inspect.State.Running) return { ...(last ?? { cpuUsageCoreNanoSeconds: 0, memoryWorkingSetBytes: 0 }), fsUsedBytes };
    let usage: ContainerStats;
    try {
      const raw = (await this.docker.getContainer(inspect.Id).stats({ stream: false, 'one-shot': true } as { stream: false })) as unknown as EngineStats;
      usage = { ...usageOf(raw), fsUsedBytes };
    } catch (err) {
      if (isGone(err)) throw runtimeError('SKIFF_ERR_RUNTIME_NOT_FOUND', `no container ${containerId}`, { containerId });
      throw this.fail(err, `reading the stats of container ${containerId}`);
    }
    const sandboxId = inspect.Config.Labels?.[DOCKER_LABELS.sandboxId];
    if (sandboxId) {
      try {
        const net = networkOf((await this.docker.getContainer(sandboxId).stats({ stream: false, 'one-shot': true } as { stream: false })) as unknown as EngineStats);
        if (net) Object.assign(usage, net);
      } catch {
        // the sandbox's network counters are a bonus
      }
    }
    this.lastUsage.set(inspect.Id, usage);
    return usage;
  }

  async version(): Promise<RuntimeVersion> {
    this.open();
    try {
      const v = await this.docker.version();
      return { runtimeName: RUNTIME_NAME, runtimeVersion: v.Version };
    } catch (err) {
      throw engineError(err, this.host, `Docker engine at ${this.host} failed`, { fallback: 'SKIFF_ERR_RUNTIME_UNAVAILABLE' });
    }
  }

  subscribeContainerEvents(listener: ContainerEventListener): () => void {
    this.open();
    return this.hub.subscribe(listener);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.hub.close();
    this.lastUsage.clear();
  }
}
