import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Comparison, report } from './harness.js';
import { fetchBody, startApi } from './lib/api-fixtures.js';
import { startBareServer } from './lib/bare-server.js';
import { Cleanup } from './lib/cleanup.js';
import type { LoadResult } from './lib/http-load.js';
import type { FanOutResult } from './lib/http-watch.js';
import { LoadClient } from './lib/load-client.js';
import type { RequestTemplate } from './lib/load-jobs.js';
import { progress } from './lib/stats.js';

const SUITE = 'apiserver';
const NS = '/api/v1/namespaces/default';
const CONCURRENCY = 32;

/** Throughput and latency rows for one workload against the bare server. */
function loadRows(name: string, api: LoadResult, bare: LoadResult, bareName = 'bare node:http'): Comparison[] {
  return [
    { name: `${name} throughput`, unit: 'req/s', candidate: api.rate, baseline: bare.rate, baselineName: bareName },
    { name: `${name} p50`, unit: 'ms', candidate: api.latency.p50, baseline: bare.latency.p50, baselineName: bareName },
    { name: `${name} p99`, unit: 'ms', candidate: api.latency.p99, baseline: bare.latency.p99, baselineName: bareName },
  ];
}

function line(what: string, r: LoadResult): string {
  const errors = r.errors ? `, ${r.errors} errors (first: ${r.firstError})` : '';
  return `${what}: ${r.ops} req in ${r.seconds.toFixed(2)} s = ${r.rate.toFixed(0)} req/s, p50 ${r.latency.p50.toFixed(2)} ms, p99 ${r.latency.p99.toFixed(2)} ms, reply ${r.replyBytes} B${errors}`;
}

/**
 * `pnpm run bench apiserver`: GET one ConfigMap, LIST 1,000 Pods and POST ConfigMaps through the
 * API server (memory store) at concurrency 32 against a bare `node:http` server doing the same
 * number of requests; watch fan-out to 1,000 watchers; and POST p99 at a steady 1,000 writes/s on
 * SQLite against the same load on the memory store.
 */
