import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { builtinAdmission, createCluster, type Cluster, type Lease, type Pod } from '@skiff/core';
import { ApiServerKey, apiServer } from '@skiff/plugin-apiserver';
import { mockRuntime } from '@skiff/plugin-runtime-mock';
import { sqliteStorePlugin } from '@skiff/plugin-store-sqlite';
import { Client, RUNTIME_LABELS, inProcessTransport } from '@skiff/sdk';
import { eventually } from '@skiff/sdk/testing';
import { nodeAgent, nodeAgentOf } from '../src/index.js';

const dirs: string[] = [];
const clusters: Cluster[] = [];
afterEach(async () => {
  for (const c of clusters.splice(0).reverse()) await c.stop().catch(() => undefined);
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** An API server over HTTP on a SQLite file, so it can stop and come back with the same state and port. */
async function startServer(path: string, port = 0): Promise<Cluster> {
  const cluster = await createCluster({ plugins: [sqliteStorePlugin({ path }), ...builtinAdmission(), apiServer({ port })], store: 'sqlite' });
  await cluster.start();
  clusters.push(cluster);
  return cluster;
}

const pod = (name: string): Pod => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default' }, spec: { nodeName: 'edge', containers: [{ name: 'app', image: 'busybox' }] } });

describe('a node agent in another process than the API server', { timeout: 60_000 }, () => {
  it('keeps its pods running while the API server is unreachable and reconciles when it returns', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'skiff-unreachable-'));
    dirs.push(dir);
    const db = join(dir, 'skiff.db');
    let server = await startServer(db);
    const port = server.use(ApiServerKey).port();
    const url = `http://127.0.0.1:${port}`;
    const agentHost = await createCluster({
      plugins: [mockRuntime(), nodeAgent({ nodeName: 'edge', server: { url, token: 'unused-without-auth' }, renewIntervalMs: 100, syncIntervalMs: 50, restartBackoff: { initialMs: 50, maxMs: 200 } })],
    });
    await agentHost.start();
    clusters.push(agentHost);
    const agent = nodeAgentOf(agentHost, 'edge')!;
    const runtime = await agent.runtimeFor('mock');
    const running = async () => (await runtime.listContainers({ state: 'running' })).map((c) => c.labels[RUNTIME_LABELS.podName]).sort();

    let client = new Client(inProcessTransport(server));
    await client.resource('v1', 'Pod').create(pod('before'));
    await eventually(async () => expect((await client.resource('v1', 'Pod').get('before', { namespace: 'default' })).status?.phase).toBe('Running'), { timeoutMs: 20_000 });
    const beforeUid = (await client.resource('v1', 'Pod').get('before', { namespace: 'default' })).metadata.uid;

    await server.stop();
    clusters.splice(clusters.indexOf(server), 1);
    // The outage lasts many sync and renew periods; the container must survive all of them.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(await running()).toEqual(['before']);

    server = await startServer(db, port);
    client = new Client(inProcessTransport(server));
    const leases = client.resource('coordination.k8s.io/v1', 'Lease');
    const renewed = (await leases.get('edge', { namespace: 'kube-node-lease' })) as Lease;
    // The agent comes back: it renews its Lease again, runs a new pod, and finishes a deletion made after the outage.
    await eventually(async () => expect(((await leases.get('edge', { namespace: 'kube-node-lease' })) as Lease).spec?.renewTime).not.toBe(renewed.spec?.renewTime), { timeoutMs: 20_000 });
    await client.resource('v1', 'Pod').create(pod('after'));
    await eventually(async () => expect((await client.resource('v1', 'Pod').get('after', { namespace: 'default' })).status?.phase).toBe('Running'), { timeoutMs: 20_000 });
    const before = await client.resource('v1', 'Pod').get('before', { namespace: 'default' });
    expect(before.metadata.uid).toBe(beforeUid);
    expect(before.status?.containerStatuses?.[0]?.restartCount).toBe(0);
    expect(await running()).toEqual(['after', 'before']);
    await client.resource('v1', 'Pod').delete('before', { namespace: 'default' });
    await eventually(async () => expect(await running()).toEqual(['after']), { timeoutMs: 20_000 });
    await eventually(async () => expect((await client.resource('v1', 'Pod').list({ namespace: 'default' })).items.map((p) => p.metadata.name)).toEqual(['after']), { timeoutMs: 20_000 });
  });
});
