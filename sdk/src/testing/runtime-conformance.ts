import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { MOCK_ANNOTATIONS as M } from '../runtime/mock-annotations.js';
import { RUNTIME_LABELS } from '../runtime/labels.js';
import { runtimeErrorCode, type RuntimeErrorCode } from '../runtime/errors.js';
import type { ContainerConfig, ContainerEvent, ContainerRuntime, ContainerStatus, LogLine, LogOptions } from '../runtime/types.js';
import { eventually } from './eventually.js';

/** Options for {@link runRuntimeConformance}. */
export interface RuntimeConformanceOptions {
  /** Per-test timeout in ms (default 60 s; real runtimes start processes and pull images). */
  timeoutMs?: number;
  /** The image every test container uses (default `busybox:1.36`, which has the `sh` the commands need). */
  image?: string;
  /**
   * A second instance over the same world as `first`, for the adoption test. Default: call
   * `makeRuntime()` again, right for runtimes whose world is the host (process, docker). A
   * simulated runtime passes its world object along.
   */
  makeAdopter?: (first: ContainerRuntime) => Promise<ContainerRuntime>;
}

/**
 * One behaviour the suite needs from a container, said twice: as a POSIX `sh` command for runtimes
 * that run real processes (process, docker — busybox `sh`), and as `skiff.dev/mock-*` scenario
 * annotations (see `MOCK_ANNOTATIONS`) for simulated ones. A runtime uses whichever it understands.
 *
 * This was chosen over having the mock interpret a subset of shell: the annotations are the mock's
 * real interface (the node agent passes pod annotations through), so the suite exercises the same
 * paths tests and simulations use, and the mock stays free of a toy shell interpreter.
 */
export interface RuntimeScenario {
  command: string[];
  annotations: Record<string, string>;
}

const sh = (script: string, annotations: Record<string, string> = {}): RuntimeScenario => ({ command: ['sh', '-c', script], annotations });

/** The behaviours the conformance suite uses, exported so other runtime tests can reuse them. */
export const RUNTIME_SCENARIOS = Object.freeze({
  /** Runs until stopped; exits 143 promptly on SIGTERM. */
  runsUntilStopped: (): RuntimeScenario => sh("trap 'exit 143' TERM; while true; do sleep 0.1; done"),
  /** Ignores SIGTERM, so only SIGKILL (exit 137) stops it. */
  ignoresSigterm: (): RuntimeScenario => sh("trap '' TERM; while true; do sleep 0.1; done", { [M.ignoreSigterm]: 'true' }),
  /** Prints `hello` and exits with `code` at once. */
  exitsWith: (code: number): RuntimeScenario => sh(`echo hello; exit ${code}`, { [M.logLines]: 'hello', [M.exitCode]: String(code), [M.runMs]: '0' }),
  /** Prints `lines` to stdout, then runs until stopped (exit 143 on SIGTERM). */
  printsThenRuns: (lines: string[]): RuntimeScenario =>
    sh(`trap 'exit 143' TERM; ${lines.map((l) => `echo ${l};`).join(' ')} while true; do sleep 0.1; done`, { [M.logLines]: lines.join('\n') }),
  /** Prints `tick-1`, `tick-2`, … every 50 ms until stopped. */
  ticksForever: (): RuntimeScenario => sh("trap 'exit 143' TERM; i=0; while true; do i=$((i+1)); echo tick-$i; sleep 0.05; done", { [M.logEveryMs]: '50' }),
  /** Prints `tick-1` … `tick-5` 50 ms apart, then exits 0. */
  ticksFiveThenExits: (): RuntimeScenario =>
    sh('i=0; while [ $i -lt 5 ]; do i=$((i+1)); echo tick-$i; sleep 0.05; done; exit 0', { [M.logEveryMs]: '50', [M.runMs]: '240', [M.exitCode]: '0' }),
  /** Runs until stopped; `exec` of {@link RUNTIME_SCENARIOS.execCommand} exits with `code` after printing `out`. */
  execAnswers: (code: number, out: string): RuntimeScenario => ({
    ...RUNTIME_SCENARIOS.runsUntilStopped(),
    annotations: { [M.execExitCode]: String(code), [M.execStdout]: `${out}\n` },
  }),
  /** The exec command matching {@link RUNTIME_SCENARIOS.execAnswers}. */
  execCommand: (code: number, out: string): string[] => ['sh', '-c', `echo ${out}; exit ${code}`],
});

