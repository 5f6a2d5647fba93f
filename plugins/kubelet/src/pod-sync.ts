import { isApiError, quantityMilli, quantityValue, type Pod, type ReconcileResult, type SkiffError } from '@skiff/core';
import { RUNTIME_LABELS, isRuntimeError, type Client, type ContainerRuntime, type ContainerPort, type ContainerResources, type ContainerStatus as RuntimeContainer, type ImagePullPolicy } from '@skiff/sdk';
import { ContainerConfigError, expandVars, resolveEnv } from './container-env.js';
import { removePodVolumes, resolveMounts } from './volumes.js';
import type { IpAllocator } from './ip-allocator.js';
import { rfc3339 } from './node-object.js';
import type { ResolvedNodeAgentOptions } from './options.js';
import { condition, containerStatusOf, podPhase, qosClass, type ContainerView } from './pod-status.js';
import { RESTART_BACKOFF_LABEL, goDuration, restartDelay } from './restart-backoff.js';
import { recordContainerEvent, recordFailedPreStop, stopWithPreStop, type PodRef } from './prestop.js';
import { ImagePullBackoff } from './image-backoff.js';
import type { ProbeManager, ProbeTarget } from './probes.js';

type PodContainer = NonNullable<Pod['spec']>['containers'][number];

/** Finds (lazily creating) the runtime instance for a runtime class name; throws when none is registered. */
export type RuntimeLookup = (name: string) => Promise<ContainerRuntime>;

/** What {@link PodSync} needs from its agent. */
export interface PodSyncDeps {
  client: Client;
  options: ResolvedNodeAgentOptions;
  ips: IpAllocator;
  runtimeFor: RuntimeLookup;
  /** Runs the containers' startup, liveness and readiness probes. */
  probes: ProbeManager;
  /**
   * Asks for the pod `key` to be synced soon. When given, runtimes that offer container events
   * (`subscribeContainerEvents`) are subscribed to, a container that stops enqueues its pod, and
   * pods on such runtimes are otherwise only looked at every `resyncIntervalMs`; runtimes without
   * events are polled every `options.syncIntervalMs`.
   */
  enqueue?: (key: string) => void;
  /** How often a pod with live containers on an evented runtime is looked at again. Default {@link EVENTED_RESYNC_MS}. */
  resyncIntervalMs?: number;
}

/** The resync period of pods on runtimes with container events (the kubelet resyncs every minute). */
export const EVENTED_RESYNC_MS = 60_000;

/** Waiting reasons retried by polling (`syncIntervalMs`): a missing ConfigMap/Secret or image may appear any time (pulls wait out their back-off). */
const RETRIED_WAITING = new Set(['CreateContainerConfigError', 'ErrImagePull', 'ImagePullBackOff', 'ErrImageNeverPull', 'InvalidImageName']);

/** Per-pod memory the agent keeps between syncs (all of it can be rebuilt from the runtime). */
export interface PodRecord {
  uid: string;
  runtimeName: string;
}

const TERMINAL = new Set(['Succeeded', 'Failed']);

/** The container's `resources.limits` (cpu, memory) as the runtime enforces them; nothing when unlimited. */
function resourceLimits(spec: PodContainer): { resources?: ContainerResources } {
  const limits = spec.resources?.limits ?? {};
  const resources: ContainerResources = {};
  if (limits['cpu'] !== undefined) resources.cpuLimitMillicores = quantityMilli(limits['cpu']);
  if (limits['memory'] !== undefined) resources.memoryLimitBytes = quantityValue(limits['memory']);
  return Object.keys(resources).length > 0 ? { resources } : {};
}

/** A container's ports as the runtime contract names them (protocol defaulted to TCP). */
function containerPorts(spec: PodContainer): ContainerPort[] {
  return (spec.ports ?? []).map((p) => ({ containerPort: p.containerPort, protocol: (p.protocol ?? 'TCP') as NonNullable<ContainerPort['protocol']>, ...(p.name ? { name: p.name } : {}) }));
}

/** Every `containerPort` of the pod's init and app containers, once each (CRI's sandbox port mappings). */
function podPorts(pod: Pod): ContainerPort[] {
  const seen = new Map<string, ContainerPort>();
  for (const c of [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])]) {
    for (const port of containerPorts(c)) {
      const key = `${port.containerPort}/${port.protocol}`;
      if (!seen.has(key)) seen.set(key, port);
    }
  }
  return [...seen.values()];
}

