import { fileURLToPath } from 'node:url';
import { builtinAdmission, createCluster, storeCompaction, type Cluster, type Deployment, type Pod, type PodTemplateSpec, type ReplicaSet } from '@skiff/core';
import { Client, inProcessTransport } from '@skiff/sdk';
import { hollowNodes } from '@skiff/plugin-kubelet';
import { mockRuntime } from '@skiff/plugin-runtime-mock';
import { scheduler } from '@skiff/plugin-scheduler';
import { controllerManager } from '@skiff/plugin-controllers';
import { type Comparison, report } from './harness.js';
import { Cleanup } from './lib/cleanup.js';
import { phaseResult, runPhaseInChild } from './lib/phases.js';
import { nowMs, progress } from './lib/stats.js';

const SUITE = 'controllers';
const NS = 'default';
const CREATE_CONCURRENCY = 64;
/** Memory-store compaction, as bench/nodes.ts does: every 10 s, keeping the last 50,000 revisions. */
const COMPACT_EVERY_MS = 10_000;

interface Workload {
  nodes: number;
  /** Replicas of the ReplicaSet scaled from 0 (and bare pods of the baseline). */
  replicaSetPods: number;
  /** Replicas of the Deployment (and bare pods of its baseline). */
  deploymentPods: number;
}

interface Timing {
  name: string;
  ms: number;
  heapUsedMB: number;
  rssMB: number;
}

const template = (app: string): PodTemplateSpec => ({
  metadata: { labels: { app } },
  spec: { containers: [{ name: 'app', image: 'registry.k8s.io/pause:3.10', resources: { requests: { cpu: '10m', memory: '16Mi' } } }] },
});

function memory(): { heapUsedMB: number; rssMB: number } {
  (globalThis as { gc?: () => void }).gc?.();
  const m = process.memoryUsage();
  return { heapUsedMB: m.heapUsed / 2 ** 20, rssMB: m.rss / 2 ** 20 };
}