async function expectRuntimeCode(p: Promise<unknown>, code: RuntimeErrorCode): Promise<void> {
  let result: unknown;
  try {
    result = await p;
  } catch (err) {
    expect(runtimeErrorCode(err), String(err)).toBe(code);
    return;
  }
  throw new Error(`expected ${code}, but the call succeeded with ${JSON.stringify(result)}`);
}

/** Collects log lines, stopping after `max` lines or when the iterable ends; fails after `timeoutMs`. */
async function collectLogs(rt: ContainerRuntime, id: string, options: LogOptions, until: (lines: LogLine[]) => boolean = () => false, timeoutMs = 10_000): Promise<LogLine[]> {
  const out: LogLine[] = [];
  const work = (async () => {
    for await (const line of rt.logs(id, options)) {
      out.push(line);
      if (until(out)) break;
    }
  })();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`logs timed out after ${out.length} lines: ${out.map((l) => l.line).join(', ')}`)), timeoutMs);
  });
  try {
    await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
  return out;
}

/** One test's view: its runtime and a pod (sandbox) with a unique uid, cleaned up afterwards. */
interface PodFixture {
  readonly uid: string;
  readonly sandboxId: string;
  /** A container config for `scenario` with the adoption labels (restart count `restartCount`). */
  config(name: string, scenario: RuntimeScenario, restartCount?: number): ContainerConfig;
  /** Creates and starts a container; returns its id. */
  run(name: string, scenario: RuntimeScenario): Promise<string>;
}

/**
 * The runtime conformance suite: every runtime plugin (mock, process, docker) runs it against
 * fresh instances from `makeRuntime`. It checks the contract documented on `ContainerRuntime`:
 * sandboxes, start and stop, exit codes, restarts, logs (order, tail, follow), stop with a grace
 * period then kill, stats, exec, coded errors, adoption by a second instance, and container events
 * for runtimes that implement the optional `subscribeContainerEvents`. Containers are
 * described as {@link RuntimeScenario}s, so one suite is meaningful for simulated and real runtimes.
 * Tests isolate themselves by a per-test pod uid, so runtimes sharing the host can run it.
 */
