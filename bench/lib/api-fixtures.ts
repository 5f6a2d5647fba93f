import http from 'node:http';
import { createCluster, type Cluster } from '@skiff/core';
// Relative imports until bench/node_modules links the plugin packages (see bench/package.json).
import { apiServer, ApiServerKey } from '@skiff/plugin-apiserver';
import { sqliteStorePlugin } from '@skiff/plugin-store-sqlite';

/** A running cluster with the API server on a free loopback port. */
export interface RunningApi {
  cluster: Cluster;
  url: URL;
  stop(): Promise<void>;
}

/**
 * Starts a cluster with the API server plugin on port 0 over the memory store, or over SQLite at
 * `sqlitePath` when given (background compaction left at its defaults).
 */
export async function startApi(sqlitePath?: string): Promise<RunningApi> {
  const plugins = sqlitePath ? [sqliteStorePlugin({ path: sqlitePath }), apiServer({ port: 0 })] : [apiServer({ port: 0 })];
  const cluster = await createCluster({ plugins });
  await cluster.start();
  return { cluster, url: new URL(cluster.use(ApiServerKey).url()), stop: () => cluster.stop() };
}

/** GETs `path` and returns the raw body (throws unless 200). */
export function fetchBody(base: URL, path: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    http
      .get({ host: base.hostname, port: base.port, path, agent: false, headers: { accept: 'application/json' } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => (res.statusCode === 200 ? resolve(Buffer.concat(chunks)) : reject(new Error(`GET ${path}: HTTP ${res.statusCode}`))));
        res.on('error', reject);
      })
      .on('error', reject);
  });
}
