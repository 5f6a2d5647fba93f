import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { builtinAdmission, createCluster, type Node, type Pod } from '@skiff/core';
import { Client, inProcessTransport } from '@skiff/sdk';
import { scheduler, schedulerOf } from '@skiff/plugin-scheduler';
import { type Comparison, report } from './harness.js';
import { Cleanup } from './lib/cleanup.js';
import { phaseResult, runPhaseInChild } from './lib/phases.js';
import { nowMs, progress, quantile, summarize } from './lib/stats.js';

const SUITE = 'scheduler';
const NAMESPACE = 'default';

interface Workload {
  nodes: number;
  initPods: number;
  measuredPods: number;
  /** Pod creations in flight at once. */
  createConcurrency: number;
}

interface Measured {
  name: string;
  /** Measured pods bound per second, from the first creation to the last binding observed. */
  averagePodsPerSecond: number;
  /** Median of the per-second throughput samples (whole seconds while pods were being bound). */
  p50PodsPerSecond: number;
  perSecond: number[];
  latencyMs: { p50: number; p99: number; max: number; mean: number };
  wallMs: number;
  heapUsedMB: number;
  rssMB: number;
  /** Scheduler Events not written because the recorder's queue was full (Kubernetes drops them too). */
  eventsDropped: number;
  /** How long after the last binding the scheduler's queued Events were all written (they yield to scheduling). */
  eventsDrainMs: number;
  /** CPU time (user + system) of the process from the first creation until all bindings were seen. */
  cpuMs: number;
  /**
   * Measured pods per second of that CPU time: what one otherwise idle core would sustain. Much
   * steadier than wall-clock throughput when other work shares the machine.
   */
  podsPerCpuSecond: number;
}

/** A Node with capacity and no agent, as scheduler_perf's fake nodes. */
function nodeObject(i: number): Node {
  const name = `node-${i}`;
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, labels: { 'kubernetes.io/hostname': name } },
    spec: {},
  };
}

const NODE_RESOURCES = { cpu: '4', memory: '32Gi', pods: '110', 'ephemeral-storage': '100Gi' };

/** scheduler_perf's pod template: small requests. */
function podObject(name: string): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: NAMESPACE },
    spec: { containers: [{ name: 'pause', image: 'registry.k8s.io/pause:3.10', resources: { requests: { cpu: '100m', memory: '500Mi' } } }] },
  };
}

async function pool<T>(items: readonly T[], concurrency: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) await fn(items[next++]!);
    }),
  );
}

/**
 * A binder with no scheduling logic: watches pods and assigns each unbound one round-robin,
 * through the same API path (a CAS patch of spec.nodeName). It is the baseline: the cost of the
 * API path alone, so the ratio shows what the framework adds.
 */
function roundRobinBinder(client: Client, nodeCount: number): { stop(): Promise<void> } {
  const pods = client.resource('v1', 'Pod');
  let next = 0;
  const inFlight = new Set<Promise<unknown>>();
  let stopWatch = () => {};
  const watching = (async () => {
    const watch = await pods.watch({ namespace: NAMESPACE });
    stopWatch = () => watch.stop();
    for await (const ev of watch) {
      const pod = ev.object;
      if (ev.type !== 'ADDED' || pod.spec?.nodeName) continue;
      const p = pods
        .patch(pod.metadata.name!, { metadata: { resourceVersion: pod.metadata.resourceVersion }, spec: { nodeName: `node-${next++ % nodeCount}` } }, { namespace: NAMESPACE })
        .catch(() => undefined);
      inFlight.add(p);
      void p.finally(() => inFlight.delete(p));
    }
  })().catch(() => undefined);
  return {
    async stop() {
      stopWatch();
      await Promise.allSettled([...inFlight]);
      await watching;
    },
  };
}

