import { mkdirSync } from 'node:fs';
import { createCluster } from '@skiff/core';
import { ApiServerKey } from '@skiff/plugin-apiserver';
import type { UpConfig } from './config.js';
import { defaultDistribution } from './distribution.js';

export interface UpHandle {
  /** The API server's URL. */
  readonly url: string;
  readonly kubeconfigPath: string;
  stop(): Promise<void>;
}

/**
 * Starts Skiff on its embedded defaults, printing each step through `log`, and ends with a line
 * containing `Ready` and what to do next.
 */
export async function up(config: UpConfig, log: (line: string) => void): Promise<UpHandle> {
  const started = Date.now();
  log(`skiff: data directory ${config.dataDir}`);
  mkdirSync(config.dataDir, { recursive: true });
  log('skiff: preparing certificates and tokens');
  const distribution = await defaultDistribution(config);
  log(`skiff: applying ${distribution.plugins.length} plugins: ${distribution.plugins.map((p) => p.name).join(', ')}`);
  const cluster = await createCluster({ plugins: distribution.plugins, store: config.store });
  log(`skiff: opening the ${config.store} store and starting the API server on 127.0.0.1:${config.apiPort}`);
  await cluster.start();
  const url = cluster.use(ApiServerKey).url();
  for (const note of distribution.notes) log(`skiff: ${note}`);
  log(`skiff: API server listening on ${url}`);
  log(`skiff: Ready in ${Date.now() - started} ms. Next: export KUBECONFIG=${distribution.kubeconfigPath} && kubectl get nodes (Ctrl+C stops)`);
  return {
    url,
    kubeconfigPath: distribution.kubeconfigPath,
    async stop() {
      log('skiff: stopping');
      await cluster.stop();
      log('skiff: stopped');
    },
  };
}
