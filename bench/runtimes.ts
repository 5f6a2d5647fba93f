import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Container, Pod } from '@skiff/core';
import { Client, httpTransport } from '@skiff/sdk';
import { Cleanup } from './lib/cleanup.js';
import { type ContainerEvent, dockerUnusable, recordContainerEvents } from './lib/docker-engine.js';
import { type IdleUsage, idleUsage } from './lib/proc-usage.js';
import { cmdline, readKubeconfig, type SkiffProcess, startSkiff } from './lib/skiff-process.js';
import { type LatencySummary, nowMs, progress, sleep, summarize } from './lib/stats.js';

const SUITE = 'runtimes';
const NS = 'default';
/** The sandbox image `scripts/test-docker-engine.sh start` imports (no pulls are possible here). */
const SANDBOX_IMAGE = 'skiff-test/pause:latest';
const DOCKER_IMAGE = 'busybox:latest';
/** Kubernetes' pod startup SLO (p99, image pulls excluded). */
const K8S_SLO_P99_MS = 5_000;

/** One runtime under test: its name, Skiff's p99 aim, the pod's container and extra `node join` flags. */
interface RuntimePlan {
  name: 'mock' | 'process' | 'docker';
  /** The mock runtime (no real containers) is the in-run baseline. */
  baseline: boolean;
  aimP99Ms?: number;
  container: Container;
  joinArgs: string[];
}

/** What one runtime measured. */
interface RuntimeResult {
  runtime: string;
  baseline: boolean;
  skipped?: string;
  pods?: number;
  /** `node join` start → "Ready in" line, ms. */
  joinMs?: number;
  /** Pods created one every this many ms for {@link RuntimeResult.startup}. */
  pacedIntervalMs?: number;
  /** Client timestamp before each pod's create → a watch shows it Ready=True, ms; pods created one at a time, paced. */
  startup?: LatencySummary;
  /** First create call → last create answered, ms (the burst: all pods created at once). */
  burstCreateMs?: number;
  /** The same, with all pods created at once: the node's throughput and queueing more than one pod's startup. */
  burstStartup?: LatencySummary;
  /** Watch events seen during the idle window (0 means nothing changed). */
  idleWatchEvents?: number;
  agent?: IdleUsage & { cmdline: string };
  shim?: IdleUsage & { cmdline: string };
  /** Docker only: per-pod split of the startup, from the engine's container events. */
  dockerPhases?: Record<string, LatencySummary>;
  aimP99Ms?: number;
}

function podFor(plan: RuntimePlan, nodeName: string, i: number): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: `rt-${plan.name}-${i}`, namespace: NS, labels: { 'bench-runtime': plan.name } },
    spec: { nodeName, terminationGracePeriodSeconds: 1, containers: [plan.container] },
  };
}

const isReady = (p: Pod) => !p.metadata.deletionTimestamp && p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') === true;

/** Why a pod is not Ready yet, for the timeout message. */
const notReadyWhy = (p: Pod) =>
  `${p.metadata.name}: ${p.status?.phase ?? 'no status'} ${(p.status?.containerStatuses ?? []).map((c) => c.state?.waiting?.reason ?? c.state?.terminated?.reason ?? '').join(',')}`.trim();

/**
 * Creates `count` pods of `plan` bound to `nodeName`, one every `intervalMs` (0: all at once), and
 * times each from a client timestamp taken just before its create call to a pod watch (opened
 * before the first create) showing it Ready=True. The watch keeps running until `stop()`;
 * `eventsSinceReady()` counts what it saw after the last pod got Ready.
 */
