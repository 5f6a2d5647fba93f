import * as http from 'node:http';
import * as https from 'node:https';
import * as net from 'node:net';
import type { LifecycleHandler, Pod, Probe } from '@skiff/core';
import type { ContainerRuntime } from '@skiff/sdk';

type PodContainer = NonNullable<Pod['spec']>['containers'][number];

/** Which probe. */
export type ProbeKind = 'startup' | 'liveness' | 'readiness';

/** The outcome of one probe attempt. */
export interface ProbeOutcome {
  success: boolean;
  message?: string;
}

/** What a probe attempt needs to reach its container. */
export interface ProbeTarget {
  runtime: ContainerRuntime;
  containerId: string;
  container: PodContainer;
  /** The pod's address (the default host of httpGet and tcpSocket). */
  podIP: string;
  /** The pod's `terminationGracePeriodSeconds` (a probe's own one wins), for killing an unhealthy container. */
  graceSeconds: number;
  /** The pod the container belongs to (for the Events a kill records). */
  pod?: { name: string; namespace: string; uid: string };
}

/** Resolves a named or numeric port against the container's `ports`; undefined when a name is unknown. */
export function resolvePort(port: number | string, container: PodContainer): number | undefined {
  if (typeof port === 'number') return port;
  if (/^\d+$/.test(port)) return Number(port);
  return container.ports?.find((p) => p.name === port)?.containerPort;
}

/** The actions a probe or a lifecycle hook (`preStop`) may take; exactly one should be set. */
export type HandlerAction = Pick<LifecycleHandler, 'exec' | 'httpGet' | 'tcpSocket' | 'sleep'>;

/** What a handler needs to reach its container (a {@link ProbeTarget} without the kill details). */
export type HandlerTarget = Pick<ProbeTarget, 'runtime' | 'containerId' | 'container' | 'podIP'>;

/**
 * Runs one handler action and never throws: `exec` through `runtime.exec` (exit 0 succeeds),
 * `httpGet` (a status in 200–399 succeeds), `tcpSocket` (a completed connect succeeds), `sleep`
 * (waits `seconds`, real seconds, or until `timeoutMs`). Anything else — a timeout, a refused
 * connection, an exec error — is a failure. Shared by probes and `preStop` hooks. A handler with no
 * action (or only `grpc`, which is not supported) succeeds.
 */
export async function runHandler(action: HandlerAction, target: HandlerTarget, timeoutMs: number): Promise<ProbeOutcome> {
  try {
    if (action.exec) {
      const result = await target.runtime.exec(target.containerId, action.exec.command ?? [], { timeoutMs });
      return result.exitCode === 0 ? { success: true } : { success: false, message: `exit code ${result.exitCode}: ${result.stderr || result.stdout}`.trim() };
    }
    if (action.httpGet) {
      const port = resolvePort(action.httpGet.port, target.container);
      if (port === undefined) return { success: false, message: `unknown port ${String(action.httpGet.port)}` };
      return await httpProbe(action.httpGet.scheme === 'HTTPS', action.httpGet.host || target.podIP, port, action.httpGet.path ?? '/', action.httpGet.httpHeaders ?? [], timeoutMs);
    }
    if (action.tcpSocket) {
      const port = resolvePort(action.tcpSocket.port, target.container);
      if (port === undefined) return { success: false, message: `unknown port ${String(action.tcpSocket.port)}` };
      return await tcpProbe(action.tcpSocket.host || target.podIP, port, timeoutMs);
    }
    if (action.sleep) {
      const ms = Math.min(Math.max(0, action.sleep.seconds) * 1000, timeoutMs);
      await new Promise((resolve) => setTimeout(resolve, ms));
      return { success: true };
    }
    return { success: true };
  } catch (err) {
    return { success: false, message: (err as Error).message };
  }
}

/**
 * Runs one probe attempt and never throws (see {@link runHandler}). A `grpc` probe is not
 * supported and counts as a success (it is ignored).
 */
export function runProbe(probe: Probe, target: ProbeTarget, timeoutMs: number): Promise<ProbeOutcome> {
  return runHandler({ ...(probe.exec ? { exec: probe.exec } : {}), ...(probe.httpGet ? { httpGet: probe.httpGet } : {}), ...(probe.tcpSocket ? { tcpSocket: probe.tcpSocket } : {}) }, target, timeoutMs);
}