function newestFirst(a: RuntimeContainer, b: RuntimeContainer): number {
  return (b.restartCount ?? 0) - (a.restartCount ?? 0) || b.createdAt.getTime() - a.createdAt.getTime();
}

/**
 * Drives one pod on this node toward its spec: sandbox, init containers in order, app containers,
 * restarts with backoff, status through the status subresource, and graceful deletion. Stateless
 * apart from which runtime and uid a pod key used; everything else is read from the runtime.
 */
export class PodSync {
  private readonly records = new Map<string, PodRecord>();
  /** Pod key by uid, to route container events. */
  private readonly keysByUid = new Map<string, string>();
  /** Unsubscribe functions of the runtimes whose events this sync follows. */
  private readonly subscriptions = new Map<ContainerRuntime, () => void>();
  private readonly imageBackoff: ImagePullBackoff;
  private closed = false;

  constructor(private readonly deps: PodSyncDeps) {
    this.imageBackoff = new ImagePullBackoff(deps.options.restartBackoff);
  }

  /** Records a pod found running at start (adoption). */
  adopt(key: string, uid: string, runtimeName: string, ip: string | undefined): void {
    this.remember(key, { uid, runtimeName });
    if (ip) this.deps.ips.reserve(uid, ip);
  }

  /**
   * Adoption at start: for what `runtime` holds, adopts the containers of pods in `pods` (by uid)
   * and removes those of pods that are gone. Returns how many pods were adopted.
   */
  async adoptFrom(runtime: ContainerRuntime, runtimeName: string, pods: Iterable<Pod>): Promise<number> {
    const podsByUid = new Map<string, Pod>();
    for (const pod of pods) podsByUid.set(pod.metadata.uid ?? '', pod);
    const sandboxes = await runtime.listPodSandboxes();
    const containers = await runtime.listContainers();
    const uids = new Set([...sandboxes.map((s) => s.labels[RUNTIME_LABELS.podUid] ?? s.podUid), ...containers.map((c) => c.labels[RUNTIME_LABELS.podUid])]);
    let adopted = 0;
    for (const uid of uids) {
      if (!uid) continue;
      const pod = podsByUid.get(uid);
      if (pod) {
        const sandbox = sandboxes.find((s) => (s.labels[RUNTIME_LABELS.podUid] ?? s.podUid) === uid && s.state === 'ready');
        this.adopt(`${pod.metadata.namespace ?? ''}/${pod.metadata.name}`, uid, runtimeName, sandbox?.ip);
        adopted++;
      } else {
        await this.killPod({ uid, runtimeName }, 0);
      }
    }
    return adopted;
  }

  /** Stops following runtime events. The runtimes themselves are closed by their owner. Idempotent. */
  close(): void {
    this.closed = true;
    for (const unsubscribe of this.subscriptions.values()) unsubscribe();
    this.subscriptions.clear();
  }

  private remember(key: string, record: PodRecord): void {
    const old = this.records.get(key);
    if (old && old.uid !== record.uid) this.keysByUid.delete(old.uid);
    this.records.set(key, record);
    this.keysByUid.set(record.uid, key);
  }

  private forget(key: string): void {
    const old = this.records.get(key);
    if (old && this.keysByUid.get(old.uid) === key) this.keysByUid.delete(old.uid);
    if (old) this.imageBackoff.clear(old.uid);
    this.records.delete(key);
  }

  /**
   * True when pods on `runtime` are driven by its container events (subscribing on first use): the
   * agent passed `enqueue` and the runtime implements `subscribeContainerEvents`. Only `stopped`
   * matters: the agent's own creates, starts and removals are seen by the sync that made them.
   */
  private evented(runtime: ContainerRuntime): boolean {
    const enqueue = this.deps.enqueue;
    if (!enqueue || !runtime.subscribeContainerEvents || this.closed) return false;
    if (!this.subscriptions.has(runtime)) {
      const unsubscribe = runtime.subscribeContainerEvents((event) => {
        if (event.type !== 'stopped') return;
        const key = this.keysByUid.get(event.podUid);
        if (key) enqueue(key);
      });
      this.subscriptions.set(runtime, unsubscribe);
    }
    return true;
  }

