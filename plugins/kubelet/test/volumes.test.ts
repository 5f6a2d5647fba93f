import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { mockRuntime } from '@skiff/plugin-runtime-mock';
import { createTestCluster, eventually, type TestCluster } from '@skiff/sdk/testing';
import { nodeAgent } from '../src/index.js';
import { podVolumesDir } from '../src/volumes.js';
import { boundPod, getPod } from './fixtures.js';

let tc: TestCluster | undefined;
let dataDir: string;
afterEach(async () => {
  await tc?.stop();
  tc = undefined;
  rmSync(dataDir, { recursive: true, force: true });
});

async function cluster(): Promise<TestCluster> {
  dataDir = mkdtempSync(join(tmpdir(), 'skiff-volumes-'));
  return createTestCluster({ plugins: [mockRuntime(), nodeAgent({ nodeName: 'node-1', dataDir, renewIntervalMs: 100, syncIntervalMs: 50 })] });
}

const volumePod = (name: string) =>
  boundPod(name, {
    spec: {
      volumes: [
        { name: 'scratch', emptyDir: {} },
        { name: 'settings', configMap: { name: 'settings', items: [{ key: 'mode', path: 'conf/mode.txt' }] } },
        { name: 'creds', secret: { secretName: 'creds', defaultMode: 0o600 } },
      ],
      containers: [
        {
          name: 'app',
          image: 'busybox',
          volumeMounts: [
            { name: 'scratch', mountPath: '/scratch' },
            { name: 'settings', mountPath: '/etc/settings' },
            { name: 'creds', mountPath: '/etc/creds' },
          ],
        },
      ],
    },
  });

describe('volumes', () => {
  it('waits in CreateContainerConfigError for a missing ConfigMap volume, then projects it, the Secret and an emptyDir, and removes them with the pod', async () => {
    tc = await cluster();
    const pods = tc.client.resource('v1', 'Pod');
    await tc.client.resource('v1', 'Secret').create({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'creds', namespace: 'default' }, data: { token: Buffer.from('s3cret').toString('base64') } });
    await pods.create(volumePod('mounted'));
    await eventually(async () => {
      const waiting = (await getPod(tc!, 'mounted')).status?.containerStatuses?.[0]?.state?.waiting;
      expect(waiting).toEqual({ reason: 'CreateContainerConfigError', message: 'configmap "settings" not found' });
    });
    await tc.client.resource('v1', 'ConfigMap').create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings', namespace: 'default' }, data: { mode: 'fast', other: 'skipped' } });
    await eventually(async () => expect((await getPod(tc!, 'mounted')).status?.phase).toBe('Running'), { timeoutMs: 20_000 });

    const uid = (await getPod(tc, 'mounted')).metadata.uid!;
    const base = podVolumesDir(dataDir, uid);
    expect(readFileSync(join(base, 'configmap', 'settings', 'conf', 'mode.txt'), 'utf8')).toBe('fast');
    expect(existsSync(join(base, 'configmap', 'settings', 'other'))).toBe(false);
    expect(readFileSync(join(base, 'secret', 'creds', 'token'), 'utf8')).toBe('s3cret');
    expect(statSync(join(base, 'secret', 'creds', 'token')).mode & 0o777).toBe(0o600);
    expect(statSync(join(base, 'empty-dir', 'scratch')).isDirectory()).toBe(true);

    await pods.delete('mounted', { namespace: 'default' });
    await eventually(async () => expect(existsSync(base)).toBe(false), { timeoutMs: 20_000 });
  });

  it('refuses a volume type it cannot provide with a clear reason, without stopping other pods', async () => {
    tc = await cluster();
    const pods = tc.client.resource('v1', 'Pod');
    await pods.create(
      boundPod('odd', { spec: { volumes: [{ name: 'cache', ...({ nfs: { server: 'nfs.example', path: '/x' } } as object) }], containers: [{ name: 'app', image: 'busybox', volumeMounts: [{ name: 'cache', mountPath: '/cache' }] }] } }),
    );
    await eventually(async () => {
      const waiting = (await getPod(tc!, 'odd')).status?.containerStatuses?.[0]?.state?.waiting;
      expect(waiting?.reason).toBe('CreateContainerConfigError');
      expect(waiting?.message).toContain('supports emptyDir, hostPath, configMap and secret volumes');
    });
    await pods.create(boundPod('fine'));
    await eventually(async () => expect((await getPod(tc!, 'fine')).status?.phase).toBe('Running'));
  });
});
