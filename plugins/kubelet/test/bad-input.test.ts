import { afterEach, describe, expect, it } from 'vitest';
import { eventually, type TestCluster } from '@skiff/sdk/testing';
import { boundPod, clusterWithAgent, getPod } from './fixtures.js';

let tc: TestCluster | undefined;
afterEach(async () => {
  await tc?.stop();
  tc = undefined;
});

describe('bad input', () => {
  it('fails a pod naming an unknown runtimeClassName and keeps running other pods', async () => {
    tc = await clusterWithAgent();
    const pods = tc.client.resource('v1', 'Pod');
    await pods.create(boundPod('odd', { spec: { runtimeClassName: 'nope' } }));
    await eventually(async () => {
      const p = await getPod(tc!, 'odd');
      expect(p.status?.phase).toBe('Failed');
      expect(p.status?.reason).toBe('RuntimeClassNotFound');
      expect(p.status?.message).toContain('nope');
    });
    await pods.create(boundPod('fine'));
    await eventually(async () => expect((await getPod(tc!, 'fine')).status?.phase).toBe('Running'));
  });

  it('holds a container in CreateContainerConfigError until its ConfigMap exists, then runs it', async () => {
    tc = await clusterWithAgent();
    await tc.client.resource('v1', 'Pod').create(
      boundPod('configured', {
        spec: {
          containers: [
            {
              name: 'app',
              image: 'busybox',
              env: [{ name: 'MODE', valueFrom: { configMapKeyRef: { name: 'settings', key: 'mode' } } }],
              envFrom: [{ secretRef: { name: 'creds', optional: true } }],
            },
          ],
        },
      }),
    );
    await eventually(async () => {
      const p = await getPod(tc!, 'configured');
      expect(p.status?.phase).toBe('Pending');
      expect(p.status?.containerStatuses?.[0]?.state?.waiting?.reason).toBe('CreateContainerConfigError');
    });
    await tc.client.resource('v1', 'ConfigMap').create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings', namespace: 'default' }, data: { mode: 'fast' } });
    await eventually(async () => {
      const p = await getPod(tc!, 'configured');
      expect(p.status?.phase).toBe('Running');
      expect(p.status?.containerStatuses?.[0]?.ready).toBe(true);
    });
  });
});
