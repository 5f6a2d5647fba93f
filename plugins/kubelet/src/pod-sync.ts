import { isApiError, type Pod, type ReconcileResult } from '@skiff/core';
import { RUNTIME_LABELS, isRuntimeError, type Client, type ContainerRuntime, type ContainerStatus as RuntimeContainer } from '@skiff/sdk';
import { ContainerConfigError, resolveEnv } from './container-env.js';
import type { IpAllocator } from './ip-allocator.js';
import { rfc3339 } from './node-object.js';
import type { ResolvedNodeAgentOptions } from './options.js';
import { condition, containerStatusOf, podPhase, qosClass, type ContainerView } from './pod-status.js';
import type { ProbeManager } from './probes.js';

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
}

/** Per-pod memory the agent keeps between syncs (all of it can be rebuilt from the runtime). */
export interface PodRecord {
  uid: string;
  runtimeName: string;
}

const TERMINAL = new Set(['Succeeded', 'Failed']);

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

  constructor(private readonly deps: PodSyncDeps) {}

  /** Records a pod found running at start (adoption). */
  adopt(key: string, uid: string, runtimeName: string, ip: string | undefined): void {
    this.records.set(key, { uid, runtimeName });
    if (ip) this.deps.ips.reserve(uid, ip);
  }

  /**
   * Reconciles the pod `key` (`namespace/name`), given as `pod` (undefined when it is gone).
   * Returns a requeue while containers live, so the agent polls their state.
   */
  async sync(key: string, pod: Pod | undefined, signal?: AbortSignal): Promise<ReconcileResult> {
    const record = this.records.get(key);
    if (record && (!pod || pod.metadata.uid !== record.uid)) {
      this.deps.probes.forgetPod(key);
      await this.killPod(record, 0);
      this.records.delete(key);
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
    this.records.set(key, { uid, runtimeName });
    return this.run(key, pod, runtime, runtimeName);
  }

  private async run(key: string, pod: Pod, runtime: ContainerRuntime, runtimeName: string): Promise<ReconcileResult> {
    const spec = pod.spec!;
    const uid = pod.metadata.uid ?? '';
    const ip = this.deps.ips.allocate(uid);
    const sandboxId = await this.ensureSandbox(pod, runtime, ip);
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
    let nextWakeMs = this.deps.options.syncIntervalMs;

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
      running.map((v) => ({ target: { runtime, containerId: v.current!.id, container: v.spec, podIP: ip, graceSeconds }, startedAt: v.current!.startedAt ?? v.current!.createdAt })),
    );
    for (const v of running) {
      const r = results.get(v.current!.id);
      if (r) {
        v.ready = r.ready;
        v.started = r.started;
      }
    }

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
  private async startNew(pod: Pod, runtime: ContainerRuntime, sandboxId: string, ip: string, view: ContainerView, restartCount: number): Promise<void> {
    const spec = view.spec;
    let env;
    try {
      env = await resolveEnv(this.deps.client, pod, spec, ip);
    } catch (err) {
      if (err instanceof ContainerConfigError) {
        view.waiting = { reason: 'CreateContainerConfigError', message: err.message };
        return;
      }
      throw err;
    }
    let id: string;
    try {
      id = await runtime.createContainer(sandboxId, {
        name: spec.name,
        image: spec.image ?? '',
        ...(spec.command ? { command: spec.command } : {}),
        ...(spec.args ? { args: spec.args } : {}),
        ...(spec.workingDir ? { workingDir: spec.workingDir } : {}),
        env,
        ...(spec.ports ? { ports: spec.ports.map((p) => ({ containerPort: p.containerPort, ...(p.name ? { name: p.name } : {}), ...(p.protocol ? { protocol: p.protocol } : {}) })) } : {}),
        labels: { ...this.podLabels(pod), [RUNTIME_LABELS.containerName]: spec.name, [RUNTIME_LABELS.restartCount]: String(restartCount) },
        annotations: { ...(pod.metadata.annotations ?? {}) },
      });
    } catch (err) {
      if (isRuntimeError(err, 'SKIFF_ERR_RUNTIME_IMAGE')) {
        view.waiting = { reason: 'ErrImagePull', message: (err as Error).message };
        return;
      }
      throw err;
    }
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
   * Restarts an exited container once its backoff (`initialMs · 2^restartCount`, capped at `maxMs`,
   * counted from when it finished) has passed; until then it is waiting in `CrashLoopBackOff`.
   * Returns how long until it should be looked at again.
   */
  private async restartWithBackoff(pod: Pod, runtime: ContainerRuntime, sandboxId: string, ip: string, view: ContainerView, now: number): Promise<number> {
    const old = view.current!;
    const count = old.restartCount ?? 0;
    const { initialMs, maxMs } = this.deps.options.restartBackoff;
    const delay = Math.min(initialMs * 2 ** Math.min(count, 30), maxMs);
    const finished = (old.finishedAt ?? old.createdAt).getTime();
    const wait = finished + delay - now;
    if (wait > 0) {
      view.waiting = { reason: 'CrashLoopBackOff', message: `back-off ${Math.round(delay / 1000)}s restarting failed container=${view.spec.name} pod=${pod.metadata.name}_${pod.metadata.namespace}(${pod.metadata.uid})` };
      return wait;
    }
    // Keep the container that just exited (for lastState); remove any older ones.
    if (view.previous) await runtime.removeContainer(view.previous.id);
    view.previous = old;
    delete view.current;
    await this.startNew(pod, runtime, sandboxId, ip, view, count + 1);
    return this.deps.options.syncIntervalMs;
  }

  /** Stops a terminating pod with its grace period, removes its sandbox and frees its address, then deletes it with grace 0. */
  private async terminate(key: string, pod: Pod, signal?: AbortSignal): Promise<ReconcileResult> {
    const uid = pod.metadata.uid ?? '';
    const record = this.records.get(key) ?? { uid, runtimeName: pod.spec?.runtimeClassName ?? this.deps.options.runtime };
    this.deps.probes.forgetPod(key);
    const grace = pod.metadata.deletionGracePeriodSeconds ?? pod.spec?.terminationGracePeriodSeconds ?? 30;
    await untilAborted(this.killPod(record, grace), signal);
    this.records.delete(key);
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

  private async stopAll(record: PodRecord, graceSeconds: number): Promise<RuntimeContainer[]> {
    let runtime: ContainerRuntime;
    try {
      runtime = await this.deps.runtimeFor(record.runtimeName);
    } catch {
      return [];
    }
    const containers = await runtime.listContainers({ labels: { [RUNTIME_LABELS.podUid]: record.uid } });
    await Promise.all(containers.filter((c) => c.state === 'running').map((c) => runtime.stopContainer(c.id, graceSeconds)));
    return containers;
  }

  /** Stops (with grace) and removes every container and sandbox of a pod, and frees its address. */
  async killPod(record: PodRecord, graceSeconds: number): Promise<void> {
    const containers = await this.stopAll(record, graceSeconds);
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
