import { mkdirSync } from 'node:fs';
import { createCluster, SkiffError } from '@skiff/core';
import type { UpConfig } from './config.js';
import { defaultDistribution } from './distribution.js';

export interface UpHandle {
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
  const distribution = defaultDistribution(config);
  log(`skiff: applying ${distribution.plugins.length} plugin(s): ${distribution.plugins.map((p) => p.name).join(', ') || 'none'}`);
  const cluster = await createCluster({ plugins: distribution.plugins, store: config.store });
  if (!cluster.registries.store.has(config.store)) {
    throw new SkiffError('SKIFF_ERR_CLI_USAGE', `unknown store "${config.store}" (available: ${cluster.registries.store.names().join(', ')})`, {
      store: config.store,
    });
  }
  log(`skiff: opening the ${config.store} store`);
  await cluster.start();
  for (const note of distribution.notes) log(`skiff: ${note}`);
  log(`skiff: Ready in ${Date.now() - started} ms. Press Ctrl+C to stop.`);
  return {
    async stop() {
      log('skiff: stopping');
      await cluster.stop();
      log('skiff: stopped');
    },
  };
}