async function createUntilReady(client: Client, plan: RuntimePlan, nodeName: string, count: number, intervalMs: number, timeoutMs: number) {
  const pods = client.resource('v1', 'Pod');
  const labelSelector = `bench-runtime=${plan.name}`;
  const list = await pods.list({ namespace: NS, labelSelector });
  const watch = await pods.watch({ namespace: NS, labelSelector, resourceVersion: list.metadata.resourceVersion! });
  const issued = new Map<string, number>();
  const ready = new Map<string, number>();
  const last = new Map<string, Pod>();
  let events = 0;
  let allReady: () => void = () => undefined;
  const done = new Promise<void>((resolve) => (allReady = resolve));
  const watching = (async () => {
    for await (const ev of watch) {
      const t = nowMs();
      events++;
      const name = ev.object.metadata.name!;
      last.set(name, ev.object);
      if (!ready.has(name) && issued.has(name) && ev.type !== 'DELETED' && isReady(ev.object)) {
        ready.set(name, t);
        if (ready.size === count) allReady();
      }
    }
  })().catch((err: unknown) => progress(SUITE, `  watch ended: ${(err as Error).message}`));
  let shown = -1;
  const ticker = setInterval(() => {
    if (ready.size !== shown) progress(SUITE, `  ${plan.name}: ${ready.size}/${count} Ready`);
    shown = ready.size;
  }, 1_000);
  const wallOrigin = performance.timeOrigin;
  let burstCreateMs = 0;
  try {
    const t0 = nowMs();
    const creates: Promise<unknown>[] = [];
    for (let i = 0; i < count; i++) {
      if (intervalMs > 0 && i > 0) await sleep(t0 + i * intervalMs - nowMs());
      const pod = podFor(plan, nodeName, i);
      issued.set(pod.metadata.name!, nowMs());
      creates.push(pods.create(pod));
    }
    await Promise.all(creates);
    burstCreateMs = nowMs() - t0;
    progress(SUITE, `  ${plan.name}: ${count} pods created in ${burstCreateMs.toFixed(0)} ms (${intervalMs > 0 ? `one every ${intervalMs} ms` : 'one burst'}, bound with spec.nodeName)`);
    const timer = setTimeout(allReady, timeoutMs);
    await done;
    clearTimeout(timer);
    if (ready.size < count) {
      const stuck = [...last.values()].filter((p) => !ready.has(p.metadata.name!)).slice(0, 5).map(notReadyWhy);
      throw new Error(`${plan.name}: only ${ready.size}/${count} pods Ready within ${timeoutMs} ms (e.g. ${stuck.join('; ')})`);
    }
    progress(SUITE, `  ${plan.name}: ${count}/${count} Ready`);
  } finally {
    clearInterval(ticker);
  }
  const latencies = [...ready].map(([name, at]) => at - issued.get(name)!);
  const eventsAtReady = events;
  return {
    startup: summarize(latencies),
    burstCreateMs,
    /** Wall-clock ms of each pod's create call (for matching the engine's event times). */
    issuedWall: new Map([...issued].map(([name, at]) => [name, wallOrigin + at])),
    readyWall: new Map([...ready].map(([name, at]) => [name, wallOrigin + at])),
    eventsSinceReady: () => events - eventsAtReady,
    async stop() {
      watch.stop();
      await watching;
    },
  };
}

/** Deletes the runtime's pods (each with its 1 s grace) and waits until the API has none left. */
async function deletePods(client: Client, plan: RuntimePlan, timeoutMs: number): Promise<void> {
  const pods = client.resource('v1', 'Pod');
  const labelSelector = `bench-runtime=${plan.name}`;
  const t0 = nowMs();
  const list = await pods.list({ namespace: NS, labelSelector });
  await Promise.all(list.items.map((p) => pods.delete(p.metadata.name!, { namespace: NS }).catch(() => undefined)));
  // Teardown is not measured: polling is fine here.
  while ((await pods.list({ namespace: NS, labelSelector })).items.length > 0) {
    if (nowMs() - t0 > timeoutMs) throw new Error(`${plan.name}: pods still present ${timeoutMs} ms after deletion`);
    await sleep(250);
  }
  progress(SUITE, `  ${plan.name}: ${list.items.length} pods deleted in ${((nowMs() - t0) / 1000).toFixed(1)} s`);
}

