import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join as joinPath } from 'node:path';
import { SkiffError, createCluster, isApiError } from '@skiff/core';
import { parseNodeJoinCredential } from '@skiff/plugin-apiserver';
import { nodeAgent, nodeAgentOf } from '@skiff/plugin-kubelet';
import { Client, httpTransport } from '@skiff/sdk';
import { SHUTDOWN_GRACE_SECONDS, dockerNote } from './distribution.js';
import { runtimePlugins } from './runtimes.js';
import { fetchServerCa } from './server-ca.js';

/** Settings for `skiff node join`. */
export interface JoinConfig {
  /** The API server, `https://host:port`. */
  server: string;
  /** The contents of `<data-dir>/node-token` written by `skiff up`. */
  token: string;
  /** The Node's name. */
  name: string;
  /** The runtime for pods without `runtimeClassName`. */
  runtime: string;
  /** The Docker engine, for `runtime: docker`. */
  dockerHost?: string;
  /** The pod sandbox image, for `runtime: docker`. */
  sandboxImage?: string;
  /** Where the node keeps its state (the server's CA). */
  dataDir: string;
  /** The agent's own HTTP port on 127.0.0.1 (0 picks a free one). */
  port: number;
  /** The CA file, needed only with a bare token. */
  caFile?: string;
  /** The pod range; absent: the first free 127.10.N.0/24 among the cluster's Nodes. */
  podCIDR?: string;
}

/** What a running joined node offers its caller. */
export interface JoinHandle {
  /** The port of the agent's endpoint. */
  readonly port: number;
  stop(): Promise<void>;
}

/** The first 127.10.N.0/24 (N ≥ 1) no Node uses; 127.10.0.0/24 is the all-in-one node's. A Node that already exists keeps its range. */
async function choosePodCIDR(client: Client, name: string): Promise<string> {
  const nodes = await client.resource('v1', 'Node').list();
  const mine = nodes.items.find((n) => n.metadata.name === name)?.spec?.podCIDR;
  if (mine) return mine;
  const used = new Set(nodes.items.map((n) => n.spec?.podCIDR));
  for (let n = 1; n < 256; n++) if (!used.has(`127.10.${n}.0/24`)) return `127.10.${n}.0/24`;
  throw new SkiffError('SKIFF_ERR_NODE_JOIN', 'no free pod range left in 127.10.0.0/16; pass --pod-cidr', {});
}

/**
 * Joins this process to a cluster as node `name`: checks the server against the CA hash in the
 * join token, registers the Node through the API server with the node credential and runs its
 * pods with the chosen runtime (the agent's own local plugin host). Prints each step.
 */
export async function joinNode(config: JoinConfig, log: (line: string) => void): Promise<JoinHandle> {
  const started = Date.now();
  const credential = parseNodeJoinCredential(config.token);
  const plugins = runtimePlugins(config.runtime, config);
  mkdirSync(config.dataDir, { recursive: true });
  let caCertPem: string;
  if (config.caFile) {
    caCertPem = readFileSync(config.caFile, 'utf8');
  } else if (credential.caCertHash) {
    log(`skiff: checking the API server at ${config.server} against the CA hash in the join token`);
    caCertPem = await fetchServerCa(config.server, credential.caCertHash);
  } else {
    throw new SkiffError('SKIFF_ERR_NODE_JOIN', 'a bare token needs --ca-file; pass the whole <data-dir>/node-token contents instead', {});
  }
  writeFileSync(joinPath(config.dataDir, 'ca.crt'), caCertPem);
  const client = new Client(httpTransport({ server: config.server, token: credential.token, caCertPem }));
  let podCIDR: string;
  try {
    podCIDR = config.podCIDR ?? (await choosePodCIDR(client, config.name));
  } catch (err) {
    if (isApiError(err) && (err.status.code === 401 || err.status.code === 403)) {
      throw new SkiffError('SKIFF_ERR_NODE_JOIN', `the API server refused the join token (${err.status.code} ${err.status.reason}): use the contents of <data-dir>/node-token`, { server: config.server });
    }
    if (err instanceof SkiffError) throw err;
    throw new SkiffError('SKIFF_ERR_NODE_JOIN', `cannot reach the API server at ${config.server}: ${(err as Error).message}`, { server: config.server });
  }
  log(`skiff: joining as node ${config.name} (runtime ${config.runtime}, pods in ${podCIDR})`);
  if (config.runtime === 'docker') log(`skiff: ${await dockerNote(config.dockerHost)}`);
  const server = { url: config.server, token: credential.token, caCertPem };
  const cluster = await createCluster({ plugins: [...plugins, nodeAgent({ nodeName: config.name, runtime: config.runtime, podCIDR, server, port: config.port, shutdownGracePeriodSeconds: SHUTDOWN_GRACE_SECONDS })] });
  await cluster.start();
  const port = nodeAgentOf(cluster, config.name)?.port ?? config.port;
  log(`skiff: node agent serving pod logs on 127.0.0.1:${port}`);
  log(`skiff: Ready in ${Date.now() - started} ms: node ${config.name} joined ${config.server}. Next: kubectl get node ${config.name} (Ctrl+C stops the agent)`);
  return {
    port,
    async stop() {
      log('skiff: stopping the node agent');
      await cluster.stop();
      log('skiff: stopped');
    },
  };
}