export function runRuntimeConformance(name: string, makeRuntime: () => Promise<ContainerRuntime>, options: RuntimeConformanceOptions = {}): void {
  const timeout = options.timeoutMs ?? 60_000;
  const image = options.image ?? 'busybox:1.36';
  const makeAdopter = options.makeAdopter ?? (() => makeRuntime());
  let podCounter = 0;

  const withPod = (fn: (rt: ContainerRuntime, pod: PodFixture, adopt: () => Promise<ContainerRuntime>) => Promise<void>) => async () => {
    const rt = await makeRuntime();
    const runtimes = [rt];
    const uid = randomUUID();
    podCounter += 1;
    const { sandboxId } = await rt.runPodSandbox({
      podUid: uid,
      namespace: 'conformance',
      name: `pod-${podCounter}`,
      ip: `127.77.${Math.floor(podCounter / 250)}.${(podCounter % 250) + 2}`,
      hostname: `pod-${podCounter}`,
      labels: { 'skiff.dev/conformance-pod': uid },
      annotations: {},
    });
    const pod: PodFixture = {
      uid,
      sandboxId,
      config: (cname, scenario, restartCount = 0) => ({
        name: cname,
        image,
        command: scenario.command,
        env: [{ name: 'SKIFF_CONFORMANCE', value: '1' }],
        labels: {
          [RUNTIME_LABELS.podUid]: uid,
          [RUNTIME_LABELS.podNamespace]: 'conformance',
          [RUNTIME_LABELS.podName]: `pod-${podCounter}`,
          [RUNTIME_LABELS.containerName]: cname,
          [RUNTIME_LABELS.restartCount]: String(restartCount),
        },
        annotations: scenario.annotations,
      }),
      async run(cname, scenario) {
        const id = await rt.createContainer(sandboxId, pod.config(cname, scenario));
        await rt.startContainer(id);
        return id;
      },
    };
    const adopt = async () => {
      const second = await makeAdopter(rt);
      runtimes.push(second);
      return second;
    };
    try {
      await fn(rt, pod, adopt);
    } finally {
      const last = runtimes[runtimes.length - 1]!;
      await last.removePodSandbox(sandboxId).catch(() => undefined);
      for (const r of runtimes) await r.close();
    }
  };

  const exited = (rt: ContainerRuntime, id: string) =>
    eventually(async () => {
      const status = await rt.containerStatus(id);
      expect(status.state).toBe('exited');
      return status;
    }, { timeoutMs: 15_000 });

  describe(`runtime conformance: ${name}`, { timeout }, () => {
    it('reports its name and version', async () => {
      const rt = await makeRuntime();
      try {
        const v = await rt.version();
        expect(v.runtimeName).toMatch(/\S/);
        expect(v.runtimeVersion).toMatch(/\S/);
      } finally {
        await rt.close();
      }
    });

    it('runs, lists, stops and removes a pod sandbox; stop and remove are idempotent', withPod(async (rt, pod) => {
      const listed = await rt.listPodSandboxes({ labels: { 'skiff.dev/conformance-pod': pod.uid } });
      expect(listed.map((s) => [s.id, s.podUid, s.namespace, s.state])).toEqual([[pod.sandboxId, pod.uid, 'conformance', 'ready']]);
      expect(listed[0]!.createdAt).toBeInstanceOf(Date);
      await rt.stopPodSandbox(pod.sandboxId);
      await rt.stopPodSandbox(pod.sandboxId);
      expect((await rt.listPodSandboxes({ labels: { 'skiff.dev/conformance-pod': pod.uid } }))[0]?.state).toBe('notready');
      await expectRuntimeCode(rt.createContainer(pod.sandboxId, pod.config('late', RUNTIME_SCENARIOS.runsUntilStopped())), 'SKIFF_ERR_RUNTIME_STATE');
      await rt.removePodSandbox(pod.sandboxId);
      await rt.removePodSandbox(pod.sandboxId);
      expect(await rt.listPodSandboxes({ labels: { 'skiff.dev/conformance-pod': pod.uid } })).toEqual([]);
    }));

    it('creates, starts and stops a container, reporting each state', withPod(async (rt, pod) => {
      const id = await rt.createContainer(pod.sandboxId, pod.config('main', RUNTIME_SCENARIOS.runsUntilStopped()));
      const created = await rt.containerStatus(id);
      expect(created).toMatchObject({ id, sandboxId: pod.sandboxId, name: 'main', state: 'created', restartCount: 0 });
      expect(created.labels[RUNTIME_LABELS.podUid]).toBe(pod.uid);
      expect(created.createdAt).toBeInstanceOf(Date);
      await rt.startContainer(id);
      const running = await rt.containerStatus(id);
      expect(running.state).toBe('running');
      expect(running.startedAt).toBeInstanceOf(Date);
      await expectRuntimeCode(rt.startContainer(id), 'SKIFF_ERR_RUNTIME_STATE');
      const t0 = Date.now();
      await rt.stopContainer(id, 30);
      expect(Date.now() - t0).toBeLessThan(10_000);
      const stopped = await rt.containerStatus(id);
      expect(stopped).toMatchObject({ state: 'exited', exitCode: 143 });
      expect(stopped.finishedAt).toBeInstanceOf(Date);
      await rt.stopContainer(id, 30);
      await rt.removeContainer(id);
      await rt.removeContainer(id);
      await expectRuntimeCode(rt.containerStatus(id), 'SKIFF_ERR_RUNTIME_NOT_FOUND');
    }));

    it('reports the exit code of a container that exits on its own', withPod(async (rt, pod) => {
      const failing = await pod.run('failing', RUNTIME_SCENARIOS.exitsWith(3));
      const ok = await pod.run('ok', RUNTIME_SCENARIOS.exitsWith(0));
      expect(await exited(rt, failing)).toMatchObject({ exitCode: 3, reason: 'Error' });
      expect(await exited(rt, ok)).toMatchObject({ exitCode: 0, reason: 'Completed' });
    }));

    it('reports a restarted container (removed and created again with the next restart count)', withPod(async (rt, pod) => {
      const first = await pod.run('app', RUNTIME_SCENARIOS.exitsWith(1));
      await exited(rt, first);
      await rt.removeContainer(first);
      const second = await rt.createContainer(pod.sandboxId, pod.config('app', RUNTIME_SCENARIOS.runsUntilStopped(), 1));
      await rt.startContainer(second);
      expect(await rt.containerStatus(second)).toMatchObject({ state: 'running', restartCount: 1, name: 'app' });
      const listed = await rt.listContainers({ sandboxId: pod.sandboxId });
      expect(listed.map((c) => [c.id, c.restartCount, c.state])).toEqual([[second, 1, 'running']]);
      await expectRuntimeCode(rt.containerStatus(first), 'SKIFF_ERR_RUNTIME_NOT_FOUND');
    }));

    it('returns the lines a container prints, in order, and honours tailLines', withPod(async (rt, pod) => {
      const lines = ['line-1', 'line-2', 'line-3', 'line-4', 'line-5'];
      const id = await pod.run('printer', RUNTIME_SCENARIOS.printsThenRuns(lines));
      await eventually(async () => expect((await collectLogs(rt, id, {})).map((l) => l.line)).toEqual(lines));
      const all = await collectLogs(rt, id, {});
      expect(all.every((l) => l.stream === 'stdout' && l.time instanceof Date)).toBe(true);
      expect((await collectLogs(rt, id, { tailLines: 2 })).map((l) => l.line)).toEqual(['line-4', 'line-5']);
      expect(await collectLogs(rt, id, { tailLines: 0 })).toEqual([]);
      const stamped = await collectLogs(rt, id, { tailLines: 1, timestamps: true });
      expect(stamped[0]?.line).toMatch(/^\d{4}-\d\d-\d\dT\S+ line-5$/);
      expect((await collectLogs(rt, id, { limitBytes: 14 })).map((l) => l.line)).toEqual(['line-1', 'line-2']);
    }));

    it('follows logs: sees new lines, and ends when the consumer stops', withPod(async (rt, pod) => {
      const id = await pod.run('ticker', RUNTIME_SCENARIOS.ticksForever());
      const seen = await collectLogs(rt, id, { follow: true }, (ls) => ls.some((l) => l.line === 'tick-4'));
      expect(seen.map((l) => l.line)).toEqual(['tick-1', 'tick-2', 'tick-3', 'tick-4']);
      const fromTail = await collectLogs(rt, id, { follow: true, tailLines: 1 }, (ls) => ls.length === 3);
      const numbers = fromTail.map((l) => Number(l.line.replace('tick-', '')));
      expect(numbers[1]).toBe(numbers[0]! + 1);
      expect(numbers[2]).toBe(numbers[0]! + 2);
    }));

    it('follows logs until the container stops', withPod(async (rt, pod) => {
      const id = await pod.run('short', RUNTIME_SCENARIOS.ticksFiveThenExits());
      const seen = await collectLogs(rt, id, { follow: true });
      expect(seen.map((l) => l.line)).toEqual(['tick-1', 'tick-2', 'tick-3', 'tick-4', 'tick-5']);
      expect((await rt.containerStatus(id)).state).toBe('exited');
      const ticker = await pod.run('ticker', RUNTIME_SCENARIOS.ticksForever());
      const following = collectLogs(rt, ticker, { follow: true });
      await new Promise((resolve) => setTimeout(resolve, 150));
      await rt.stopContainer(ticker, 10);
      expect((await following).length).toBeGreaterThan(0);
    }));

    it('kills a container that ignores SIGTERM once the grace period passed', withPod(async (rt, pod) => {
      const id = await pod.run('stubborn', RUNTIME_SCENARIOS.ignoresSigterm());
      await new Promise((resolve) => setTimeout(resolve, 200)); // let the trap be installed
      const t0 = Date.now();
      await rt.stopContainer(id, 1);
      const elapsed = Date.now() - t0;
      expect(elapsed).toBeGreaterThanOrEqual(900);
      expect(elapsed).toBeLessThan(10_000);
      expect(await rt.containerStatus(id)).toMatchObject({ state: 'exited', exitCode: 137 });
    }));

    it('stops a container that exits on SIGTERM promptly, well within a long grace period', withPod(async (rt, pod) => {
      const id = await pod.run('polite', RUNTIME_SCENARIOS.runsUntilStopped());
      await new Promise((resolve) => setTimeout(resolve, 200));
      const t0 = Date.now();
      await rt.stopContainer(id, 60);
      expect(Date.now() - t0).toBeLessThan(5_000);
      expect(await rt.containerStatus(id)).toMatchObject({ state: 'exited', exitCode: 143 });
    }));

    it('reports stats for a running container', withPod(async (rt, pod) => {
      const id = await pod.run('busy', RUNTIME_SCENARIOS.runsUntilStopped());
      const stats = await rt.stats(id);
      for (const value of [stats.cpuUsageCoreNanoSeconds, stats.memoryWorkingSetBytes, stats.fsUsedBytes]) {
        expect(Number.isFinite(value)).toBe(true);
        expect(value).toBeGreaterThanOrEqual(0);
      }
      await expectRuntimeCode(rt.stats('no-such-container'), 'SKIFF_ERR_RUNTIME_NOT_FOUND');
    }));

    it('execs a command in a running container and returns its exit code and output', withPod(async (rt, pod) => {
      const ok = await pod.run('ok', RUNTIME_SCENARIOS.execAnswers(0, 'probe-ok'));
      const failing = await pod.run('failing', RUNTIME_SCENARIOS.execAnswers(7, 'probe-bad'));
      const r1 = await rt.exec(ok, RUNTIME_SCENARIOS.execCommand(0, 'probe-ok'), { timeoutMs: 10_000 });
      expect(r1.exitCode).toBe(0);
      expect(r1.stdout).toContain('probe-ok');
      const r2 = await rt.exec(failing, RUNTIME_SCENARIOS.execCommand(7, 'probe-bad'), { timeoutMs: 10_000 });
      expect(r2.exitCode).toBe(7);
      await rt.stopContainer(ok, 0);
      await expectRuntimeCode(rt.exec(ok, ['true'], { timeoutMs: 10_000 }), 'SKIFF_ERR_RUNTIME_STATE');
    }));

    it('answers unknown ids with SKIFF_ERR_RUNTIME_NOT_FOUND, but stop and remove are no-ops', withPod(async (rt) => {
      await expectRuntimeCode(rt.containerStatus('no-such-container'), 'SKIFF_ERR_RUNTIME_NOT_FOUND');
      await expectRuntimeCode(rt.startContainer('no-such-container'), 'SKIFF_ERR_RUNTIME_NOT_FOUND');
      await expectRuntimeCode(rt.exec('no-such-container', ['true'], { timeoutMs: 1000 }), 'SKIFF_ERR_RUNTIME_NOT_FOUND');
      await expectRuntimeCode(collectLogs(rt, 'no-such-container', {}), 'SKIFF_ERR_RUNTIME_NOT_FOUND');
      const config = { name: 'x', image, env: [], labels: {}, annotations: {} };
      await expectRuntimeCode(rt.createContainer('no-such-sandbox', config), 'SKIFF_ERR_RUNTIME_NOT_FOUND');
      await rt.stopContainer('no-such-container', 0);
      await rt.removeContainer('no-such-container');
      await rt.stopPodSandbox('no-such-sandbox');
      await rt.removePodSandbox('no-such-sandbox');
    }));

    it('removes a running container, and a sandbox with its containers', withPod(async (rt, pod) => {
      const a = await pod.run('a', RUNTIME_SCENARIOS.runsUntilStopped());
      const b = await pod.run('b', RUNTIME_SCENARIOS.runsUntilStopped());
      await rt.removeContainer(a);
      await expectRuntimeCode(rt.containerStatus(a), 'SKIFF_ERR_RUNTIME_NOT_FOUND');
      await rt.removePodSandbox(pod.sandboxId);
      await expectRuntimeCode(rt.containerStatus(b), 'SKIFF_ERR_RUNTIME_NOT_FOUND');
      expect(await rt.listContainers({ labels: { [RUNTIME_LABELS.podUid]: pod.uid } })).toEqual([]);
    }));

    it('tells subscribers about container events, including exits nobody asked for (when it implements subscribeContainerEvents)', withPod(async (rt, pod) => {
      if (!rt.subscribeContainerEvents) return;
      const events: ContainerEvent[] = [];
      const unsubscribe = rt.subscribeContainerEvents((event) => {
        if (event.sandboxId === pod.sandboxId) events.push(event);
      });
      try {
        const typesOf = (id: string) => events.filter((e) => e.containerId === id).map((e) => e.type);
        // Exits on its own: `stopped` must come without polling the container.
        const job = await pod.run('job', RUNTIME_SCENARIOS.exitsWith(3));
        await eventually(() => expect(typesOf(job)).toEqual(['created', 'started', 'stopped']), { timeoutMs: 15_000 });
        const first = events.find((e) => e.containerId === job)!;
        expect(first).toMatchObject({ podUid: pod.uid, sandboxId: pod.sandboxId });
        expect(first.at).toBeInstanceOf(Date);
        const server = await pod.run('server', RUNTIME_SCENARIOS.runsUntilStopped());
        await eventually(() => expect(typesOf(server)).toEqual(['created', 'started']));
        await rt.stopContainer(server, 10);
        await eventually(() => expect(typesOf(server)).toEqual(['created', 'started', 'stopped']));
        await rt.removeContainer(server);
        await eventually(() => expect(typesOf(server)).toEqual(['created', 'started', 'stopped', 'deleted']));
        // Removed while running: stopped, then deleted.
        const doomed = await pod.run('doomed', RUNTIME_SCENARIOS.runsUntilStopped());
        await rt.removeContainer(doomed);
        await eventually(() => expect(typesOf(doomed)).toEqual(['created', 'started', 'stopped', 'deleted']));
      } finally {
        unsubscribe();
        unsubscribe();
      }
      const count = events.length;
      const late = await pod.run('late', RUNTIME_SCENARIOS.exitsWith(0));
      await exited(rt, late);
      expect(events.length).toBe(count);
    }));

    it('lets a second instance over the same world adopt the containers by their labels', withPod(async (rt, pod, adopt) => {
      const running = await pod.run('server', RUNTIME_SCENARIOS.runsUntilStopped());
      const done = await pod.run('init', RUNTIME_SCENARIOS.exitsWith(0));
      await exited(rt, done);
      const second = await adopt();
      await rt.close();
      await expectRuntimeCode(rt.containerStatus(running), 'SKIFF_ERR_RUNTIME_UNAVAILABLE');
      const byName = (cs: ContainerStatus[]) => Object.fromEntries(cs.map((c) => [c.labels[RUNTIME_LABELS.containerName], c]));
      const found = byName(await second.listContainers({ labels: { [RUNTIME_LABELS.podUid]: pod.uid } }));
      expect(Object.keys(found).sort()).toEqual(['init', 'server']);
      expect(found['server']).toMatchObject({ id: running, sandboxId: pod.sandboxId, state: 'running', restartCount: 0 });
      expect(found['init']).toMatchObject({ id: done, state: 'exited', exitCode: 0 });
      const sandboxes = await second.listPodSandboxes({ labels: { 'skiff.dev/conformance-pod': pod.uid } });
      expect(sandboxes.map((s) => s.id)).toEqual([pod.sandboxId]);
      await second.stopContainer(running, 10);
      expect((await second.containerStatus(running)).state).toBe('exited');
    }));
  });
}