/** Pids of process-runtime shims whose command line names `dir` (the agent's data directory). */
function shimPids(dir: string): number[] {
  return readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .map(Number)
    .filter((pid) => {
      const cmd = cmdline(pid);
      return cmd.includes(dir) && /shim-[0-9a-f]+\.cjs/.test(cmd);
    });
}

/**
 * From the engine's container events, per pod: create call → sandbox created → sandbox started →
 * app container created → app started → Ready seen (names are `k8s_POD_<pod>_…` and `k8s_app_<pod>_…`).
 */
function dockerPhases(events: ContainerEvent[], issued: Map<string, number>, ready: Map<string, number>): Record<string, LatencySummary> {
  const at = new Map<string, number>();
  for (const e of events) {
    const m = /^k8s_(POD|app)_(rt-docker-\d+)_/.exec(e.name);
    if (!m || (e.action !== 'create' && e.action !== 'start')) continue;
    const key = `${m[2]}/${m[1]}/${e.action}`;
    if (!at.has(key)) at.set(key, e.atMs);
  }
  const steps: [string, (pod: string) => [number | undefined, number | undefined]][] = [
    ['create call → sandbox created', (p) => [issued.get(p), at.get(`${p}/POD/create`)]],
    ['sandbox created → started', (p) => [at.get(`${p}/POD/create`), at.get(`${p}/POD/start`)]],
    ['sandbox started → app created', (p) => [at.get(`${p}/POD/start`), at.get(`${p}/app/create`)]],
    ['app created → started', (p) => [at.get(`${p}/app/create`), at.get(`${p}/app/start`)]],
    ['app started → Ready seen', (p) => [at.get(`${p}/app/start`), ready.get(p)]],
  ];
  const out: Record<string, LatencySummary> = {};
  for (const [label, pick] of steps) {
    const samples: number[] = [];
    for (const pod of issued.keys()) {
      const [from, to] = pick(pod);
      if (from !== undefined && to !== undefined) samples.push(to - from);
    }
    out[label] = summarize(samples);
  }
  return out;
}