async function startCluster(nodes: number, withControllers: boolean, cleanup: Cleanup): Promise<{ cluster: Cluster; client: Client }> {
  const cluster = await createCluster({
    plugins: [
      builtinAdmission(),
      // The memory store keeps every revision until compacted: compact it as an API server does.
      storeCompaction({ intervalMs: COMPACT_EVERY_MS }),
      mockRuntime(),
      hollowNodes({ count: nodes, concurrency: 128 }),
      scheduler({ leaderElection: { leaderElect: false } }),
      withControllers && controllerManager({ controllers: { enabled: ['replicaset', 'deployment'] } }),
    ],
  });
  await cluster.start();
  cleanup.add('stop cluster', () => cluster.stop());
  const client = new Client(inProcessTransport(cluster));
  // Wait until every node is registered and Ready, so each run starts from the same place.
  for (;;) {
    const list = await client.resource('v1', 'Node').list();
    if (list.items.filter((n) => n.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')).length >= nodes) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  return { cluster, client };
}

/** Resolves once `count` pods with `app=<app>` are Ready (seen on a watch). */
async function readyPods(client: Client, app: string, count: number, timeoutMs: number): Promise<void> {
  const ready = new Set<string>();
  const watch = await client.resource('v1', 'Pod').watch({ namespace: NS, labelSelector: `app=${app}` });
  const timer = setTimeout(() => watch.stop(), timeoutMs);
  try {
    for await (const ev of watch) {
      const pod = ev.object as Pod;
      const isReady = ev.type !== 'DELETED' && !pod.metadata.deletionTimestamp && pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True');
      if (isReady) ready.add(pod.metadata.name!);
      else ready.delete(pod.metadata.name!);
      if (ready.size >= count) return;
    }
    throw new Error(`only ${ready.size}/${count} pods of ${app} ready after ${timeoutMs} ms`);
  } finally {
    clearTimeout(timer);
    watch.stop();
  }
}

/** Polls `check` every 100 ms until it holds (bench code: a figure, not an assertion). */
async function until(what: string, timeoutMs: number, check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${what}: not reached after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * `count` pods created directly, timed until all are Ready. With `owned`, each carries the
 * controller ownerReference a ReplicaSet's pods carry (to a ReplicaSet that does not exist and no
 * controller runs for): the scheduler spreads a controller's pods across nodes (Kubernetes'
 * default topology spreading), which costs more per pod than scheduling ownerless pods, and that
 * cost is the scheduler's, not the controllers'.
 */
async function bare(workload: Workload, count: number, timeoutMs: number, owned = false): Promise<Timing> {
  const cleanup = new Cleanup();
  try {
    const { client } = await startCluster(workload.nodes, false, cleanup);
    progress(SUITE, `bare: creating ${count} pods directly${owned ? ' (with a controller reference)' : ''}…`);
    const ownerReferences = owned ? [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'nobody', uid: '00000000-0000-4000-8000-000000000001', controller: true, blockOwnerDeletion: true }] : undefined;
    const pods = client.resource('v1', 'Pod');
    const start = nowMs();
    const ready = readyPods(client, 'bare', count, timeoutMs);
    let next = 0;
    await Promise.all(
      Array.from({ length: CREATE_CONCURRENCY }, async () => {
        while (next < count) {
          const i = next++;
          await pods.create({ apiVersion: 'v1', kind: 'Pod', metadata: { name: `bare-${i}`, namespace: NS, labels: { app: 'bare' }, ...(ownerReferences ? { ownerReferences } : {}) }, spec: template('bare').spec! });
        }
      }),
    );
    await ready;
    return { name: `${count} bare pods${owned ? ' with a controller reference' : ''} ready`, ms: nowMs() - start, ...memory() };
  } finally {
    await cleanup.run();
  }
}

async function replicaSetScale(workload: Workload, timeoutMs: number): Promise<Timing> {
  const cleanup = new Cleanup();
  try {
    const { client } = await startCluster(workload.nodes, true, cleanup);
    const rss = client.resource('apps/v1', 'ReplicaSet');
    const rs: ReplicaSet = { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'scale', namespace: NS }, spec: { replicas: 0, selector: { matchLabels: { app: 'scale' } }, template: template('scale') } };
    await rss.create(rs);
    await until('replica set observed', timeoutMs, async () => (await rss.get('scale', { namespace: NS })).status?.observedGeneration === 1);
    progress(SUITE, `replicaset: scaling 0 → ${workload.replicaSetPods}…`);
    const start = nowMs();
    await rss.patch('scale', { spec: { replicas: workload.replicaSetPods } }, { namespace: NS });
    await until('readyReplicas', timeoutMs, async () => (await rss.get('scale', { namespace: NS })).status?.readyReplicas === workload.replicaSetPods);
    return { name: `ReplicaSet 0 → ${workload.replicaSetPods}, readyReplicas reached`, ms: nowMs() - start, ...memory() };
  } finally {
    await cleanup.run();
  }
}

async function deploymentRollout(workload: Workload, timeoutMs: number): Promise<Timing[]> {
  const cleanup = new Cleanup();
  try {
    const { client } = await startCluster(workload.nodes, true, cleanup);
    const deployments = client.resource('apps/v1', 'Deployment');
    const n = workload.deploymentPods;
    const d: Deployment = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: NS }, spec: { replicas: n, selector: { matchLabels: { app: 'web' } }, template: template('web') } };
    const rolledOut = async (generation: number) => {
      const cur = await deployments.get('web', { namespace: NS });
      const s = cur.status ?? {};
      return (s.observedGeneration ?? 0) >= generation && s.updatedReplicas === n && s.replicas === n && s.availableReplicas === n;
    };
    progress(SUITE, `deployment: creating ${n} replicas…`);
    let start = nowMs();
    await deployments.create(d);
    await until('deployment created', timeoutMs, () => rolledOut(1));
    const created: Timing = { name: `Deployment of ${n} created, all available`, ms: nowMs() - start, ...memory() };
    progress(SUITE, `deployment: rolling out a new template (25% surge / 25% unavailable)…`);
    start = nowMs();
    await deployments.patch('web', { spec: { template: { metadata: { annotations: { rollout: '2' } } } } }, { namespace: NS });
    await until('deployment rolled out', timeoutMs, () => rolledOut(2));
    const rolled: Timing = { name: `Deployment of ${n} rolled out to a new template`, ms: nowMs() - start, ...memory() };
    return [created, rolled];
  } finally {
    await cleanup.run();
  }
}