export async function run(args: string[]): Promise<void> {
  const quick = args.includes('--quick');
  const count = quick ? 300 : 3_000;
  const budgetMs = quick ? 20_000 : 90_000;
  const steadyMs = quick ? 1_000 : 3_000;
  const cleanup = new Cleanup();
  const results: Comparison[] = [];
  const meta: Record<string, unknown> = { quick, count, concurrency: CONCURRENCY };
  try {
    progress(SUITE, 'starting the API server (memory store) and the bare server…');
    const api = await startApi();
    cleanup.add('stop memory cluster', () => api.stop());
    const client = new LoadClient();
    cleanup.add('stop load worker', () => client.close());
    const load = (base: URL, n: number, request: RequestTemplate) =>
      client.load({ kind: 'closed', base: base.href, request, count: n, concurrency: CONCURRENCY, budgetMs });

    const seed = await load(api.url, 1, { method: 'POST', path: `${NS}/configmaps`, body: { kind: 'configmap', prefix: 'bench-cm' } });
    if (seed.errors) throw new Error(`creating the ConfigMap failed: ${seed.firstError}`);
    progress(SUITE, 'creating 1,000 Pods through the API…');
    const pods = await load(api.url, 1_000, { method: 'POST', path: `${NS}/pods`, body: { kind: 'pod', prefix: 'pod' } });
    if (pods.errors || pods.ops !== 1_000) throw new Error(`creating Pods failed (${pods.ops} done): ${pods.firstError}`);
    const cmBody = await fetchBody(api.url, `${NS}/configmaps/bench-cm-0`);
    const listBody = await fetchBody(api.url, `${NS}/pods`);
    const bare = await startBareServer(cmBody, listBody);
    cleanup.add('stop bare server', () => bare.close());
    meta['configMapBytes'] = cmBody.length;
    meta['podListBytes'] = listBody.length;

    const bareGet: RequestTemplate = { method: 'GET', path: '/cm' };
    const workloads: { name: string; api: RequestTemplate; warm: RequestTemplate; bare: RequestTemplate }[] = [
      { name: 'GET configmap', api: { method: 'GET', path: `${NS}/configmaps/bench-cm-0` }, warm: { method: 'GET', path: `${NS}/configmaps/bench-cm-0` }, bare: bareGet },
      { name: 'LIST 1,000 pods', api: { method: 'GET', path: `${NS}/pods` }, warm: { method: 'GET', path: `${NS}/pods` }, bare: bareGet },
      {
        name: 'POST configmap',
        api: { method: 'POST', path: `${NS}/configmaps`, body: { kind: 'configmap', prefix: 'post' } },
        warm: { method: 'POST', path: `${NS}/configmaps`, body: { kind: 'configmap', prefix: 'warm' } },
        bare: { method: 'POST', path: '/post', body: { kind: 'configmap', prefix: 'post' } },
      },
    ];
    const loads: Record<string, unknown> = {};
    for (const w of workloads) {
      progress(SUITE, `${w.name}: warm-up, then ${count} requests at concurrency ${CONCURRENCY} (API server, then bare server)…`);
      await load(api.url, Math.min(200, count), w.warm);
      await load(bare.url, Math.min(200, count), w.bare);
      const a = await load(api.url, count, w.api);
      progress(SUITE, line(`  ${w.name} (API server)`, a));
      const b = await load(bare.url, count, w.bare);
      progress(SUITE, line(`  ${w.name} (bare)`, b));
      results.push(...loadRows(w.name, a, b));
      loads[w.name] = { api: a, bare: b };
      if (w.name.startsWith('LIST')) {
        const bl = await load(bare.url, count, { method: 'GET', path: '/list' });
        progress(SUITE, line(`  ${w.name} (bare, same-size fixed list body)`, bl));
        results.push(...loadRows(w.name, a, bl, 'bare, same-size body').map((r) => ({ ...r, name: `${r.name} vs same-size body` })));
        loads[`${w.name} (bare same-size body)`] = bl;
      }
    }
    meta['loads'] = loads;

    const watchers = quick ? 200 : 1_000;
    const writes = 50;
    const fanOut = async (base: URL, watchPath: string, postPath: string, prefix: string): Promise<FanOutResult> =>
      client.fanOut({ kind: 'fanout', base: base.href, watchPath, postPath, watchers, writes, intervalMs: 20, timeoutMs: 30_000, prefix });
    progress(SUITE, `watch fan-out: ${watchers} watchers × ${writes} writes (API server)…`);
    const rv = (JSON.parse((await fetchBody(api.url, `${NS}/configmaps`)).toString('utf8')) as { metadata: { resourceVersion: string } }).metadata.resourceVersion;
    const fa = await fanOut(api.url, `${NS}/configmaps?watch=true&resourceVersion=${rv}`, `${NS}/configmaps`, 'fan');
    progress(SUITE, `  API server: ${fa.delivered}/${fa.expected} delivered, p50 ${fa.latency.p50.toFixed(2)} ms, p99 ${fa.latency.p99.toFixed(2)} ms (connect ${fa.connectMs.toFixed(0)} ms)`);
    progress(SUITE, `watch fan-out: ${watchers} watchers × ${writes} writes (bare server)…`);
    const fb = await fanOut(bare.url, '/watch', '/post', 'fan');
    progress(SUITE, `  bare: ${fb.delivered}/${fb.expected} delivered, p50 ${fb.latency.p50.toFixed(2)} ms, p99 ${fb.latency.p99.toFixed(2)} ms`);
    results.push(
      { name: `watch fan-out ${watchers} p50`, unit: 'ms', candidate: fa.latency.p50, baseline: fb.latency.p50, baselineName: 'bare node:http' },
      { name: `watch fan-out ${watchers} p99`, unit: 'ms', candidate: fa.latency.p99, baseline: fb.latency.p99, baselineName: 'bare node:http' },
    );
    meta['watchFanOut'] = { api: fa, bare: fb };

    progress(SUITE, 'starting a second API server on SQLite…');
    const dir = mkdtempSync(join(tmpdir(), 'skiff-bench-api-'));
    cleanup.add('remove temp dir', () => rmSync(dir, { recursive: true, force: true }));
    const sqlite = await startApi(join(dir, 'skiff.db'));
    cleanup.add('stop sqlite cluster', () => sqlite.stop());
    const steady = (base: URL, prefix: string) =>
      client.load({
        kind: 'steady',
        base: base.href,
        request: { method: 'POST', path: `${NS}/configmaps`, body: { kind: 'configmap', prefix } },
        ratePerSecond: 1_000,
        durationMs: steadyMs,
        concurrency: CONCURRENCY,
        drainMs: 30_000,
      });
    progress(SUITE, `steady POST at 1,000/s for ${steadyMs / 1000} s (SQLite, then memory)…`);
    await steady(sqlite.url, 'warm'); // warm-up, discarded (also fills the log a little)
    const ss = await steady(sqlite.url, 'steady');
    progress(SUITE, line('  SQLite', ss));
    const sm = await steady(api.url, 'steady');
    progress(SUITE, line('  memory', sm));
    results.push(
      { name: 'POST @1,000/s on SQLite p50', unit: 'ms', candidate: ss.latency.p50, baseline: sm.latency.p50, baselineName: 'memory store' },
      { name: 'POST @1,000/s on SQLite p99', unit: 'ms', candidate: ss.latency.p99, baseline: sm.latency.p99, baselineName: 'memory store' },
      { name: 'POST @1,000/s achieved', unit: 'req/s', candidate: ss.rate, baseline: sm.rate, baselineName: 'memory store' },
    );
    meta['steady'] = { sqlite: ss, memory: sm, goalP99Under20ms: ss.latency.p99 < 20 };
  } finally {
    await cleanup.run();
  }
  const file = report(SUITE, results, meta);
  progress(SUITE, `wrote ${file}`);
}