/** Joins one agent with `plan`'s runtime, runs the burst, measures it idle, then deletes the pods and stops it. */
async function measureRuntime(ctx: { server: string; nodeToken: string; client: Client; dir: string; cleanup: Cleanup; count: number; pacedIntervalMs: number; idleMs: number; settleMs: number; timeoutMs: number }, plan: RuntimePlan): Promise<RuntimeResult> {
  const nodeName = `bench-${plan.name}`;
  const dataDir = join(ctx.dir, nodeName);
  progress(SUITE, `${plan.name}${plan.baseline ? ' (baseline: the same agent, no real containers)' : ''}: joining node ${nodeName} in its own process…`);
  const t0 = nowMs();
  const agent: SkiffProcess = startSkiff(['node', 'join', '--server', ctx.server, '--token', ctx.nodeToken, '--name', nodeName, '--runtime', plan.name, '--port', '0', '--data-dir', dataDir, ...plan.joinArgs]);
  ctx.cleanup.add(`stop agent ${nodeName}`, () => agent.stop(30_000));
  await agent.waitFor(/Ready in \d+ ms: node \S+ joined/, 60_000);
  const joinMs = nowMs() - t0;
  const agentCmd = cmdline(agent.pid);
  if (!agentCmd.includes('node join')) throw new Error(`pid ${agent.pid} is not the agent: ${agentCmd}`);
  progress(SUITE, `  ${plan.name}: agent pid ${agent.pid} ready in ${joinMs.toFixed(0)} ms; creating ${ctx.count} pods, one every ${ctx.pacedIntervalMs} ms…`);
  const recorder = plan.name === 'docker' ? await recordContainerEvents(process.env['DOCKER_HOST']!) : undefined;
  const paced = await createUntilReady(ctx.client, plan, nodeName, ctx.count, ctx.pacedIntervalMs, ctx.timeoutMs);
  await paced.stop();
  const phases = recorder ? dockerPhases(await recorder.stop(), paced.issuedWall, paced.readyWall) : undefined;
  const s = paced.startup;
  progress(SUITE, `  ${plan.name}: paced startup p50 ${s.p50.toFixed(0)} ms, p99 ${s.p99.toFixed(0)} ms, max ${s.max.toFixed(0)} ms`);
  await deletePods(ctx.client, plan, 120_000);
  progress(SUITE, `  ${plan.name}: creating ${ctx.count} pods at once…`);
  const run = await createUntilReady(ctx.client, plan, nodeName, ctx.count, 0, ctx.timeoutMs);
  const b = run.startup;
  progress(SUITE, `  ${plan.name}: burst startup p50 ${b.p50.toFixed(0)} ms, p99 ${b.p99.toFixed(0)} ms, max ${b.max.toFixed(0)} ms; settling ${ctx.settleMs / 1000} s, then idle for ${ctx.idleMs / 1000} s…`);
  await sleep(ctx.settleMs);
  const shims = plan.name === 'process' ? shimPids(dataDir) : [];
  if (plan.name === 'process' && shims.length !== 1) progress(SUITE, `  process: expected one shim under ${dataDir}, found ${shims.length}`);
  const watchBefore = run.eventsSinceReady();
  const usage = await idleUsage([agent.pid, ...shims.slice(0, 1)], ctx.idleMs);
  const idleWatchEvents = run.eventsSinceReady() - watchBefore;
  await run.stop();
  const [agentUse, shimUse] = usage;
  progress(SUITE, `  ${plan.name}: idle agent ${agentUse!.cpuPercent.toFixed(2)}% CPU, ${agentUse!.rssMiB.toFixed(0)} MiB RSS (${agentUse!.anonRssMiB.toFixed(0)} anon)${shimUse ? `; shim ${shimUse.cpuPercent.toFixed(2)}% CPU, ${shimUse.rssMiB.toFixed(0)} MiB RSS (${shimUse.anonRssMiB.toFixed(0)} anon)` : ''} (${idleWatchEvents} pod events while idle)`);
  await deletePods(ctx.client, plan, 120_000);
  const code = await agent.stop(30_000);
  progress(SUITE, `  ${plan.name}: agent stopped (exit ${code})`);
  return {
    runtime: plan.name,
    baseline: plan.baseline,
    pods: ctx.count,
    joinMs,
    pacedIntervalMs: ctx.pacedIntervalMs,
    startup: s,
    burstCreateMs: run.burstCreateMs,
    burstStartup: b,
    idleWatchEvents,
    agent: { ...agentUse!, cmdline: agentCmd },
    ...(shimUse ? { shim: { ...shimUse, cmdline: cmdline(shimUse.pid) } } : {}),
    ...(phases ? { dockerPhases: phases } : {}),
    ...(plan.aimP99Ms ? { aimP99Ms: plan.aimP99Ms } : {}),
  };
}

const ms = (n: number | undefined) => (n === undefined ? '' : n.toFixed(0));
const verdict = (p99: number | undefined, target: number | undefined) => (p99 === undefined || target === undefined ? '—' : `≤ ${target / 1000} s: ${p99 <= target ? 'met' : 'MISSED'}`);

