import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ApiServerKey, kubeconfigYaml, secureApiServer } from '@skiff/plugin-apiserver';
import { mockRuntime } from '@skiff/plugin-runtime-mock';
import { MOCK_ANNOTATIONS as M } from '@skiff/sdk';
import { createTestCluster, eventually, type TestCluster } from '@skiff/sdk/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeAgent } from '../src/index.js';
import { boundPod, getPod } from './fixtures.js';

// The node agent behind the real API server: kubectl reads a mock pod's output.
let dir: string;
let tc: TestCluster;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'skiff-kubelet-logs-'));
  const secure = await secureApiServer({ dataDir: dir, port: 0 });
  tc = await createTestCluster({
    plugins: [mockRuntime(), nodeAgent({ nodeName: 'node-1', renewIntervalMs: 100, syncIntervalMs: 50 }), secure.plugins],
  });
  const url = tc.cluster.use(ApiServerKey).url();
  const kubeconfig = join(dir, 'admin.kubeconfig');
  writeFileSync(kubeconfig, kubeconfigYaml({ server: url, caCertPem: secure.pki.caCertPem, token: secure.tokens.adminToken }));
  env = { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: dir, KUBECONFIG: kubeconfig };
}, 120_000);

afterAll(async () => {
  await tc?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('kubectl logs through the API server and the node agent', { timeout: 60_000 }, () => {
  it('prints a running mock pod\'s lines, and -f follows new ones', async () => {
    await tc.client.resource('v1', 'Pod').create(boundPod('talker', { annotations: { [M.logLines]: 'hello\nworld', [M.logEveryMs]: '200' } }));
    await eventually(async () => expect((await getPod(tc, 'talker')).status?.phase).toBe('Running'), { timeoutMs: 20_000 });
    const { stdout } = await promisify(execFile)('kubectl', ['logs', 'talker', `--cache-dir=${join(dir, 'c1')}`], { env, timeout: 30_000 });
    expect(stdout.split('\n')).toEqual(expect.arrayContaining(['hello', 'world']));
    const follow = spawn('kubectl', ['logs', '-f', 'talker', `--cache-dir=${join(dir, 'c2')}`], { env });
    let out = '';
    follow.stdout.on('data', (d: Buffer) => (out += d.toString()));
    try {
      const ticks = () => out.split('\n').filter((l) => l.startsWith('tick-')).length;
      await eventually(() => expect(ticks()).toBeGreaterThanOrEqual(1), { timeoutMs: 20_000 });
      const seen = ticks();
      await eventually(() => expect(ticks()).toBeGreaterThan(seen), { timeoutMs: 20_000 });
    } finally {
      follow.kill();
    }
  });
});
