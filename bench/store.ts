import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { memoryStore, type Store } from '@skiff/core';
// Relative imports until bench/node_modules links the plugin packages (see bench/package.json).
import { openSqliteStore } from '@skiff/plugin-store-sqlite';
import { openEtcdStore } from '@skiff/plugin-store-etcd';
import { startEtcd } from '@skiff/plugin-store-etcd/testing';
import { type Comparison, report } from './harness.js';
import { Cleanup } from './lib/cleanup.js';
import { progress } from './lib/stats.js';
import { type CrudRates, measureCrud, measureWatch, type WatchLatency } from './lib/store-workload.js';

const SUITE = 'store';

interface Target {
  name: string;
  open: () => Promise<Store>;
}

interface Measured {
  name: string;
  crud: CrudRates;
  watch: WatchLatency;
}

/**
 * `pnpm run bench store`: create/update/get rates (sequential awaited operations) and watch
 * delivery latency (100 watchers on one prefix, 500 paced writes) for the memory store (the
 * baseline), SQLite (synchronous=FULL, and NORMAL as an extra row) and a local one-member etcd.
 */
export async function run(args: string[]): Promise<void> {
  const quick = args.includes('--quick');
  const count = quick ? 200 : 2_000;
  const watchOpts = { watchers: 100, writes: quick ? 100 : 500, intervalMs: 2, timeoutMs: 30_000 };
  const budgetMs = quick ? 15_000 : 60_000; // per phase (create, update, get)
  const cleanup = new Cleanup();
  const measured: Measured[] = [];
  try {
    const dir = mkdtempSync(join(tmpdir(), 'skiff-bench-store-'));
    cleanup.add('remove temp dir', () => rmSync(dir, { recursive: true, force: true }));
    progress(SUITE, 'starting a local etcd…');
    const etcd = await startEtcd(1);
    cleanup.add('stop etcd', () => etcd.stop());
    const targets: Target[] = [
      { name: 'memory', open: async () => memoryStore() },
      { name: 'sqlite (full)', open: async () => openSqliteStore({ path: join(dir, 'full.db'), synchronous: 'full', compaction: false }) },
      { name: 'sqlite (normal)', open: async () => openSqliteStore({ path: join(dir, 'normal.db'), synchronous: 'normal', compaction: false }) },
      { name: 'etcd', open: async () => openEtcdStore({ endpoints: etcd.endpoints, prefix: `/bench-${process.pid}` }) },
    ];
    for (const target of targets) {
      // Each phase gets a fresh store on the same backing data: with etcd, stopping watches trips the
      // etcd3 client's circuit breaker so the next request on that client fails (see the report).
      const crud = await withStore(target, async (store) => {
        progress(SUITE, `${target.name} warm-up (discarded)…`);
        await measureCrud(store, '/registry/bench/warmup/', 100, budgetMs);
        progress(SUITE, `${target.name} creates, updates, gets (${count} each)…`);
        return measureCrud(store, '/registry/core/configmaps/default/', count, budgetMs);
      });
      await withStore(target, (store) => measureWatch(store, '/registry/bench/warmup-watch/', { watchers: 10, writes: 50, intervalMs: 2, timeoutMs: 10_000 }));
      progress(SUITE, `${target.name} watch latency (${watchOpts.watchers} watchers × ${watchOpts.writes} writes, one every ${watchOpts.intervalMs} ms)…`);
      const watch = await withStore(target, (store) => measureWatch(store, '/registry/bench/watch/', watchOpts));
      measured.push({ name: target.name, crud, watch });
      const w = watch.latency;
      progress(
        SUITE,
        `${target.name}: create ${crud.create.rate.toFixed(0)}/s, update ${crud.update.rate.toFixed(0)}/s, get ${crud.get.rate.toFixed(0)}/s, ` +
          `watch p50 ${w.p50.toFixed(2)} ms p99 ${w.p99.toFixed(2)} ms (${watch.delivered}/${watch.expected} delivered; writes completed at ${watch.writeRate.toFixed(0)}/s)`,
      );
    }
  } finally {
    await cleanup.run();
  }
  const file = report(SUITE, comparisons(measured), {
    quick,
    count,
    watch: watchOpts,
    stores: Object.fromEntries(measured.map((m) => [m.name, { crud: m.crud, watch: m.watch }])),
    goals: goals(measured),
  });
  progress(SUITE, `wrote ${file}`);
}

/** Opens the target's store, runs `fn` on it and closes it (also when `fn` fails). */
async function withStore<T>(target: Target, fn: (store: Store) => Promise<T>): Promise<T> {
  const store = await target.open();
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

/** Table rows: every store against the memory store, plus SQLite against etcd for writes. */
function comparisons(measured: Measured[]): Comparison[] {
  const base = measured.find((m) => m.name === 'memory');
  if (!base) throw new Error('memory baseline missing');
  const rows: Comparison[] = [];
  for (const m of measured.filter((x) => x !== base)) {
    for (const op of ['create', 'update', 'get'] as const) {
      rows.push({ name: `${m.name} ${op}s`, unit: 'ops/s', candidate: m.crud[op].rate, baseline: base.crud[op].rate, baselineName: 'memory' });
    }
    rows.push({ name: `${m.name} watch p50`, unit: 'ms', candidate: m.watch.latency.p50, baseline: base.watch.latency.p50, baselineName: 'memory' });
    rows.push({ name: `${m.name} watch p99`, unit: 'ms', candidate: m.watch.latency.p99, baseline: base.watch.latency.p99, baselineName: 'memory' });
  }
  const etcd = measured.find((m) => m.name === 'etcd');
  for (const m of measured.filter((x) => x.name.startsWith('sqlite'))) {
    if (!etcd) break;
    for (const op of ['create', 'update'] as const) {
      rows.push({ name: `${m.name} ${op}s vs etcd`, unit: 'ops/s', candidate: m.crud[op].rate, baseline: etcd.crud[op].rate, baselineName: 'etcd' });
    }
  }
  return rows;
}

/** The goals, checked against this run's figures. */
function goals(measured: Measured[]): Record<string, unknown> {
  const by = (n: string) => measured.find((m) => m.name === n);
  const full = by('sqlite (full)');
  const etcd = by('etcd');
  return {
    sqliteWritesAtLeastEtcd: full && etcd ? full.crud.create.rate >= etcd.crud.create.rate && full.crud.update.rate >= etcd.crud.update.rate : null,
    watchP99Under10ms: Object.fromEntries(measured.map((m) => [m.name, m.watch.latency.p99 < 10])),
  };
}