  /**
   * Reconciles the pod `key` (`namespace/name`), given as `pod` (undefined when it is gone; never
   * mutated, so an informer's cached object may be passed). Returns a requeue while containers live:
   * `syncIntervalMs` on runtimes without container events, else `resyncIntervalMs` (events enqueue
   * the pod in between), or the time left of a restart backoff when that is sooner.
   */
  async sync(key: string, pod: Pod | undefined, signal?: AbortSignal): Promise<ReconcileResult> {
    const record = this.records.get(key);
    if (record && (!pod || pod.metadata.uid !== record.uid)) {
      this.deps.probes.forgetPod(key);
      await this.killPod(record, 0);
      this.forget(key);
    }
    if (!pod) return;
    if (pod.metadata.deletionTimestamp) return this.terminate(key, pod, signal);
    if (TERMINAL.has(pod.status?.phase ?? '')) {
      this.deps.probes.forgetPod(key);
      const rec = this.records.get(key);
      if (rec) await this.stopAll(rec, 0);
      return;
    }
    const runtimeName = pod.spec?.runtimeClassName ?? this.deps.options.runtime;
    let runtime: ContainerRuntime;
    try {
      runtime = await this.deps.runtimeFor(runtimeName);
    } catch (err) {
      await this.writeStatus(pod, {
        ...(pod.status ?? {}),
        phase: 'Failed',
        reason: 'RuntimeClassNotFound',
        message: `runtime class "${runtimeName}" is not available on node ${this.deps.options.nodeName}: ${(err as Error).message}`,
      });
      return;
    }
    const uid = pod.metadata.uid ?? '';
    this.remember(key, { uid, runtimeName });
    return this.run(key, pod, runtime, runtimeName);
  }

  private async run(key: string, pod: Pod, runtime: ContainerRuntime, runtimeName: string): Promise<ReconcileResult> {
    const spec = pod.spec!;
    const uid = pod.metadata.uid ?? '';
    const ip = this.deps.ips.allocate(uid);
    let sandboxId: string;
    try {
      sandboxId = await this.ensureSandbox(pod, runtime, ip);
    } catch (err) {
      if (!isRuntimeError(err, 'SKIFF_ERR_RUNTIME_IMAGE') && !isRuntimeError(err, 'SKIFF_ERR_RUNTIME_STATE')) throw err;
      // As the kubelet: a FailedCreatePodSandBox Event, the pod stays ContainerCreating, and it is tried again later.
      recordContainerEvent(this.deps.client, podRef(pod), undefined, this.deps.options.nodeName, 'Warning', 'FailedCreatePodSandBox', `Failed to create pod sandbox: ${(err as Error).message}`);
      return { requeueAfterMs: Math.max(1, this.deps.options.restartBackoff.initialMs) };
    }
    const all = await runtime.listContainers({ labels: { [RUNTIME_LABELS.podUid]: uid } });
    const byName = new Map<string, RuntimeContainer[]>();
    for (const c of all.sort(newestFirst)) {
      const name = c.labels[RUNTIME_LABELS.containerName] ?? c.name;
      byName.set(name, [...(byName.get(name) ?? []), c]);
    }
    // Only the newest container of a name and the one before it (for lastState) are kept.
    for (const list of byName.values()) {
      for (const extra of list.splice(2)) await runtime.removeContainer(extra.id);
    }
    const viewOf = (c: PodContainer): ContainerView => {
      const [current, previous] = byName.get(c.name) ?? [];
      return { spec: c, ...(current ? { current } : {}), ...(previous ? { previous } : {}) };
    };
    const policy = spec.restartPolicy ?? 'Always';
    const now = Date.now();
    const polled = !this.evented(runtime);
    let nextWakeMs = polled ? this.deps.options.syncIntervalMs : (this.deps.resyncIntervalMs ?? EVENTED_RESYNC_MS);

    // Init containers, in order: each must exit 0 before the next starts.
    const initViews = (spec.initContainers ?? []).map(viewOf);
    let initDone = true;
    let initFailed = false;
    for (const view of initViews) {
      const c = view.current;
      if (c?.state === 'exited' && c.exitCode === 0) continue;
      initDone = false;
      if (!c) {
        await this.startNew(pod, runtime, sandboxId, ip, view, 0);
      } else if (c.state === 'created') {
        await this.start(runtime, view);
      } else if (c.state === 'exited') {
        if (policy === 'Never') initFailed = true;
        else nextWakeMs = Math.min(nextWakeMs, await this.restartWithBackoff(pod, runtime, sandboxId, ip, view, now));
      }
      break;
    }

    const appViews = spec.containers.map(viewOf);
    if (initDone) {
      for (const view of appViews) {
        const c = view.current;
        if (!c) await this.startNew(pod, runtime, sandboxId, ip, view, 0);
        else if (c.state === 'created') await this.start(runtime, view);
        else if (c.state === 'exited') {
          const restart = policy === 'Always' || (policy === 'OnFailure' && c.exitCode !== 0);
          if (restart) nextWakeMs = Math.min(nextWakeMs, await this.restartWithBackoff(pod, runtime, sandboxId, ip, view, now));
        }
      }
    } else {
      for (const view of appViews) view.waiting ??= { reason: 'PodInitializing' };
    }
    if (initFailed) await this.stopAll({ uid, runtimeName }, 0);

    // Probes run for running app containers; their results set `ready` and `started`.
    const graceSeconds = spec.terminationGracePeriodSeconds ?? 30;
    const running = appViews.filter((v) => !v.waiting && v.current?.state === 'running');
    const results = this.deps.probes.sync(
      key,
      running.map((v) => ({ target: { runtime, containerId: v.current!.id, container: v.spec, podIP: ip, graceSeconds, pod: podRef(pod) }, startedAt: v.current!.startedAt ?? v.current!.createdAt })),
    );
    for (const v of running) {
      const r = results.get(v.current!.id);
      if (r) {
        v.ready = r.ready;
        v.started = r.started;
      }
    }

    if ([...initViews, ...appViews].some((v) => v.waiting && RETRIED_WAITING.has(v.waiting.reason))) nextWakeMs = Math.min(nextWakeMs, this.deps.options.syncIntervalMs);

    const phase = podPhase(spec, appViews, initDone, initFailed);
    const containersReady = initDone && appViews.every((v) => !v.waiting && v.current?.state === 'running' && (v.ready ?? true));
    const previous = pod.status?.conditions;
    const notReadyReason = phase === 'Succeeded' || phase === 'Failed' ? 'PodCompleted' : 'ContainersNotReady';
    const status: NonNullable<Pod['status']> = {
      ...(pod.status ?? {}),
      phase,
      conditions: [
        condition(previous, 'PodReadyToStartContainers', true),
        condition(previous, 'Initialized', initDone, 'ContainersNotInitialized'),
        condition(previous, 'Ready', containersReady, notReadyReason),
        condition(previous, 'ContainersReady', containersReady, notReadyReason),
        condition(previous, 'PodScheduled', true),
      ],
      hostIP: '127.0.0.1',
      hostIPs: [{ ip: '127.0.0.1' }],
      podIP: ip,
      podIPs: [{ ip }],
      startTime: pod.status?.startTime ?? rfc3339(),
      qosClass: qosClass(spec),
      containerStatuses: appViews.map((v) => containerStatusOf(v, runtimeName)),
      ...(initViews.length > 0 ? { initContainerStatuses: initViews.map((v) => containerStatusOf(v, runtimeName)) } : {}),
    };
    delete status.reason;
    delete status.message;
    await this.writeStatus(pod, status);
    if (phase === 'Succeeded' || phase === 'Failed') return;
    return { requeueAfterMs: Math.max(1, nextWakeMs) };
  }

