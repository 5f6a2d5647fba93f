import { join } from 'node:path';
import { builtinAdmission, type Plugin } from '@skiff/core';
import { secureApiServer } from '@skiff/plugin-apiserver';
import { etcdStorePlugin } from '@skiff/plugin-store-etcd';
import { sqliteStorePlugin } from '@skiff/plugin-store-sqlite';
import type { UpConfig } from './config.js';

/** What `skiff up` runs: the plugins of the default distribution, and where its credentials are. */
export interface Distribution {
  plugins: Plugin<any>[];
  /** Lines printed once the cluster is ready. */
  notes: string[];
  kubeconfigPath: string;
}

/**
 * The default distribution: the store (SQLite in the data directory unless told otherwise),
 * Kubernetes' defaulting and workload validation, the API server over HTTPS with tokens and RBAC,
 * and CustomResourceDefinitions. The scheduler, the
 * controllers and the node agent join it as their issues land; until then `--runtime` and
 * `--nodes` are accepted and reported.
 */
export async function defaultDistribution(config: UpConfig): Promise<Distribution> {
  const store =
    config.store === 'sqlite'
      ? [sqliteStorePlugin({ path: join(config.dataDir, 'skiff.db') })]
      : config.store === 'etcd'
        ? [etcdStorePlugin({ endpoints: config.etcdEndpoints })]
        : [];
  const api = await secureApiServer({ dataDir: config.dataDir, port: config.apiPort });
  const notes = [
    `node-join token in ${api.nodeTokenPath}`,
    `runtime "${config.runtime}" with ${config.nodes} node(s) requested; this distribution has no node agent yet`,
  ];
  return { plugins: [...store, ...builtinAdmission(), ...api.plugins], notes, kubeconfigPath: api.kubeconfigPath };
}
