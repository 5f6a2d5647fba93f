import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createCluster, type Cluster } from '@skiff/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiServer, ApiServerKey } from '../../src/index.js';
import { request } from './helpers.js';

// A node agent in "another process": an HTTP endpoint that checks the bearer token and records what it was asked.
const seen: { path: string; auth: string | undefined }[] = [];
const agent = http.createServer((req, res) => {
  seen.push({ path: req.url ?? '', auth: req.headers.authorization });
  if (req.headers.authorization !== 'Bearer node-secret') {
    res.writeHead(401, { 'Content-Type': 'application/json' });
    return void res.end(JSON.stringify({ kind: 'Status', apiVersion: 'v1', status: 'Failure', code: 401, reason: 'Unauthorized', message: 'Unauthorized' }));
  }
  if (req.url?.includes('container=nosuch')) {
    res.writeHead(400, { 'Content-Type': 'application/json' });
    return void res.end(JSON.stringify({ kind: 'Status', apiVersion: 'v1', status: 'Failure', code: 400, reason: 'BadRequest', message: 'container nosuch is not valid for pod remote' }));
  }
  res.writeHead(200, { 'Content-Type': 'text/plain' });
  res.end('from the agent\n');
});

let cluster: Cluster;
let url: string;
let agentPort: number;

async function node(name: string, port: number | undefined) {
  const nodes = cluster.resources.require('v1', 'Node');
  const created = await cluster.api.create(nodes, undefined, { apiVersion: 'v1', kind: 'Node', metadata: { name } });
  const status = { addresses: [{ type: 'InternalIP', address: '127.0.0.1' }], ...(port ? { daemonEndpoints: { kubeletEndpoint: { Port: port } } } : {}) };
  await cluster.api.update(nodes, undefined, name, { ...created, status }, { subresource: 'status' });
  await cluster.api.create(cluster.resources.require('v1', 'Pod'), 'default', {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: `pod-on-${name}`, namespace: 'default' },
    spec: { nodeName: name, containers: [{ name: 'app', image: 'busybox' }] },
  });
}

beforeAll(async () => {
  await new Promise<void>((resolve) => agent.listen(0, '127.0.0.1', resolve));
  agentPort = (agent.address() as AddressInfo).port;
  cluster = await createCluster({ plugins: [apiServer({ port: 0, nodeClient: { token: 'node-secret', timeoutMs: 5_000 } })] });
  await cluster.start();
  url = cluster.use(ApiServerKey).url();
  // A closed port: bind one, note it, close it.
  const probe = http.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const closedPort = (probe.address() as AddressInfo).port;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  await node('remote', agentPort);
  await node('gone', closedPort);
  await node('silent', undefined);
});

afterAll(async () => {
  await cluster?.stop();
  await new Promise<void>((resolve) => agent.close(() => resolve()));
});

describe('pods/<name>/log from a node agent in another process', () => {
  it('streams from the agent at the Node\'s InternalIP and kubelet port, with the node credential and the options as query', async () => {
    const r = await request(url, 'GET', '/api/v1/namespaces/default/pods/pod-on-remote/log?tailLines=5&timestamps=true');
    expect(r.status).toBe(200);
    expect(r.text).toBe('from the agent\n');
    expect(seen.at(-1)).toEqual({ path: '/containerLogs/default/pod-on-remote?timestamps=true&tailLines=5', auth: 'Bearer node-secret' });
  });

  it('passes the agent\'s Status on, and answers 500 naming the node when the agent cannot be reached, 400 when the Node has no endpoint', async () => {
    expect((await request(url, 'GET', '/api/v1/namespaces/default/pods/pod-on-remote/log?container=nosuch')).json).toMatchObject({ code: 400, message: 'container nosuch is not valid for pod remote' });
    const gone = await request(url, 'GET', '/api/v1/namespaces/default/pods/pod-on-gone/log');
    expect(gone.json).toMatchObject({ kind: 'Status', code: 500 });
    expect((gone.json as { message: string }).message).toContain('cannot reach the node agent of "gone"');
    expect((await request(url, 'GET', '/api/v1/namespaces/default/pods/pod-on-silent/log')).json).toMatchObject({ code: 400, message: 'node "silent" does not report a node agent endpoint' });
  });
});
