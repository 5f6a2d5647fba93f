import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '@skiff/sdk/testing';
import { killSkiffChildren, runSkiff, skiffChildren } from './run-skiff.js';

const execFileAsync = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'skiff-join-'));
const run = runSkiff;

const dataDir = join(dir, 'server');
const env = { ...process.env, KUBECONFIG: join(dataDir, 'kubeconfig'), HOME: dir };
const kubectl = (...args: string[]) => execFileAsync('kubectl', [`--cache-dir=${join(dir, 'kcache')}`, ...args], { env });
let server: ReturnType<typeof run>;
let url: string;

beforeAll(async () => {
  server = run(['up', '--data-dir', dataDir, '--api-port', '0', '--store', 'memory', '--nodes', '0']);
  await eventually(() => expect(server.out.stdout).toMatch(/Ready/), { timeoutMs: 60_000 });
  url = /API server listening on (\S+)/.exec(server.out.stdout)![1]!;
}, 90_000);

afterAll(async () => {
  killSkiffChildren();
  rmSync(dir, { recursive: true, force: true });
});

describe('skiff node join', { timeout: 120_000 }, () => {
  it('runs a node agent in its own process: it joins with the node token, runs a pod, and kubectl logs reaches it through the API server', async () => {
    const token = readFileSync(join(dataDir, 'node-token'), 'utf8').trim();
    const agent = run(['node', 'join', '--server', url, '--token', token, '--name', 'worker-1', '--runtime', 'mock', '--port', '0', '--data-dir', join(dir, 'worker-1')]);
    await eventually(() => expect(agent.out.stdout).toMatch(/Ready in \d+ ms: node worker-1 joined/), { timeoutMs: 60_000 });
    expect(agent.out.stdout).toContain('checking the API server');
    expect(agent.out.stdout).toMatch(/pods in 127\.10\.1\.0\/24/);
    expect(readFileSync(join(dir, 'worker-1', 'ca.crt'), 'utf8')).toContain('BEGIN CERTIFICATE');

    const ready = await kubectl('get', 'node', 'worker-1', '-o', 'jsonpath={.status.conditions[?(@.type=="Ready")].status}');
    expect(ready.stdout).toBe('True');
    const pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'printer', namespace: 'default', annotations: { 'skiff.dev/mock-log-lines': 'hello from worker-1\nsecond line' } },
      spec: { nodeName: 'worker-1', containers: [{ name: 'app', image: 'busybox' }] },
    };
    const file = join(dir, 'pod.json');
    writeFileSync(file, JSON.stringify(pod));
    await kubectl('apply', '-f', file);
    await eventually(async () => expect((await kubectl('get', 'pod', 'printer', '-o', 'jsonpath={.status.phase} {.status.podIP}')).stdout).toMatch(/^Running 127\.10\.1\.\d+$/), { timeoutMs: 30_000 });
    const logs = await kubectl('logs', 'printer');
    expect(logs.stdout).toBe('hello from worker-1\nsecond line\n');
    const tail = await kubectl('logs', 'printer', '--tail=1', '--timestamps');
    expect(tail.stdout).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z second line\n$/);
    // An error from the agent (an unknown container) comes back as the Kubernetes Status it sent.
    const bad = await kubectl('logs', 'printer', '-c', 'nosuch').catch((err: { stderr: string }) => err);
    expect((bad as { stderr: string }).stderr).toContain('container nosuch is not valid for pod printer');

    // kubectl logs -f streams through the API server from the agent while the container writes.
    const ticker = { ...pod, metadata: { name: 'ticker', namespace: 'default', annotations: { 'skiff.dev/mock-log-every-ms': '100' } } };
    writeFileSync(file, JSON.stringify(ticker));
    await kubectl('apply', '-f', file);
    await eventually(async () => expect((await kubectl('get', 'pod', 'ticker', '-o', 'jsonpath={.status.phase}')).stdout).toBe('Running'), { timeoutMs: 30_000 });
    const follow = spawn('kubectl', ['logs', '-f', 'ticker', `--cache-dir=${join(dir, 'kcache')}`], { env });
    skiffChildren.add(follow);
    let followed = '';
    follow.stdout.on('data', (d: Buffer) => (followed += d.toString()));
    await eventually(() => expect(followed).toMatch(/tick-1\ntick-2\ntick-3\n/), { timeoutMs: 30_000 });
    follow.kill('SIGTERM');
    await kubectl('delete', 'pod', 'ticker', '--wait=true', '--timeout=30s');

    // Deleting the pod goes through the remote agent's graceful deletion.
    await kubectl('delete', 'pod', 'printer', '--wait=true', '--timeout=30s');
    agent.child.kill('SIGTERM');
    await agent.exited;
    expect(agent.out.code).toBe(0);
    expect(agent.out.stdout).toMatch(/stopped\n$/);
  });

  it('refuses a token whose CA hash does not match the server, a wrong secret, and a malformed token, with SKIFF_ERR_NODE_JOIN', async () => {
    const token = readFileSync(join(dataDir, 'node-token'), 'utf8').trim();
    const [, hash, secret] = /^(sha256:[0-9a-f]{64}):(\S+)$/.exec(token)!;
    const cases = [
      { token: `sha256:${'0'.repeat(64)}:${secret}`, message: /presents no CA matching/ },
      { token: `${hash}:${'f'.repeat(64)}`, message: /refused the join token \(401/ },
      { token: 'sha256:zz:not a token', message: /join token is malformed/ },
    ];
    for (const c of cases) {
      const r = run(['node', 'join', '--server', url, '--token', c.token, '--name', 'intruder', '--port', '0', '--data-dir', join(dir, 'intruder')]);
      await r.exited;
      expect(r.out.code).toBe(1);
      expect(r.out.stderr).toContain('SKIFF_ERR_NODE_JOIN');
      expect(r.out.stderr).toMatch(c.message);
    }
    await expect(kubectl('get', 'node', 'intruder')).rejects.toThrow(/not found/);
  });

  it('joins on the Docker runtime without an engine: says why, and the node reports NotReady with the reason', async () => {
    const token = readFileSync(join(dataDir, 'node-token'), 'utf8').trim();
    const socket = join(dir, 'no-docker.sock');
    const agent = run(['node', 'join', '--server', url, '--token', token, '--name', 'dockerless', '--runtime', 'docker', '--docker-host', `unix://${socket}`, '--port', '0', '--data-dir', join(dir, 'dockerless')]);
    try {
      await eventually(() => expect(agent.out.stdout).toMatch(/Ready in \d+ ms: node dockerless joined/), { timeoutMs: 60_000 });
      expect(agent.out.stdout).toContain(`WARNING: Docker engine at unix://${socket} unreachable`);
      const ready = JSON.parse((await kubectl('get', 'node', 'dockerless', '-o', 'jsonpath={.status.conditions[?(@.type=="Ready")]}')).stdout) as { status: string; reason: string; message: string };
      expect(ready).toMatchObject({ status: 'False', reason: 'KubeletNotReady', message: expect.stringMatching(/^container runtime is down: Docker engine at unix:\/\/.*no-docker\.sock unreachable/) });
    } finally {
      agent.child.kill('SIGTERM');
      await agent.exited;
    }
    expect(agent.out.code).toBe(0);
    await kubectl('delete', 'node', 'dockerless');
  });

  it('a node credential is not an admin: it cannot create namespaces or read RBAC', async () => {
    const token = readFileSync(join(dataDir, 'node-token'), 'utf8').trim().split(':').at(-1)!;
    const asNode = (...args: string[]) => execFileAsync('kubectl', [...args, `--token=${token}`, `--cache-dir=${join(dir, 'kcache-node')}`], { env });
    await expect(asNode('create', 'namespace', 'evil')).rejects.toThrow(/forbidden/);
    await expect(asNode('get', 'clusterroles')).rejects.toThrow(/forbidden/);
    expect((await asNode('get', 'nodes', '-o', 'name')).stdout).toContain('node/worker-1');
  });
});