  private async ensureSandbox(pod: Pod, runtime: ContainerRuntime, ip: string): Promise<string> {
    const uid = pod.metadata.uid ?? '';
    const existing = await runtime.listPodSandboxes({ labels: { [RUNTIME_LABELS.podUid]: uid }, state: 'ready' });
    if (existing[0]) return existing[0].id;
    const { sandboxId } = await runtime.runPodSandbox({
      podUid: uid,
      namespace: pod.metadata.namespace ?? 'default',
      name: pod.metadata.name ?? '',
      ip,
      hostname: pod.spec?.hostname ?? pod.metadata.name ?? '',
      labels: { ...(pod.metadata.labels ?? {}), ...this.podLabels(pod) },
      annotations: { ...(pod.metadata.annotations ?? {}) },
      ports: podPorts(pod),
    });
    return sandboxId;
  }

  private podLabels(pod: Pod): Record<string, string> {
    return {
      [RUNTIME_LABELS.podUid]: pod.metadata.uid ?? '',
      [RUNTIME_LABELS.podNamespace]: pod.metadata.namespace ?? 'default',
      [RUNTIME_LABELS.podName]: pod.metadata.name ?? '',
    };
  }

  /** Creates and starts a container; a config or image problem leaves it waiting (recorded on `view`). */
  private async startNew(pod: Pod, runtime: ContainerRuntime, sandboxId: string, ip: string, view: ContainerView, restartCount: number, backoffMs = 0): Promise<void> {
    const spec = view.spec;
    let env;
    let mounts;
    try {
      env = await resolveEnv(this.deps.client, pod, spec, ip);
      mounts = await resolveMounts(this.deps.client, this.deps.options.dataDir, pod, spec);
    } catch (err) {
      if (err instanceof ContainerConfigError) {
        view.waiting = { reason: 'CreateContainerConfigError', message: err.message };
        return;
      }
      throw err;
    }
    const vars = new Map(env.map((e) => [e.name, e.value]));
    const uid = pod.metadata.uid ?? '';
    const image = spec.image ?? '';
    if (this.imageBackoff.remainingMs(uid, image) > 0) {
      view.waiting = { reason: 'ImagePullBackOff', message: `Back-off pulling image "${image}"` };
      return;
    }
    let id: string;
    try {
      id = await runtime.createContainer(sandboxId, {
        name: spec.name,
        image,
        ...(spec.imagePullPolicy ? { imagePullPolicy: spec.imagePullPolicy as ImagePullPolicy } : {}),
        ...(spec.command ? { command: spec.command.map((part) => expandVars(part, vars)) } : {}),
        ...(spec.args ? { args: spec.args.map((part) => expandVars(part, vars)) } : {}),
        ...(spec.workingDir ? { workingDir: spec.workingDir } : {}),
        env,
        ...(mounts.length > 0 ? { mounts } : {}),
        ...resourceLimits(spec),
        ...(spec.ports ? { ports: containerPorts(spec) } : {}),
        labels: { ...this.podLabels(pod), [RUNTIME_LABELS.containerName]: spec.name, [RUNTIME_LABELS.restartCount]: String(restartCount), [RESTART_BACKOFF_LABEL]: String(backoffMs) },
        annotations: { ...(pod.metadata.annotations ?? {}) },
      });
    } catch (err) {
      if (isRuntimeError(err, 'SKIFF_ERR_RUNTIME_IMAGE')) {
        const reason = String((err as SkiffError).details['reason'] ?? 'ErrImagePull');
        view.waiting = { reason, message: (err as Error).message };
        if (reason === 'ErrImagePull') {
          this.imageBackoff.failed(uid, image);
          recordContainerEvent(this.deps.client, podRef(pod), spec.name, this.deps.options.nodeName, 'Warning', 'Failed', `Failed to pull image "${image}": ${(err as Error).message}`);
        }
        return;
      }
      throw err;
    }
    this.imageBackoff.clear(uid, image);
    view.current = await runtime.containerStatus(id);
    await this.start(runtime, view);
  }

