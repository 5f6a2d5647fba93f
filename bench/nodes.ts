import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { builtinAdmission, createCluster, storeCompaction, type Cluster, type ObjectChangedEvent, type Pod, type PluginInput } from '@skiff/core';
import { Client, inProcessTransport } from '@skiff/sdk';
import { hollowNodes, hollowNodesOf } from '@skiff/plugin-kubelet';
import { mockRuntime } from '@skiff/plugin-runtime-mock';
import { sqliteStorePlugin } from '@skiff/plugin-store-sqlite';
import { type Comparison, report } from './harness.js';
import { Cleanup } from './lib/cleanup.js';
import { progress, sleep, summarize, type LatencySummary } from './lib/stats.js';

const SUITE = 'nodes';
const NS = 'default';
const CREATE_CONCURRENCY = 64;
/** Memory-store compaction (see `startCluster`): every 10 s, keeping the last 50,000 revisions. */
const COMPACT_EVERY_MS = 10_000;

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** Calls `fn(0)` … `fn(count - 1)` with at most `limit` calls in flight. */
async function forEachBounded(count: number, limit: number, fn: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < count) await fn(next++);
  };
  await Promise.all(Array.from({ length: Math.min(limit, count) }, worker));
}

/** Profiles `fn` with the V8 CPU profiler when `file` is set, writing a `.cpuprofile` there (open it in Chrome DevTools). */
async function profiled<T>(file: string | undefined, fn: () => Promise<T>): Promise<T> {
  if (!file) return fn();
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  try {
    return await fn();
  } finally {
    const { profile } = await session.post('Profiler.stop');
    writeFileSync(file, JSON.stringify(profile));
    session.disconnect();
    progress(SUITE, `  wrote ${file}`);
  }
}

/** Heap after a full collection, in bytes. */
function settledHeap(): number {
  for (let i = 0; i < 3; i++) gc();
  return process.memoryUsage().heapUsed;
}

interface Idle {
  cpuMsPerMinute: number;
  heapBytes: number;
  writesPerSecond: number;
  writesByResource: Record<string, number>;
}

interface Startup {
  pods: number;
  seconds: number;
  podsPerSecond: number;
  createsPerSecond: number;
  /** Process CPU (all threads) per pod from the first create until the last was seen, in ms: robust to other load on the machine. */
  cpuMsPerPod: number;
  /** Heap in use at the end (not collected). */
  heapBytesAtEnd: number;
  /** Creation call → phase Running (or, without agents, ADDED) seen by a watch. */
  latency: LatencySummary;
}

/** Counts writes that reached the store, by resource, through the cluster's `objectChanged` hook. */
class WriteCounter {
  total = 0;
  byResource: Record<string, number> = {};
  constructor(cluster: Cluster) {
    cluster.hooks.objectChanged.tap('bench-nodes', (event: ObjectChangedEvent) => {
      this.total++;
      this.byResource[event.resource] = (this.byResource[event.resource] ?? 0) + 1;
    });
  }
  reset(): void {
    this.total = 0;
    this.byResource = {};
  }
}

function pod(i: number, nodeName: string): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: `bench-${i}`, namespace: NS, labels: { app: 'bench' } },
    spec: { nodeName, containers: [{ name: 'app', image: 'registry.local/app:1', resources: { requests: { cpu: '10m', memory: '16Mi' } } }] },
  };
}

/** Idle CPU (ms per minute), settled heap and API writes per second over `ms`. */
async function measureIdle(counter: WriteCounter, ms: number): Promise<Idle> {
  const heapBytes = settledHeap();
  counter.reset();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await sleep(ms);
  const cpu = process.cpuUsage(cpu0);
  const elapsed = performance.now() - t0;
  return {
    cpuMsPerMinute: ((cpu.user + cpu.system) / 1000) * (60_000 / elapsed),
    heapBytes,
    writesPerSecond: counter.total / (elapsed / 1000),
    writesByResource: Object.fromEntries(Object.entries(counter.byResource).map(([k, v]) => [k, v / (elapsed / 1000)])),
  };
}

/** How to create pods: `count` of them named `${prefix}-${i}`, at `rate` pods/s (undefined: as fast as `CREATE_CONCURRENCY` allows). */
interface CreatePlan {
  prefix: string;
  count: number;
  rate?: number;
}

/**
 * Creates pods bound round-robin to `nodes` through the API (in-process client, admission and
 * validation), and measures, per pod, the time from its create call to a watch showing it
 * `Running` (or just ADDED when `untilRunning` is false: the no-agent baseline).
 */