async function runOne(name: string, workload: Workload, useScheduler: boolean, timeoutMs: number): Promise<Measured> {
  const cleanup = new Cleanup();
  try {
    const cluster = await createCluster({
      plugins: [builtinAdmission(), useScheduler && scheduler()],
    });
    await cluster.start();
    cleanup.add('stop cluster', () => cluster.stop());
    const client = new Client(inProcessTransport(cluster));
    const nodesApi = client.resource('v1', 'Node');
    const podsApi = client.resource('v1', 'Pod');
    progress(SUITE, `${name}: creating ${workload.nodes} nodes…`);
    await pool(
      Array.from({ length: workload.nodes }, (_, i) => i),
      50,
      async (i) => {
        const node = await nodesApi.create(nodeObject(i));
        await nodesApi.updateStatus({ ...node, status: { capacity: NODE_RESOURCES, allocatable: NODE_RESOURCES, conditions: [{ type: 'Ready', status: 'True' }] } });
      },
    );
    const binder = useScheduler ? undefined : roundRobinBinder(client, workload.nodes);
    if (binder) cleanup.add('stop binder', () => binder.stop());

    // Watch bindings: a pod counts as bound when a watch event first shows its nodeName.
    const createdAt = new Map<string, number>();
    const boundAt = new Map<string, number>();
    let waitAll: { target: number; resolve: () => void } | undefined;
    const watch = await podsApi.watch({ namespace: NAMESPACE });
    cleanup.add('stop watch', () => watch.stop());
    const watching = (async () => {
      for await (const ev of watch) {
        const pod = ev.object;
        const podName = pod.metadata.name!;
        if (pod.spec?.nodeName && !boundAt.has(podName)) {
          boundAt.set(podName, nowMs());
          if (waitAll && boundAt.size >= waitAll.target) waitAll.resolve();
        }
      }
    })().catch(() => undefined);
    const allBound = (target: number) =>
      new Promise<void>((resolve, reject) => {
        if (boundAt.size >= target) return resolve();
        const timer = setTimeout(() => reject(new Error(`${name}: only ${boundAt.size}/${target} pods bound after ${timeoutMs} ms`)), timeoutMs);
        waitAll = {
          target,
          resolve: () => {
            clearTimeout(timer);
            resolve();
          },
        };
      });

    progress(SUITE, `${name}: ${workload.initPods} pods to place first (not measured)…`);
    await pool(
      Array.from({ length: workload.initPods }, (_, i) => `init-${i}`),
      workload.createConcurrency,
      async (podName) => {
        await podsApi.create(podObject(podName));
      },
    );
    await allBound(workload.initPods);
    // A settled cluster: the scheduler's Events about the first pods are written before measuring.
    await schedulerOf(cluster)?.events.flush();
    // As the API server compacts etcd periodically: drop the set-up history before measuring.
    const setupRevision = Number((await podsApi.list({ namespace: NAMESPACE, limit: 1 })).metadata.resourceVersion);
    await cluster.store.compact(setupRevision);
    (globalThis as { gc?: () => void }).gc?.();

    progress(SUITE, `${name}: creating ${workload.measuredPods} pods and measuring until all are bound…`);
    const measuredNames = Array.from({ length: workload.measuredPods }, (_, i) => `pod-${i}`);
    const start = nowMs();
    const cpuStart = process.cpuUsage();
    let created = 0;
    await pool(measuredNames, workload.createConcurrency, async (podName) => {
      createdAt.set(podName, nowMs());
      await podsApi.create(podObject(podName));
      // Like clients across the network, let the event loop turn now and then: the in-process API
      // path runs entirely on microtasks and would otherwise starve the scheduler's timers and
      // yields until every pod is created.
      if (++created % 10 === 0) await new Promise((resolve) => setImmediate(resolve));
    });
    await allBound(workload.initPods + workload.measuredPods);
    const cpu = process.cpuUsage(cpuStart);
    // Per-second throughput from the binding times themselves (the in-process API path runs on
    // microtasks, so a sampling timer would be starved while it is busy).
    const perSecond: number[] = [];
    for (const n of measuredNames) {
      const bucket = Math.floor((boundAt.get(n)! - start) / 1000);
      while (perSecond.length <= bucket) perSecond.push(0);
      perSecond[bucket]!++;
    }
    const latencies = measuredNames.map((n) => boundAt.get(n)! - createdAt.get(n)!);
    let lastBound = 0;
    for (const n of measuredNames) lastBound = Math.max(lastBound, boundAt.get(n)!);
    const wallMs = lastBound - start;
    (globalThis as { gc?: () => void }).gc?.();
    const mem = process.memoryUsage();
    let eventsDropped = 0;
    let eventsDrainMs = 0;
    if (useScheduler) {
      const s = schedulerOf(cluster);
      // Events yield to scheduling: see how long the backlog takes to drain after the last binding.
      const drainStart = nowMs();
      await s?.events.flush();
      eventsDrainMs = nowMs() - drainStart;
      eventsDropped = s?.events.dropped ?? 0;
      progress(SUITE, `${name}: scheduler bound ${s?.boundCount} pods; cache holds ${s?.cache.podCount()} pods on ${s?.cache.size} nodes; its Events were all written ${eventsDrainMs.toFixed(0)} ms after the last binding, ${eventsDropped} dropped`);
    }
    watch.stop();
    await watching;
    // Whole seconds only for the median (the last second is partial).
    const whole = perSecond.slice(0, Math.max(1, perSecond.length - 1)).sort((a, b) => a - b);
    const latency = summarize(latencies);
    return {
      name,
      averagePodsPerSecond: workload.measuredPods / (wallMs / 1000),
      p50PodsPerSecond: quantile(whole, 0.5),
      perSecond,
      latencyMs: { p50: latency.p50, p99: latency.p99, max: latency.max, mean: latency.mean },
      wallMs,
      heapUsedMB: mem.heapUsed / 2 ** 20,
      rssMB: mem.rss / 2 ** 20,
      eventsDropped,
      eventsDrainMs,
      cpuMs: (cpu.user + cpu.system) / 1000,
      podsPerCpuSecond: workload.measuredPods / ((cpu.user + cpu.system) / 1e6),
    };
  } finally {
    await cleanup.run();
  }
}