  private async start(runtime: ContainerRuntime, view: ContainerView): Promise<void> {
    const id = view.current!.id;
    try {
      await runtime.startContainer(id);
    } catch (err) {
      if (!isRuntimeError(err, 'SKIFF_ERR_RUNTIME_STATE')) throw err;
    }
    view.current = await runtime.containerStatus(id);
  }

  /**
   * Restarts an exited container once its backoff has passed (counted from when it finished; see
   * {@link restartDelay}: doubling while crashes are quick, reset after `resetMs` of running); until
   * then it is waiting in `CrashLoopBackOff`. Returns how long until it should be looked at again.
   */
  private async restartWithBackoff(pod: Pod, runtime: ContainerRuntime, sandboxId: string, ip: string, view: ContainerView, now: number): Promise<number> {
    const old = view.current!;
    const count = old.restartCount ?? 0;
    const delay = restartDelay(old, this.deps.options.restartBackoff);
    const finished = (old.finishedAt ?? old.createdAt).getTime();
    const wait = finished + delay - now;
    if (wait > 0) {
      view.waiting = { reason: 'CrashLoopBackOff', message: `back-off ${goDuration(delay)} restarting failed container=${view.spec.name} pod=${pod.metadata.name}_${pod.metadata.namespace}(${pod.metadata.uid})` };
      return wait;
    }
    // Keep the container that just exited (for lastState); remove any older ones.
    if (view.previous) await runtime.removeContainer(view.previous.id);
    view.previous = old;
    delete view.current;
    await this.startNew(pod, runtime, sandboxId, ip, view, count + 1, delay);
    return Number.POSITIVE_INFINITY;
  }