/** Prints the table: one row per runtime, the mock row labelled as the baseline. */
function printTable(results: RuntimeResult[]): void {
  const base = results.find((r) => r.baseline)?.startup?.p99;
  console.table(
    results.map((r) => ({
      runtime: r.baseline ? `${r.runtime} (baseline)` : r.runtime,
      'p50 ms': r.skipped ? 'skipped (reason above)' : ms(r.startup?.p50),
      'p99 ms': ms(r.startup?.p99),
      'max ms': ms(r.startup?.max),
      'burst p50/p99 ms': r.burstStartup ? `${ms(r.burstStartup.p50)} / ${ms(r.burstStartup.p99)}` : '',
      'p99 ÷ baseline': r.startup && base ? (r.startup.p99 / base).toFixed(2) : '',
      'Skiff aim p99': verdict(r.startup?.p99, r.aimP99Ms),
      'K8s SLO p99': r.baseline ? '—' : verdict(r.startup?.p99, K8S_SLO_P99_MS),
      'agent CPU % idle': r.agent ? r.agent.cpuPercent.toFixed(2) : '',
      'agent RSS MiB (anon)': r.agent ? `${r.agent.rssMiB.toFixed(0)} (${r.agent.anonRssMiB.toFixed(0)})` : '',
      'shim RSS MiB (anon)': r.shim ? `${r.shim.rssMiB.toFixed(0)} (${r.shim.anonRssMiB.toFixed(0)})` : '',
    })),
  );
}

/**
 * `pnpm run bench runtimes [--quick] [--only mock,process,docker]`: for the `process` and `docker`
 * runtimes, and `mock` (the same agent with no real containers) as the in-run baseline, one
 * `skiff node join` agent in its own OS process joins a `skiff up --nodes 0 --store memory` server;
 * then:
 *
 * - pod startup latency: 50 pods (`sleep 3600`) created one a second (`--quick`: 20, one every
 *   500 ms), bound directly with `spec.nodeName` (no scheduler), each timed from a client timestamp
 *   just before its create call to a pod watch (opened before the first create) showing Ready=True;
 *   p50/p99/max. Targets: Kubernetes' SLO p99 ≤ 5 s (image pulls excluded, measured as pods arrive
 *   at a cluster's rate, not all on one node at once); Skiff aims at p99 ≤ 1 s (process), ≤ 2 s
 *   (Docker, image present);
 * - the same pods again created all at once (the burst): what queueing on one node adds;
 * - the agent's CPU (% of one core, utime+stime from `/proc/<pid>/stat`) and RSS (`VmRSS`) over an
 *   idle window with the 50 pods Ready (20 s; `--quick` 5 s), and the process runtime's shim's.
 *
 * Docker needs `DOCKER_HOST` (`eval "$(scripts/test-docker-engine.sh start)"`) with `busybox:latest`
 * and `skiff-test/pause:latest` present; otherwise it is skipped with the reason. Docker's startup
 * is also split by the engine's container events (sandbox create/start, app create/start).
 * `--quick`: 20 pods, a 5 s idle window.
 */