/**
 * `pnpm run bench scheduler [--quick]`: Kubernetes' scheduler_perf SchedulingBasic through the real
 * API path (in-process cluster, builtin admission, memory store): 5,000 nodes with capacity and no
 * agent, 1,000 pods placed first, then 10,000 pods created and measured until every binding is
 * observed on a watch. The baseline is a binder with no scheduling logic (round-robin, same API
 * path), run in the same process on a fresh cluster.
 */
export async function run(args: string[]): Promise<void> {
  const quick = args.includes('--quick');
  const workload: Workload = quick
    ? { nodes: 200, initPods: 100, measuredPods: 500, createConcurrency: 50 }
    : { nodes: 5_000, initPods: 1_000, measuredPods: 10_000, createConcurrency: 50 };
  const timeoutMs = quick ? 60_000 : 300_000;
  // Each phase runs in its own process, so one phase's heap (its store's history) cannot slow the other.
  const baseline = await inChild('baseline', workload, timeoutMs);
  const candidate = await inChild('scheduler', workload, timeoutMs);
  for (const m of [baseline, candidate]) {
    progress(
      SUITE,
      `${m.name}: ${m.averagePodsPerSecond.toFixed(0)} pods/s average, ${m.p50PodsPerSecond} pods/s p50 per second, ` +
        `${m.podsPerCpuSecond.toFixed(0)} pods per CPU-second, latency p50 ${m.latencyMs.p50.toFixed(0)} ms p99 ${m.latencyMs.p99.toFixed(0)} ms, ` +
        `heap ${m.heapUsedMB.toFixed(0)} MB, rss ${m.rssMB.toFixed(0)} MB, load ${loadavg()[0]!.toFixed(1)}`,
    );
  }
  const rows: Comparison[] = [
    { name: 'pods/s (average)', unit: 'pods/s', candidate: candidate.averagePodsPerSecond, baseline: baseline.averagePodsPerSecond, baselineName: baseline.name },
    { name: 'pods/s (p50 of per-second)', unit: 'pods/s', candidate: candidate.p50PodsPerSecond, baseline: baseline.p50PodsPerSecond, baselineName: baseline.name },
    { name: 'pods per CPU-second', unit: 'pods/s', candidate: candidate.podsPerCpuSecond, baseline: baseline.podsPerCpuSecond, baselineName: baseline.name },
    { name: 'scheduling latency p99', unit: 'ms', candidate: candidate.latencyMs.p99, baseline: baseline.latencyMs.p99, baselineName: baseline.name },
    { name: 'heap used after run', unit: 'MB', candidate: candidate.heapUsedMB, baseline: baseline.heapUsedMB, baselineName: baseline.name },
    { name: 'rss after run', unit: 'MB', candidate: candidate.rssMB, baseline: baseline.rssMB, baselineName: baseline.name },
  ];
  const file = report(SUITE, rows, {
    quick,
    workload,
    loadAverage: loadavg(),
    goals: { podsPerSecond: 2_000, kubernetesCiThreshold: 270, met: candidate.averagePodsPerSecond >= 2_000 },
    measured: { baseline, candidate },
  });
  progress(SUITE, `wrote ${file}`);
}

const PHASE_ENV = 'SKIFF_BENCH_SCHEDULER_PHASE';

/** Runs one phase in a child process (this file, with `PHASE_ENV` set) and returns its figures. */
function inChild(phase: 'baseline' | 'scheduler', workload: Workload, timeoutMs: number): Promise<Measured> {
  return runPhaseInChild<Measured>(SUITE, fileURLToPath(import.meta.url), PHASE_ENV, { phase, workload, timeoutMs });
}

const phaseSpec = process.env[PHASE_ENV];
if (phaseSpec) {
  const { phase, workload, timeoutMs } = JSON.parse(phaseSpec) as { phase: 'baseline' | 'scheduler'; workload: Workload; timeoutMs: number };
  const measured = await runOne(phase === 'scheduler' ? 'scheduler' : 'round-robin binder (baseline)', workload, phase === 'scheduler', timeoutMs);
  phaseResult(measured);
}
