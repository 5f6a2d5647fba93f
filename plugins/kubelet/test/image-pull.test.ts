import { afterEach, describe, expect, it } from 'vitest';
import type { Pod } from '@skiff/core';
import { MOCK_ANNOTATIONS, defineRuntime, runtimeError, type ContainerRuntime } from '@skiff/sdk';
import { MockRuntime } from '@skiff/plugin-runtime-mock';
import { createTestCluster, eventually, type TestCluster } from '@skiff/sdk/testing';
import { ImagePullBackoff } from '../src/image-backoff.js';
import { nodeAgent } from '../src/index.js';
import { boundPod, clusterWithAgent, getPod } from './fixtures.js';

let tc: TestCluster | undefined;
afterEach(async () => {
  await tc?.stop();
  tc = undefined;
});

const waitingOf = (pod: Pod) => pod.status?.containerStatuses?.[0]?.state?.waiting;

describe('image pull back-off', () => {
  it('doubles the delay per failed pull up to the cap, per pod and image', () => {
    const backoff = new ImagePullBackoff({ initialMs: 100, maxMs: 350 });
    expect(backoff.remainingMs('pod-a', 'img', 0)).toBe(0);
    expect([1, 2, 3, 4].map(() => backoff.failed('pod-a', 'img', 0))).toEqual([100, 200, 350, 350]);
    expect(backoff.remainingMs('pod-a', 'img', 50)).toBe(300);
    expect(backoff.remainingMs('pod-a', 'other', 50)).toBe(0);
    expect(backoff.remainingMs('pod-b', 'img', 50)).toBe(0);
    backoff.clear('pod-a');
    expect(backoff.remainingMs('pod-a', 'img', 50)).toBe(0);
  });

  it('reports ErrImagePull, then ImagePullBackOff between tries, with a Failed event', async () => {
    tc = await clusterWithAgent();
    // Every state the pod passes through, from a watch (each waiting state may last only a few ms here).
    const watch = await tc.client.resource('v1', 'Pod').watch({ namespace: 'default', fieldSelector: 'metadata.name=nopull' });
    const seen = new Map<string, string | undefined>();
    const watching = (async () => {
      for await (const ev of watch) {
        if (ev.type !== 'ADDED' && ev.type !== 'MODIFIED') continue;
        const waiting = waitingOf(ev.object);
        if (waiting?.reason && !seen.has(waiting.reason)) seen.set(waiting.reason, waiting.message);
      }
    })();
    await tc.client.resource('v1', 'Pod').create(boundPod('nopull', { annotations: { [MOCK_ANNOTATIONS.imageError]: 'manifest unknown' } }));
    await eventually(() => expect([...seen.keys()]).toEqual(['ErrImagePull', 'ImagePullBackOff']), { timeoutMs: 10_000 });
    watch.stop();
    await watching;
    expect(seen.get('ErrImagePull')).toContain('manifest unknown');
    expect(seen.get('ImagePullBackOff')).toBe('Back-off pulling image "busybox:1.36"');
    const pod = await getPod(tc, 'nopull');
    expect(pod.status?.phase).toBe('Pending');
    // The pull is tried again once each back-off passed.
    const failed = await eventually(async () => {
      const events = await tc!.client.resource('v1', 'Event').list({ namespace: 'default' });
      const list = events.items.filter((e) => e.involvedObject.name === 'nopull' && e.reason === 'Failed');
      expect(list.length).toBeGreaterThanOrEqual(2);
      return list;
    });
    expect(failed[0]).toMatchObject({ type: 'Warning', involvedObject: { fieldPath: 'spec.containers{app}' } });
    expect(failed[0]?.message).toMatch(/^Failed to pull image "busybox:1\.36": .*manifest unknown/);
  });
});

describe('a pod sandbox that cannot be made', () => {
  it('leaves the pod ContainerCreating with a FailedCreatePodSandBox event, and runs it once the sandbox can be made', async () => {
    const state = { sandboxImagePresent: false };
    const real = new MockRuntime();
    const runtime: ContainerRuntime = Object.assign(Object.create(real) as MockRuntime, {
      runPodSandbox: (config: Parameters<ContainerRuntime['runPodSandbox']>[0]) => {
        if (!state.sandboxImagePresent) throw runtimeError('SKIFF_ERR_RUNTIME_IMAGE', 'The sandbox image "pause:test" is not present and could not be pulled', { reason: 'ErrImagePull' });
        return real.runPodSandbox(config);
      },
    });
    tc = await createTestCluster({
      plugins: [defineRuntime({ name: 'nosandbox', create: () => runtime })(), nodeAgent({ nodeName: 'node-1', runtime: 'nosandbox', syncIntervalMs: 50, restartBackoff: { initialMs: 100, maxMs: 400 } })],
    });
    await tc.client.resource('v1', 'Pod').create(boundPod('stuck'));
    const event = await eventually(async () => {
      const events = await tc!.client.resource('v1', 'Event').list({ namespace: 'default' });
      const found = events.items.find((e) => e.involvedObject.name === 'stuck' && e.reason === 'FailedCreatePodSandBox');
      expect(found).toBeDefined();
      return found!;
    });
    expect(event).toMatchObject({ type: 'Warning', message: 'Failed to create pod sandbox: The sandbox image "pause:test" is not present and could not be pulled' });
    expect(event.involvedObject.fieldPath).toBeUndefined();
    expect((await getPod(tc, 'stuck')).status?.phase ?? 'Pending').toBe('Pending');

    state.sandboxImagePresent = true;
    await eventually(async () => expect((await getPod(tc!, 'stuck')).status?.phase).toBe('Running'));
  });
});
