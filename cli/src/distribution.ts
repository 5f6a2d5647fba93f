import { join } from 'node:path';
import { builtinAdmission, type Plugin } from '@skiff/core';
import { secureApiServer } from '@skiff/plugin-apiserver';
import { hollowNodes, nodeAgent } from '@skiff/plugin-kubelet';
import { etcdStorePlugin } from '@skiff/plugin-store-etcd';
import { sqliteStorePlugin } from '@skiff/plugin-store-sqlite';
import type { UpConfig } from './config.js';
import { defaultNodeName } from './join-config.js';
import { runtimePlugins } from './runtimes.js';

/** What `skiff up` runs: the plugins of the default distribution, and where its credentials are. */
export interface Distribution {
  plugins: Plugin<any>[];
  /** Lines printed once the cluster is ready. */
  notes: string[];
  kubeconfigPath: string;
}

/**
 * The local nodes: one node agent named after the host, or — for more than one — simulated
 * (hollow) nodes `hollow-node-0…N-1` sharing one watch, one work queue and one lease renewer.
 */
function localNodes(config: UpConfig): Plugin<any>[] {
  if (config.nodes === 0) return [];
  if (config.nodes === 1) return [nodeAgent({ nodeName: defaultNodeName(), runtime: config.runtime })];
  return [hollowNodes({ count: config.nodes, runtime: config.runtime })];
}

/**
 * The default distribution: the store (SQLite in the data directory unless told otherwise),
 * Kubernetes' defaulting and workload validation, the API server over HTTPS with tokens and RBAC,
 * CustomResourceDefinitions, the runtime and the local node agent(s). The scheduler and the
 * controllers join it as their issues land.
 */
export async function defaultDistribution(config: UpConfig): Promise<Distribution> {
  const runtime = config.nodes > 0 ? runtimePlugins(config.runtime, config.dataDir) : [];
  const store =
    config.store === 'sqlite'
      ? [sqliteStorePlugin({ path: join(config.dataDir, 'skiff.db') })]
      : config.store === 'etcd'
        ? [etcdStorePlugin({ endpoints: config.etcdEndpoints })]
        : [];
  const api = await secureApiServer({ dataDir: config.dataDir, port: config.apiPort });
  const notes = [
    config.nodes === 0
      ? 'no local node (--nodes 0): add nodes with skiff node join'
      : config.nodes === 1
        ? `local node ${defaultNodeName()} on the ${config.runtime} runtime (pods in 127.10.0.0/24)`
        : `${config.nodes} simulated nodes hollow-node-0…${config.nodes - 1} on the ${config.runtime} runtime`,
    `node-join token in ${api.nodeTokenPath} (for skiff node join --token)`,
  ];
  return { plugins: [...store, ...builtinAdmission(), ...api.plugins, ...runtime, ...localNodes(config)], notes, kubeconfigPath: api.kubeconfigPath };
}