function httpProbe(secure: boolean, host: string, port: number, path: string, headers: { name: string; value: string }[], timeoutMs: number): Promise<ProbeOutcome> {
  return new Promise((resolve) => {
    const request = (secure ? https : http).request(
      {
        host,
        port,
        path: path.startsWith('/') ? path : `/${path}`,
        method: 'GET',
        headers: { 'User-Agent': 'kube-probe/1.32', ...Object.fromEntries(headers.map((h) => [h.name, h.value])) },
        timeout: timeoutMs,
        agent: false,
        ...(secure ? { rejectUnauthorized: false } : {}),
      },
      (res) => {
        res.resume();
        const code = res.statusCode ?? 0;
        resolve(code >= 200 && code < 400 ? { success: true } : { success: false, message: `HTTP probe failed with statuscode: ${code}` });
      },
    );
    request.on('timeout', () => request.destroy(new Error(`timeout after ${timeoutMs}ms`)));
    request.on('error', (err) => resolve({ success: false, message: err.message }));
    request.end();
  });
}

function tcpProbe(host: string, port: number, timeoutMs: number): Promise<ProbeOutcome> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const timer = setTimeout(() => {
      socket.destroy();
      resolve({ success: false, message: `timeout after ${timeoutMs}ms` });
    }, timeoutMs);
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.destroy();
      resolve({ success: true });
    });
    socket.once('error', (err) => {
      clearTimeout(timer);
      resolve({ success: false, message: err.message });
    });
  });
}

/** Probe fields with Kubernetes' defaults applied (seconds). */
function timing(probe: Probe) {
  return {
    initialDelaySeconds: probe.initialDelaySeconds ?? 0,
    periodSeconds: probe.periodSeconds || 10,
    timeoutSeconds: probe.timeoutSeconds || 1,
    successThreshold: probe.successThreshold || 1,
    failureThreshold: probe.failureThreshold || 3,
  };
}

/** The probe state of one running container instance. */
interface ContainerProbes {
  podKey: string;
  /** True once the startup probe succeeded (at once without one). */
  started: boolean;
  /** The readiness result (true without a readiness probe). */
  ready: boolean;
  /** Set once a liveness or startup probe failed its threshold and the container is being killed. */
  killed: boolean;
  timers: Set<ReturnType<typeof setTimeout>>;
  stopped: boolean;
}

/** What the agent is told (once per instance) when a container fails its liveness or startup probe; `graceSeconds` is the stop's grace period. */
export type UnhealthyHandler = (target: ProbeTarget, kind: 'liveness' | 'startup', message: string, graceSeconds: number) => void;

/**
 * Runs the startup, liveness and readiness probes of running containers, one timer chain per
 * probe, keyed by runtime container id. `secondsScale` is how many milliseconds one probe
 * "second" lasts (1000 normally; tests shrink it). The startup probe gates the other two; a
 * liveness or startup probe failing `failureThreshold` times in a row calls `onUnhealthy` once (the
 * agent kills the container; its restart follows the pod's `restartPolicy`); readiness flips after
 * `failureThreshold` failures or `successThreshold` successes in a row. Every timer is cleared by
 * {@link ProbeManager.forgetPod}, by {@link ProbeManager.sync} for instances no longer running,
 * and by {@link ProbeManager.stop}.
 */
export class ProbeManager {
  private readonly containers = new Map<string, ContainerProbes>();
  private stopped = false;

  /**
   * @param onChange told (with the pod key) whenever an instance's `started` or `ready` result flips
   *   or a probe kills it, so the agent can sync the pod at once instead of at its next resync.
   */
  constructor(
    private readonly secondsScale: number,
    private readonly onUnhealthy: UnhealthyHandler,
    private readonly onChange?: (podKey: string) => void,
  ) {}

  /**
   * Makes sure probes run for the given running instances of pod `podKey` (and only those: probes
   * of the pod's other instances stop). Returns each instance's `{ started, ready }`.
   */
  sync(podKey: string, running: { target: ProbeTarget; startedAt: Date }[]): Map<string, { started: boolean; ready: boolean }> {
    if (this.containers.size > 0) {
      const ids = new Set(running.map((r) => r.target.containerId));
      for (const [id, state] of this.containers) {
        if (state.podKey === podKey && !ids.has(id)) this.drop(id);
      }
    }
    const out = new Map<string, { started: boolean; ready: boolean }>();
    for (const { target, startedAt } of running) {
      const c = target.container;
      if (!c.startupProbe && !c.livenessProbe && !c.readinessProbe) {
        // Nothing to run: started and ready, and no state kept.
        out.set(target.containerId, { started: true, ready: true });
        continue;
      }
      let state = this.containers.get(target.containerId);
      if (!state && !this.stopped) state = this.begin(podKey, target, startedAt);
      out.set(target.containerId, { started: state?.started ?? true, ready: state ? state.started && state.ready && !state.killed : true });
    }
    return out;
  }

