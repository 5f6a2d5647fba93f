import { join } from 'node:path';
import { builtinAdmission, storeCompaction, type Plugin } from '@skiff/core';
import { secureApiServer } from '@skiff/plugin-apiserver';
import { hollowNodes, nodeAgent } from '@skiff/plugin-kubelet';
import { probeDockerEngine } from '@skiff/plugin-runtime-docker';
import { controllerManager } from '@skiff/plugin-controllers';
import { scheduler } from '@skiff/plugin-scheduler';
import { etcdStorePlugin } from '@skiff/plugin-store-etcd';
import { sqliteStorePlugin } from '@skiff/plugin-store-sqlite';
import { durationMs, type UpConfig } from './config.js';
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
 * How long `skiff up` and `skiff node join` give the node's pods to stop when they are stopped
 * (graceful node shutdown): nothing they started is left running.
 */
export const SHUTDOWN_GRACE_SECONDS = 30;

/**
 * The local nodes: one node agent named after the host, or — for more than one — simulated
 * (hollow) nodes `hollow-node-0…N-1` sharing one watch, one work queue and one lease renewer.
 */
function localNodes(config: UpConfig): Plugin<any>[] {
  if (config.nodes === 0) return [];
  if (config.nodes === 1) return [nodeAgent({ nodeName: defaultNodeName(), runtime: config.runtime, shutdownGracePeriodSeconds: SHUTDOWN_GRACE_SECONDS })];
  return [hollowNodes({ count: config.nodes, runtime: config.runtime })];
}

/** What `skiff up` says of the Docker engine: its version, or why it is unusable and what that means. */
export async function dockerNote(host: string | undefined): Promise<string> {
  const probe = await probeDockerEngine(host ? { host } : {});
  if (probe.ok) return `Docker engine ${probe.version} answers`;
  return `WARNING: ${probe.reason}; the node reports NotReady and runs no pods until the engine answers (pass --docker-host or set DOCKER_HOST)`;
}

/**
 * The default distribution: the store (SQLite in the data directory unless told otherwise),
 * Kubernetes' defaulting and workload validation, the API server over HTTPS with tokens and RBAC,
 * CustomResourceDefinitions, the scheduler, the controller manager with every core controller
 * (node lifecycle timings from `--node-monitor-grace-period` and `--pod-eviction-timeout`, which
 * also sets the pods' default not-ready/unreachable tolerations), the runtime and the local nodes.
 */
export async function defaultDistribution(config: UpConfig): Promise<Distribution> {
  const runtime = config.nodes > 0 ? runtimePlugins(config.runtime, config) : [];
  const store =
    config.store === 'sqlite'
      ? [sqliteStorePlugin({ path: join(config.dataDir, 'skiff.db') })]
      : config.store === 'etcd'
        ? [etcdStorePlugin({ endpoints: config.etcdEndpoints })]
        : [];
  const api = await secureApiServer({ dataDir: config.dataDir, port: config.apiPort });
  const nodeMonitorGracePeriodMs = durationMs(config.nodeMonitorGracePeriod);
  const podEvictionTimeoutMs = durationMs(config.podEvictionTimeout);
  const evictionSeconds = Math.max(0, Math.round(podEvictionTimeoutMs / 1000));
  const admission = builtinAdmission({ defaultTolerationSeconds: { notReadyTolerationSeconds: evictionSeconds, unreachableTolerationSeconds: evictionSeconds } });
  const controllers = controllerManager({ controllerOptions: { nodelifecycle: { nodeMonitorGracePeriodMs, podEvictionTimeoutMs } } });
  const notes = [
    config.nodes === 0
      ? 'no local node (--nodes 0): add nodes with skiff node join'
      : config.nodes === 1
        ? `local node ${defaultNodeName()} on the ${config.runtime} runtime (pods in 127.10.0.0/24)`
        : `${config.nodes} simulated nodes hollow-node-0…${config.nodes - 1} on the ${config.runtime} runtime`,
    `node-join token in ${api.nodeTokenPath} (for skiff node join --token)`,
  ];
  if (config.nodes > 0 && config.runtime === 'docker') notes.push(await dockerNote(config.dockerHost));
  return { plugins: [...store, storeCompaction(), ...admission, ...api.plugins, scheduler(), controllers, ...runtime, ...localNodes(config)], notes, kubeconfigPath: api.kubeconfigPath };
}
