import type { Plugin } from '@skiff/core';
import type { UpConfig } from './config.js';

/** What `skiff up` runs: the plugins of the default distribution, and notes on what it lacks. */
export interface Distribution {
  plugins: Plugin<any>[];
  notes: string[];
}

/**
 * The default distribution, as of today: the core with its memory store. Later issues add the
 * durable store, the API server, the scheduler, the controllers and the node agent here; until
 * they land, flags that configure them are accepted and reported as not yet served.
 */
export function defaultDistribution(config: UpConfig): Distribution {
  const notes: string[] = [];
  notes.push(`API port ${config.apiPort} is reserved; this distribution has no HTTP API server yet (use the SDK's in-process client)`);
  notes.push(`runtime "${config.runtime}" with ${config.nodes} node(s) requested; this distribution has no node agent yet`);
  return { plugins: [], notes };
}