async function createAndWatch(client: Client, nodes: string[], plan: CreatePlan, untilRunning: boolean, timeoutMs: number): Promise<Startup> {
  const { prefix, count, rate } = plan;
  const pods = client.resource('v1', 'Pod');
  const issued = new Map<string, number>();
  const seen = new Map<string, number>();
  const watch = await pods.watch({ namespace: NS, labelSelector: `batch=${prefix}` });
  let resolveAll: () => void = () => undefined;
  const all = new Promise<void>((resolve) => (resolveAll = resolve));
  const watching = (async () => {
    for await (const event of watch) {
      const p = event.object;
      const name = p.metadata.name ?? '';
      if (seen.has(name) || !issued.has(name)) continue;
      if (untilRunning ? p.status?.phase === 'Running' : event.type === 'ADDED') {
        seen.set(name, performance.now());
        if (seen.size === count) resolveAll();
      }
    }
  })();
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  let created = 0;
  await forEachBounded(count, CREATE_CONCURRENCY, async (i) => {
    if (rate) {
      // Paced: pod i is created at t0 + i/rate.
      const wait = t0 + (i * 1000) / rate - performance.now();
      if (wait > 0) await sleep(wait);
    }
    const name = `${prefix}-${i}`;
    issued.set(name, performance.now());
    const object = pod(i, nodes[i % nodes.length]!);
    object.metadata.name = name;
    object.metadata.labels = { ...object.metadata.labels, batch: prefix };
    await pods.create(object);
    created++;
  });
  const createdAt = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)));
  await Promise.race([all, timeout]);
  const cpu = process.cpuUsage(cpu0);
  clearTimeout(timer);
  watch.stop();
  await watching.catch(() => undefined);
  if (seen.size < count) throw new Error(`only ${seen.size} of ${count} pods were seen ${untilRunning ? 'Running' : 'created'} within ${timeoutMs} ms (${created} created)`);
  let end = 0;
  for (const at of seen.values()) end = Math.max(end, at);
  const latencies = [...seen].map(([name, at]) => at - issued.get(name)!);
  const seconds = (end - t0) / 1000;
  return {
    pods: count,
    seconds,
    podsPerSecond: count / seconds,
    createsPerSecond: count / ((createdAt - t0) / 1000),
    cpuMsPerPod: (cpu.user + cpu.system) / 1000 / count,
    heapBytesAtEnd: process.memoryUsage().heapUsed,
    latency: summarize(latencies),
  };
}

const describe = (s: Startup, what: string) =>
  `${s.pods} pods, ${s.podsPerSecond.toFixed(0)} pods/s ${what} (${s.createsPerSecond.toFixed(0)} creates/s), ${s.cpuMsPerPod.toFixed(2)} CPU ms/pod, heap ${(s.heapBytesAtEnd / 2 ** 20).toFixed(0)} MiB, latency p50 ${s.latency.p50.toFixed(1)} ms p99 ${s.latency.p99.toFixed(1)} ms max ${s.latency.max.toFixed(1)} ms`;

async function startCluster(plugins: PluginInput, cleanup: Cleanup, name: string, store?: { dir: string }): Promise<{ cluster: Cluster; client: Client; counter: WriteCounter }> {
  const storePlugins = store ? [sqliteStorePlugin({ path: join(store.dir, `${name}.db`), synchronous: 'normal' })] : [];
  // The memory store keeps every revision until compacted: compact it as an API server does (SQLite compacts itself).
  const compaction = store ? [] : [storeCompaction({ intervalMs: COMPACT_EVERY_MS })];
  const cluster = await createCluster({ plugins: [builtinAdmission(), compaction, storePlugins, plugins] });
  const counter = new WriteCounter(cluster);
  await cluster.start();
  cleanup.add(`stop ${name}`, () => cluster.stop());
  return { cluster, client: new Client(inProcessTransport(cluster)), counter };
}

/**
 * `pnpm run bench nodes [--quick] [--sqlite] [--rate N] [--profile DIR]`: 1,000 hollow nodes (one
 * process, mock runtime) and 30,000 pods created through the API (in-process client, builtin
 * admission, memory store) bound directly to them (no scheduler):
 *
 * - heartbeat cost: process CPU (all threads) and settled heap with the nodes idle, against the same
 *   cluster with 0 nodes, per node;
 * - pod startup latency p50/p99, from each create call to a watch seeing the pod Running, with the
 *   30,000 pods created at `--rate` pods/s (default 500) — Kubernetes' pod startup SLO is measured
 *   at a steady creation rate too; baseline: create → the watch's ADDED with no agents;
 * - the API write rate (by resource, from the cluster's `objectChanged` hook) and CPU at steady
 *   state with every pod Running (after 10 s for the heartbeat loops to catch up); baseline: one Lease renewal per node every 10 s;
 * - throughput: a burst of 3,000 more pods created at once, pods Running per second; baseline: the
 *   same burst with no agents (creates seen by the watch).
 *
 * The memory store is compacted every 10 s down to its last 50,000 revisions, as an API server's
 * compactor does with etcd (nothing else compacts an in-process memory store).
 *
 * `--quick`: 50 nodes, 500 pods at 250/s, a burst of 200. `--sqlite`: the SQLite store
 * (synchronous=normal) instead of memory. `--profile DIR`: CPU profiles of the start-up and the
 * steady state.
 */
