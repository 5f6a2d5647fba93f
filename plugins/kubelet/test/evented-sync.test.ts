import { afterEach, describe, expect, it } from 'vitest';
import { MOCK_ANNOTATIONS, defineRuntime } from '@skiff/sdk';
import { MockRuntime, MockWorld, mockRuntime } from '@skiff/plugin-runtime-mock';
import { createTestCluster, eventually, type TestCluster } from '@skiff/sdk/testing';
import { nodeAgent } from '../src/index.js';
import { boundPod, getPod } from './fixtures.js';

let tc: TestCluster | undefined;
afterEach(async () => {
  await tc?.stop();
  tc = undefined;
});

const pods = (t: TestCluster) => t.client.resource('v1', 'Pod');

describe('pod syncs driven by runtime events', () => {
  it('with an evented runtime the agent reacts to exits and probe results without polling', async () => {
    // syncIntervalMs is 10 minutes: nothing here may wait for a poll.
    tc = await createTestCluster({
      plugins: [mockRuntime(), nodeAgent({ nodeName: 'node-1', syncIntervalMs: 600_000, restartBackoff: { initialMs: 50, maxMs: 400 }, secondsScale: 20 })],
    });
    await pods(tc).create(boundPod('crash', { annotations: { [MOCK_ANNOTATIONS.runMs]: '100', [MOCK_ANNOTATIONS.exitCode]: '1' } }));
    await pods(tc).create(
      boundPod('slow', {
        annotations: { [MOCK_ANNOTATIONS.readyAfterMs]: '300' },
        spec: { containers: [{ name: 'app', image: 'busybox', readinessProbe: { periodSeconds: 1, exec: { command: ['check'] } } }] },
      }),
    );
    await eventually(async () => expect((await getPod(tc!, 'crash')).status?.containerStatuses?.[0]?.restartCount).toBeGreaterThanOrEqual(2), { timeoutMs: 15_000 });
    await eventually(async () => expect((await getPod(tc!, 'slow')).status?.conditions?.find((c) => c.type === 'Ready')?.status).toBe('True'), { timeoutMs: 15_000 });
  });

  it('a runtime without container events is still polled every syncIntervalMs', async () => {
    const world = new MockWorld();
    const polled = defineRuntime({
      name: 'mock',
      pluginName: 'PolledMockRuntime',
      create: () => {
        const rt = new MockRuntime({ world });
        // Hide the optional method: this runtime offers no events.
        Object.defineProperty(rt, 'subscribeContainerEvents', { value: undefined });
        return rt;
      },
    });
    tc = await createTestCluster({ plugins: [polled(), nodeAgent({ nodeName: 'node-1', syncIntervalMs: 30, restartBackoff: { initialMs: 50, maxMs: 400 } })] });
    await pods(tc).create(boundPod('crash', { annotations: { [MOCK_ANNOTATIONS.runMs]: '100', [MOCK_ANNOTATIONS.exitCode]: '1' } }));
    await eventually(async () => expect((await getPod(tc!, 'crash')).status?.containerStatuses?.[0]?.restartCount).toBeGreaterThanOrEqual(2), { timeoutMs: 15_000 });
  });
});