  /** Stops the probes of every instance of a pod (it was deleted or finished). */
  forgetPod(podKey: string): void {
    for (const [id, state] of this.containers) if (state.podKey === podKey) this.drop(id);
  }

  /** Stops every probe; later syncs start none. */
  stop(): void {
    this.stopped = true;
    for (const id of [...this.containers.keys()]) this.drop(id);
  }

  /** How many container instances have probes running (for tests). */
  get size(): number {
    return this.containers.size;
  }

  private drop(id: string): void {
    const state = this.containers.get(id);
    if (!state) return;
    state.stopped = true;
    for (const timer of state.timers) clearTimeout(timer);
    state.timers.clear();
    this.containers.delete(id);
  }

  private begin(podKey: string, target: ProbeTarget, startedAt: Date): ContainerProbes {
    const c = target.container;
    const state: ContainerProbes = { podKey, started: !c.startupProbe, ready: !c.readinessProbe, killed: false, timers: new Set(), stopped: false };
    this.containers.set(target.containerId, state);
    if (c.startupProbe) this.schedule(state, 'startup', c.startupProbe, target, startedAt);
    if (c.livenessProbe) this.schedule(state, 'liveness', c.livenessProbe, target, startedAt);
    if (c.readinessProbe) this.schedule(state, 'readiness', c.readinessProbe, target, startedAt);
    return state;
  }

  private schedule(state: ContainerProbes, kind: ProbeKind, probe: Probe, target: ProbeTarget, startedAt: Date): void {
    const t = timing(probe);
    const scale = this.secondsScale;
    let successes = 0;
    let failures = 0;
    const later = (ms: number) => {
      if (state.stopped) return;
      const timer = setTimeout(() => {
        state.timers.delete(timer);
        void tick();
      }, Math.max(0, ms));
      state.timers.add(timer);
    };
    const tick = async () => {
      const before = `${state.started}/${state.ready}/${state.killed}`;
      await attempt();
      if (!state.stopped && `${state.started}/${state.ready}/${state.killed}` !== before) this.notifyChange(state.podKey);
    };
    const attempt = async () => {
      if (state.stopped || state.killed) return;
      // Liveness and readiness wait for the startup probe.
      if (kind !== 'startup' && !state.started) return later(t.periodSeconds * scale);
      const outcome = await runProbe(probe, target, t.timeoutSeconds * scale);
      if (state.stopped || state.killed) return;
      if (outcome.success) {
        successes++;
        failures = 0;
      } else {
        failures++;
        successes = 0;
      }
      if (kind === 'startup') {
        if (outcome.success) {
          state.started = true;
          return;
        }
        if (failures >= t.failureThreshold) return this.kill(state, target, kind, probe, outcome.message ?? 'startup probe failed');
      } else if (kind === 'liveness') {
        if (failures >= t.failureThreshold) return this.kill(state, target, kind, probe, outcome.message ?? 'liveness probe failed');
      } else {
        if (outcome.success && successes >= t.successThreshold) state.ready = true;
        if (!outcome.success && failures >= t.failureThreshold) state.ready = false;
      }
      later(t.periodSeconds * scale);
    };
    later(startedAt.getTime() + t.initialDelaySeconds * scale - Date.now());
  }

  private notifyChange(podKey: string): void {
    try {
      this.onChange?.(podKey);
    } catch {
      // The callback only enqueues; a throw must not stop the probe.
    }
  }

  private kill(state: ContainerProbes, target: ProbeTarget, kind: 'liveness' | 'startup', probe: Probe, message: string): void {
    state.killed = true;
    for (const timer of state.timers) clearTimeout(timer);
    state.timers.clear();
    this.onUnhealthy(target, kind, message, probe.terminationGracePeriodSeconds ?? target.graceSeconds);
  }
}