export async function run(args: string[]): Promise<void> {
  const quick = args.includes('--quick');
  const sqlite = args.includes('--sqlite');
  // `--profile DIR` writes CPU profiles of the pod start-up and the steady state there.
  const profileAt = args.indexOf('--profile');
  const profile = profileAt >= 0 ? args[profileAt + 1] : undefined;
  const nodeCount = quick ? 50 : 1_000;
  const podCount = quick ? 500 : 30_000;
  const idleMs = quick ? 5_000 : 20_000;
  const steadyMs = quick ? 5_000 : 20_000;
  const settleMs = 10_000;
  const timeoutMs = quick ? 60_000 : 600_000;
  // `--rate N`: pods created per second for the latency run (default 500; quick 250).
  const rateAt = args.indexOf('--rate');
  const rate = rateAt >= 0 ? Number(args[rateAt + 1]) : quick ? 250 : 500;
  const burstCount = quick ? 200 : 3_000;
  const bareCount = quick ? 500 : 5_000;
  const nodeOptions = { count: nodeCount, concurrency: 128 };
  const cleanup = new Cleanup();
  const meta: Record<string, unknown> = { memoryStoreCompaction: sqlite ? null : { everyMs: COMPACT_EVERY_MS, keeps: 'at least one interval of history (storeCompaction)' }, cpus: availableParallelism(), loadAverageAtStart: loadavg(), rate, burstCount, quick, store: sqlite ? 'sqlite (normal)' : 'memory', nodes: nodeCount, pods: podCount, createConcurrency: CREATE_CONCURRENCY, idleMs, steadyMs, hollowNodes: nodeOptions };
  const results: Comparison[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'skiff-bench-nodes-'));
  cleanup.add('remove temp dir', () => rmSync(dir, { recursive: true, force: true }));
  const store = sqlite ? { dir } : undefined;
  try {
    const names = Array.from({ length: nodeCount }, (_, i) => `hollow-node-${i}`);

    const paced = { prefix: 'paced', count: podCount, rate };
    const burst = { prefix: 'burst', count: burstCount };
    progress(SUITE, `${availableParallelism()} CPUs, load average ${loadavg().map((l) => l.toFixed(1)).join(' ')} (other processes skew every figure)`);
    progress(SUITE, `baseline: pods created through the API with no agents (${bareCount} at ${rate}/s, then ${burstCount} at once)…`);
    const bare = await startCluster([], cleanup, 'bare', store);
    const barePaced = await createAndWatch(bare.client, names, { ...paced, count: bareCount }, false, timeoutMs);
    progress(SUITE, `  paced: ${describe(barePaced, 'seen ADDED')}`);
    const bareBurst = await createAndWatch(bare.client, names, burst, false, timeoutMs);
    progress(SUITE, `  burst: ${describe(bareBurst, 'seen ADDED')}`);
    await bare.cluster.stop();

    progress(SUITE, `baseline: the cluster with 0 hollow nodes, idle for ${idleMs / 1000} s…`);
    const empty = await startCluster([mockRuntime(), hollowNodes({ count: 0 })], cleanup, 'empty', store);
    const idle0 = await measureIdle(empty.counter, idleMs);
    await empty.cluster.stop();

    progress(SUITE, `starting ${nodeCount} hollow nodes…`);
    const t0 = performance.now();
    const full = await startCluster([mockRuntime(), hollowNodes(nodeOptions)], cleanup, 'hollow', store);
    const startSeconds = (performance.now() - t0) / 1000;
    progress(SUITE, `  registered and ready in ${startSeconds.toFixed(1)} s; idle for ${idleMs / 1000} s…`);
    const idleN = await measureIdle(full.counter, idleMs);
    const perNodeCpu = (idleN.cpuMsPerMinute - idle0.cpuMsPerMinute) / nodeCount;
    const perNodeHeap = (idleN.heapBytes - idle0.heapBytes) / nodeCount;
    progress(SUITE, `  heartbeat cost: ${perNodeCpu.toFixed(2)} CPU ms per node per minute, ${(perNodeHeap / 1024).toFixed(1)} KiB heap per node, ${idleN.writesPerSecond.toFixed(1)} writes/s`);

    progress(SUITE, `creating ${podCount} pods bound to them at ${rate}/s, until a watch sees every one Running…`);
    const startup = await profiled(profile && join(profile, 'nodes-startup.cpuprofile'), () => createAndWatch(full.client, names, paced, true, timeoutMs));
    progress(SUITE, `  ${describe(startup, 'Running')}`);

    // Let the heartbeat loops catch up with renewals they owe from the start-up (one renewal period).
    progress(SUITE, `settling for ${settleMs / 1000} s, then steady state with ${podCount} running pods for ${steadyMs / 1000} s…`);
    await sleep(settleMs);
    const steady = await profiled(profile && join(profile, 'nodes-steady.cpuprofile'), () => measureIdle(full.counter, steadyMs));
    const heartbeat = hollowNodesOf(full.cluster)?.heartbeatStats;
    progress(SUITE, `  ${steady.writesPerSecond.toFixed(1)} API writes/s (${JSON.stringify(Object.fromEntries(Object.entries(steady.writesByResource).map(([k, v]) => [k, Number(v.toFixed(1))])))}), ${((steady.cpuMsPerMinute / 60_000) * 100).toFixed(1)}% CPU`);

    progress(SUITE, `a burst of ${burstCount} more pods at once…`);
    const burstRun = await createAndWatch(full.client, names, burst, true, timeoutMs);
    progress(SUITE, `  ${describe(burstRun, 'Running')}`);

    const leaseFloor = nodeCount / 10; // one Lease renewal per node every 10 s
    results.push(
      { name: `pod startup p50 (create → Running in watch, ${rate}/s)`, unit: 'ms', candidate: startup.latency.p50, baseline: barePaced.latency.p50, baselineName: 'create → ADDED, no agents' },
      { name: `pod startup p99 (create → Running in watch, ${rate}/s)`, unit: 'ms', candidate: startup.latency.p99, baseline: barePaced.latency.p99, baselineName: 'create → ADDED, no agents' },
      { name: `pods Running per second (burst of ${burstCount})`, unit: 'pods/s', candidate: burstRun.podsPerSecond, baseline: bareBurst.podsPerSecond, baselineName: 'creates seen, no agents' },
      { name: `CPU per pod started (${rate}/s)`, unit: 'ms', candidate: startup.cpuMsPerPod, baseline: barePaced.cpuMsPerPod, baselineName: 'per pod created, no agents' },
      { name: `burst p99 (create → Running)`, unit: 'ms', candidate: burstRun.latency.p99, baseline: bareBurst.latency.p99, baselineName: 'create → ADDED, no agents' },
      { name: `idle CPU, ${nodeCount} nodes`, unit: 'ms/min', candidate: idleN.cpuMsPerMinute, baseline: idle0.cpuMsPerMinute, baselineName: '0 nodes' },
      { name: `heap, ${nodeCount} idle nodes`, unit: 'MiB', candidate: idleN.heapBytes / 2 ** 20, baseline: idle0.heapBytes / 2 ** 20, baselineName: '0 nodes' },
      { name: `steady-state CPU, ${podCount} pods`, unit: 'ms/min', candidate: steady.cpuMsPerMinute, baseline: idleN.cpuMsPerMinute, baselineName: 'same nodes, no pods' },
      { name: 'steady-state API writes', unit: 'writes/s', candidate: steady.writesPerSecond, baseline: leaseFloor, baselineName: 'Lease renewals alone (nodes / 10 s)' },
    );
    const file = report(SUITE, results, {
      ...meta,
      loadAverageAtEnd: loadavg(),
      nodeStartSeconds: startSeconds,
      bare: { paced: barePaced, burst: bareBurst },
      startup,
      burst: burstRun,
      idle: { zeroNodes: idle0, nodes: idleN, perNode: { cpuMsPerMinute: perNodeCpu, heapBytes: perNodeHeap } },
      steady: { ...steady, cpuPercent: (steady.cpuMsPerMinute / 60_000) * 100 },
      heartbeat,
      goals: { startupP99UnderOneSecond: startup.latency.p99 <= 1_000, startupP99UnderFiveSeconds: startup.latency.p99 <= 5_000 },
    });
    progress(SUITE, `wrote ${file}`);
  } finally {
    await cleanup.run();
  }
}