export async function run(args: string[]): Promise<void> {
  const quick = args.includes('--quick');
  const onlyAt = args.indexOf('--only');
  const only = onlyAt >= 0 ? (args[onlyAt + 1] ?? '').split(',') : undefined;
  const count = quick ? 20 : 50;
  const pacedIntervalMs = quick ? 500 : 1_000;
  const idleMs = quick ? 5_000 : 20_000;
  const settleMs = quick ? 1_000 : 3_000;
  const timeoutMs = 120_000;
  const dockerHost = process.env['DOCKER_HOST'];
  const plans: RuntimePlan[] = [
    { name: 'mock', baseline: true, container: { name: 'app', image: 'busybox' }, joinArgs: [] },
    { name: 'process', baseline: false, aimP99Ms: 1_000, container: { name: 'app', image: 'busybox', command: ['sleep', '3600'] }, joinArgs: [] },
    {
      name: 'docker',
      baseline: false,
      aimP99Ms: 2_000,
      container: { name: 'app', image: DOCKER_IMAGE, imagePullPolicy: 'IfNotPresent', command: ['sleep', '3600'] },
      joinArgs: ['--docker-host', dockerHost ?? '', '--sandbox-image', SANDBOX_IMAGE],
    },
  ].filter((p) => !only || only.includes(p.name)) as RuntimePlan[];
  const cleanup = new Cleanup();
  const dir = mkdtempSync(join(tmpdir(), 'skiff-bench-runtimes-'));
  cleanup.add('remove temp dir', () => rmSync(dir, { recursive: true, force: true }));
  const results: RuntimeResult[] = [];
  const loadAverageAtStart = loadavg();
  try {
    progress(SUITE, `${availableParallelism()} CPUs, load average ${loadavg().map((l) => l.toFixed(1)).join(' ')} (other processes skew every figure)`);
    progress(SUITE, 'starting skiff up --nodes 0 --store memory…');
    const serverDir = join(dir, 'server');
    const server = startSkiff(['up', '--data-dir', serverDir, '--api-port', '0', '--store', 'memory', '--nodes', '0']);
    cleanup.add('stop server', () => server.stop(30_000));
    const url = (await server.waitFor(/API server listening on (\S+)/, 60_000))[1]!;
    await server.waitFor(/Ready in/, 60_000);
    const kubeconfig = readKubeconfig(join(serverDir, 'kubeconfig'));
    const client = new Client(httpTransport({ server: kubeconfig.server, token: kubeconfig.token, caCertPem: kubeconfig.caCertPem }));
    const nodeToken = readFileSync(join(serverDir, 'node-token'), 'utf8').trim();
    progress(SUITE, `  server at ${url} (pid ${server.pid})`);
    const ctx = { server: url, nodeToken, client, dir, cleanup, count, pacedIntervalMs, idleMs, settleMs, timeoutMs };
    for (const plan of plans) {
      if (plan.name === 'docker') {
        const why = await dockerUnusable(dockerHost, [DOCKER_IMAGE, SANDBOX_IMAGE]);
        if (why) {
          progress(SUITE, `docker: skipped: ${why}`);
          results.push({ runtime: plan.name, baseline: false, skipped: why });
          continue;
        }
      }
      results.push(await measureRuntime(ctx, plan));
    }
    for (const r of results) {
      if (!r.dockerPhases) continue;
      progress(SUITE, 'docker startup by step (engine container events; p50 / p99 / max ms):');
      for (const [step, l] of Object.entries(r.dockerPhases)) progress(SUITE, `  ${step.padEnd(32)} ${ms(l.p50).padStart(6)} ${ms(l.p99).padStart(6)} ${ms(l.max).padStart(6)}`);
    }
    progress(SUITE, `${count} pods per runtime, bound directly with spec.nodeName (no scheduler), created one every ${pacedIntervalMs} ms (p50/p99/max) and then all at once (burst); startup = create call → Ready=True on a watch; idle window ${idleMs / 1000} s with the burst's pods`);
    printTable(results);
    const resultsDir = join(import.meta.dirname, 'results');
    mkdirSync(resultsDir, { recursive: true });
    const body = {
      suite: SUITE,
      at: new Date().toISOString(),
      node: process.version,
      quick,
      cpus: availableParallelism(),
      loadAverageAtStart,
      loadAverageAtEnd: loadavg(),
      pods: count,
      creation: `paced: one pod every ${pacedIntervalMs} ms (startup); burst: all pods at once (burstStartup)`,
      binding: 'spec.nodeName (no scheduler)',
      idleMs,
      settleMs,
      targets: { k8sSloP99Ms: K8S_SLO_P99_MS, skiffAimP99Ms: { process: 1_000, docker: 2_000 } },
      runtimes: results,
    };
    const file = join(resultsDir, `${SUITE}-${body.at.replace(/[:.]/g, '-')}.json`);
    writeFileSync(file, `${JSON.stringify(body, null, 2)}\n`);
    writeFileSync(join(resultsDir, `${SUITE}-latest.json`), `${JSON.stringify(body, null, 2)}\n`);
    progress(SUITE, `wrote ${file}`);
  } finally {
    await cleanup.run();
  }
}