/**
 * `pnpm run bench controllers [--quick]`: a ReplicaSet scaled from 0 to 10,000 replicas on 1,000
 * hollow nodes, timed until `readyReplicas` is 10,000; then a Deployment of 1,000 replicas created
 * and rolled out to a new template. Baselines: the same number of bare pods created directly
 * (64 creations in flight) on the same nodes and scheduler, timed until all are Ready — once with
 * the controller reference a ReplicaSet's pods carry (the same pods, so the ratio is the
 * controllers' overhead) and once without (which also shows what spreading a controller's pods
 * costs the scheduler). Each phase runs in its own process on a fresh cluster.
 * `--quick`: 50 nodes, 500 and 100 pods.
 */
export async function run(args: string[]): Promise<void> {
  const quick = args.includes('--quick');
  const workload: Workload = quick ? { nodes: 50, replicaSetPods: 500, deploymentPods: 100 } : { nodes: 1_000, replicaSetPods: 10_000, deploymentPods: 1_000 };
  const timeoutMs = quick ? 120_000 : 900_000;
  const bareRs = (await inChild('bare-rs', workload, timeoutMs)) as Timing;
  const bareOwned = (await inChild('bare-rs-owned', workload, timeoutMs)) as Timing;
  const rs = (await inChild('replicaset', workload, timeoutMs)) as Timing;
  const bareDeploy = (await inChild('bare-deployment', workload, timeoutMs)) as Timing;
  const [created, rolled] = (await inChild('deployment', workload, timeoutMs)) as Timing[];
  for (const t of [bareRs, bareOwned, rs, bareDeploy, created!, rolled!]) progress(SUITE, `${t.name}: ${(t.ms / 1000).toFixed(2)} s, heap ${t.heapUsedMB.toFixed(0)} MB, rss ${t.rssMB.toFixed(0)} MB`);
  const rows: Comparison[] = [
    { name: rs.name, unit: 'ms', candidate: rs.ms, baseline: bareOwned.ms, baselineName: bareOwned.name },
    { name: rs.name, unit: 'ms', candidate: rs.ms, baseline: bareRs.ms, baselineName: bareRs.name },
    { name: created!.name, unit: 'ms', candidate: created!.ms, baseline: bareDeploy.ms, baselineName: bareDeploy.name },
    { name: rolled!.name, unit: 'ms', candidate: rolled!.ms, baseline: bareDeploy.ms, baselineName: bareDeploy.name },
    { name: 'heap after ReplicaSet scale', unit: 'MB', candidate: rs.heapUsedMB, baseline: bareRs.heapUsedMB, baselineName: bareRs.name },
    { name: 'rss after ReplicaSet scale', unit: 'MB', candidate: rs.rssMB, baseline: bareRs.rssMB, baselineName: bareRs.name },
  ];
  const file = report(SUITE, rows, { quick, workload, measured: { bareRs, bareOwned, rs, bareDeploy, created, rolled } });
  progress(SUITE, `wrote ${file}`);
}

type Phase = 'bare-rs' | 'bare-rs-owned' | 'replicaset' | 'bare-deployment' | 'deployment';
const PHASE_ENV = 'SKIFF_BENCH_CONTROLLERS_PHASE';

/** Runs one phase in a child process (this file with `PHASE_ENV` set), so heaps do not mix. */
function inChild(phase: Phase, workload: Workload, timeoutMs: number): Promise<unknown> {
  return runPhaseInChild(SUITE, fileURLToPath(import.meta.url), PHASE_ENV, { phase, workload, timeoutMs });
}

const phaseSpec = process.env[PHASE_ENV];
if (phaseSpec) {
  const { phase, workload, timeoutMs } = JSON.parse(phaseSpec) as { phase: Phase; workload: Workload; timeoutMs: number };
  const result =
    phase === 'bare-rs' ? await bare(workload, workload.replicaSetPods, timeoutMs)
    : phase === 'bare-rs-owned' ? await bare(workload, workload.replicaSetPods, timeoutMs, true)
    : phase === 'bare-deployment' ? await bare(workload, workload.deploymentPods, timeoutMs)
    : phase === 'replicaset' ? await replicaSetScale(workload, timeoutMs)
    : await deploymentRollout(workload, timeoutMs);
  phaseResult(result);
}
