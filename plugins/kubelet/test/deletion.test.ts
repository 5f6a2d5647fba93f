import { afterEach, describe, expect, it } from 'vitest';
import { isApiError } from '@skiff/core';
import { MOCK_ANNOTATIONS, RUNTIME_LABELS, RUNTIME_REGISTRY, type RuntimeFactory } from '@skiff/sdk';
import { eventually, type TestCluster } from '@skiff/sdk/testing';
import { boundPod, clusterWithAgent, getPod } from './fixtures.js';

let tc: TestCluster | undefined;
afterEach(async () => {
  await tc?.stop();
  tc = undefined;
});

async function expectGone(t: TestCluster, name: string): Promise<void> {
  await eventually(async () => {
    const err = await getPod(t, name).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isApiError(err) && err.status.code === 404).toBe(true);
  });
}

describe('graceful deletion', () => {
  it('stops and removes a running pod, its containers and sandbox, then deletes it; the address is reused', async () => {
    tc = await clusterWithAgent();
    const pods = tc.client.resource('v1', 'Pod');
    await pods.create(boundPod('web', { annotations: { [MOCK_ANNOTATIONS.stopDelayMs]: '30' } }));
    const running = await eventually(async () => {
      const p = await getPod(tc!, 'web');
      expect(p.status?.phase).toBe('Running');
      return p;
    });
    const uid = running.metadata.uid ?? '';
    const rt = await tc.cluster.registry<RuntimeFactory>(RUNTIME_REGISTRY).get('mock')({ nodeName: 'node-1' });
    expect(await rt.listContainers({ labels: { [RUNTIME_LABELS.podUid]: uid } })).toHaveLength(1);

    const deleted = await pods.delete('web', { namespace: 'default' });
    expect(deleted.metadata.deletionTimestamp).toBeTruthy();
    await expectGone(tc, 'web');
    expect(await rt.listContainers({ labels: { [RUNTIME_LABELS.podUid]: uid } })).toHaveLength(0);
    expect(await rt.listPodSandboxes({ labels: { [RUNTIME_LABELS.podUid]: uid } })).toHaveLength(0);

    await pods.create(boundPod('next'));
    await eventually(async () => {
      expect((await getPod(tc!, 'next')).status?.podIP).toBe(running.status?.podIP);
    });
  });

  it('uses the deletion grace period: a container ignoring SIGTERM is killed once it passed', async () => {
    tc = await clusterWithAgent();
    const pods = tc.client.resource('v1', 'Pod');
    await pods.create(boundPod('stubborn', { annotations: { [MOCK_ANNOTATIONS.ignoreSigterm]: 'true' } }));
    await eventually(async () => expect((await getPod(tc!, 'stubborn')).status?.phase).toBe('Running'));
    await pods.delete('stubborn', { namespace: 'default', gracePeriodSeconds: 1 });
    await expectGone(tc, 'stubborn');
  });
});