  /** Stops a terminating pod with its grace period, removes its sandbox and frees its address, then deletes it with grace 0. */
  private async terminate(key: string, pod: Pod, signal?: AbortSignal): Promise<ReconcileResult> {
    const uid = pod.metadata.uid ?? '';
    const record = this.records.get(key) ?? { uid, runtimeName: pod.spec?.runtimeClassName ?? this.deps.options.runtime };
    this.deps.probes.forgetPod(key);
    const grace = pod.metadata.deletionGracePeriodSeconds ?? pod.spec?.terminationGracePeriodSeconds ?? 30;
    await untilAborted(this.killPod(record, grace, pod), signal);
    this.forget(key);
    try {
      await this.deps.client.resource('v1', 'Pod').delete(pod.metadata.name ?? '', {
        namespace: pod.metadata.namespace ?? 'default',
        gracePeriodSeconds: 0,
        preconditions: { uid },
      });
    } catch (err) {
      if (!(isApiError(err) && (err.status.code === 404 || err.status.code === 409))) throw err;
    }
    return;
  }

  /**
   * Stops every running container of a pod, in parallel. With `pod` and a grace period each runs its
   * `preStop` hook first (see {@link stopWithPreStop}); without, they just get `graceSeconds`.
   */
  private async stopAll(record: PodRecord, graceSeconds: number, pod?: Pod): Promise<RuntimeContainer[]> {
    let runtime: ContainerRuntime;
    try {
      runtime = await this.deps.runtimeFor(record.runtimeName);
    } catch {
      return [];
    }
    const containers = await runtime.listContainers({ labels: { [RUNTIME_LABELS.podUid]: record.uid } });
    const specs = [...(pod?.spec?.initContainers ?? []), ...(pod?.spec?.containers ?? [])];
    const podIP = this.deps.ips.get(record.uid) ?? pod?.status?.podIP ?? '';
    await Promise.all(
      containers
        .filter((c) => c.state === 'running')
        .map((c) => {
          const spec = pod ? specs.find((s) => s.name === (c.labels[RUNTIME_LABELS.containerName] ?? c.name)) : undefined;
          if (!pod || !spec) return runtime.stopContainer(c.id, graceSeconds);
          return this.killContainer({ runtime, containerId: c.id, container: spec, podIP, pod: podRef(pod) }, graceSeconds);
        }),
    );
    return containers;
  }

  /**
   * Kills one container gracefully: its `preStop` hook first (bounded by the grace period, recording
   * a `FailedPreStopHook` Event when it fails), then SIGTERM with the grace left (see
   * {@link stopWithPreStop}). Used for deletion and for containers failing liveness/startup probes.
   */
  killContainer(target: Omit<ProbeTarget, 'graceSeconds'>, graceSeconds: number): Promise<void> {
    const pod = target.pod;
    return stopWithPreStop(target, graceSeconds, (t, message) => {
      if (pod) recordFailedPreStop(this.deps.client, pod, t.container.name, this.deps.options.nodeName, message);
    });
  }

  /** Stops (with grace; with `pod`, `preStop` hooks first) and removes every container and sandbox of a pod, and frees its address. */
  async killPod(record: PodRecord, graceSeconds: number, pod?: Pod): Promise<void> {
    const containers = await this.stopAll(record, graceSeconds, pod);
    let runtime: ContainerRuntime | undefined;
    try {
      runtime = await this.deps.runtimeFor(record.runtimeName);
    } catch {
      runtime = undefined;
    }
    if (runtime) {
      await Promise.all(containers.map((c) => runtime.removeContainer(c.id)));
      const sandboxes = await runtime.listPodSandboxes({ labels: { [RUNTIME_LABELS.podUid]: record.uid } });
      for (const s of sandboxes) {
        await runtime.stopPodSandbox(s.id);
        await runtime.removePodSandbox(s.id);
      }
    }
    this.deps.ips.release(record.uid);
    removePodVolumes(this.deps.options.dataDir, record.uid);
  }

  private async writeStatus(pod: Pod, status: NonNullable<Pod['status']>): Promise<void> {
    if (JSON.stringify(status) === JSON.stringify(pod.status ?? {})) return;
    try {
      await this.deps.client.resource('v1', 'Pod').updateStatus({ ...pod, status });
    } catch (err) {
      if (isApiError(err) && err.status.code === 404) return;
      throw err;
    }
  }
}

function podRef(pod: Pod): PodRef {
  return { name: pod.metadata.name ?? '', namespace: pod.metadata.namespace ?? 'default', uid: pod.metadata.uid ?? '' };
}

/** Waits for `work`, but rejects as soon as `signal` aborts (the agent is stopping; the work goes on unobserved). */
function untilAborted<T>(work: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return work;
  if (signal.aborted) return Promise.reject(new Error('node agent stopping'));
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new Error('node agent stopping'));
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (err: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(err);
      },
    );
  });
}
