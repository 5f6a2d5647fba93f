import { afterEach, describe, expect, it } from 'vitest';
import { MOCK_ANNOTATIONS, RUNTIME_LABELS, RUNTIME_REGISTRY, type ContainerStatus, type RuntimeFactory } from '@skiff/sdk';
import { mockRuntime } from '@skiff/plugin-runtime-mock';
import { createTestCluster, eventually, type TestCluster } from '@skiff/sdk/testing';
import { nodeAgent } from '../src/index.js';
import { RESTART_BACKOFF_LABEL, goDuration, restartDelay } from '../src/restart-backoff.js';
import { boundPod } from './fixtures.js';

const settings = { initialMs: 10_000, maxMs: 300_000, resetMs: 600_000 };

function exited(ranMs: number, labels: Record<string, string>, restartCount = 0): ContainerStatus {
  const startedAt = new Date(1_000_000);
  return {
    id: 'c',
    sandboxId: 's',
    name: 'app',
    image: 'busybox',
    state: 'exited',
    createdAt: startedAt,
    startedAt,
    finishedAt: new Date(startedAt.getTime() + ranMs),
    exitCode: 1,
    labels,
    annotations: {},
    restartCount,
  };
}

describe('restartDelay', () => {
  it('starts at initialMs, doubles while crashes are quick, and stops at maxMs', () => {
    expect(restartDelay(exited(10, { [RESTART_BACKOFF_LABEL]: '0' }), settings)).toBe(10_000);
    expect(restartDelay(exited(10, { [RESTART_BACKOFF_LABEL]: '10000' }), settings)).toBe(20_000);
    expect(restartDelay(exited(10, { [RESTART_BACKOFF_LABEL]: '160000' }), settings)).toBe(300_000);
    expect(restartDelay(exited(10, { [RESTART_BACKOFF_LABEL]: '300000' }), settings)).toBe(300_000);
  });

  it('goes back to initialMs once the instance ran resetMs before exiting', () => {
    expect(restartDelay(exited(600_000, { [RESTART_BACKOFF_LABEL]: '300000' }), settings)).toBe(10_000);
    expect(restartDelay(exited(599_999, { [RESTART_BACKOFF_LABEL]: '300000' }), settings)).toBe(300_000);
  });

  it('falls back to the restart count for instances without the label', () => {
    expect(restartDelay(exited(10, {}, 3), settings)).toBe(80_000);
  });

  it('formats delays as Kubernetes does', () => {
    expect([300, 10_000, 80_000, 300_000, 1_200].map(goDuration)).toEqual(['300ms', '10s', '1m20s', '5m0s', '1.2s']);
  });
});

let tc: TestCluster | undefined;
afterEach(async () => {
  await tc?.stop();
  tc = undefined;
});

describe('restart backoff in the agent', () => {
  it('grows while the container crashes quickly and resets after it ran longer than resetMs', async () => {
    tc = await createTestCluster({
      plugins: [mockRuntime(), nodeAgent({ nodeName: 'node-1', syncIntervalMs: 20, restartBackoff: { initialMs: 300, maxMs: 10_000, resetMs: 1_500 } })],
    });
    const pods = tc.client.resource('v1', 'Pod');
    const created = await pods.create(boundPod('crash', { annotations: { [MOCK_ANNOTATIONS.runMs]: '10', [MOCK_ANNOTATIONS.exitCode]: '1' } }));
    const rt = await tc.cluster.registry<RuntimeFactory>(RUNTIME_REGISTRY).get('mock')({ nodeName: 'node-1' });
    // Every instance the agent starts, by restart count: the delay it waited (its label) and its run.
    // Each instance lives at least one backoff period (as the newest, then as lastState), so polling sees all.
    const instances = new Map<number, { backoffMs: number; startedAt?: number; finishedAt?: number }>();
    const look = async () => {
      for (const c of await rt.listContainers({ labels: { [RUNTIME_LABELS.podUid]: created.metadata.uid ?? '' } })) {
        instances.set(c.restartCount ?? 0, { backoffMs: Number(c.labels[RESTART_BACKOFF_LABEL]), startedAt: c.startedAt?.getTime(), finishedAt: c.finishedAt?.getTime() });
      }
    };
    await eventually(async () => {
      await look();
      expect([0, 1, 2, 3].map((r) => instances.get(r)?.backoffMs)).toEqual([0, 300, 600, 1_200]);
    }, { timeoutMs: 20_000, intervalMs: 10 });
    // The agent never restarts early: each instance started at least its backoff after the previous one finished.
    for (const r of [1, 2, 3]) {
      const before = instances.get(r - 1)!;
      const after = instances.get(r)!;
      expect(after.startedAt! - before.finishedAt!).toBeGreaterThanOrEqual(after.backoffMs);
    }

    // From now on each instance runs 2 s (longer than resetMs) before crashing.
    await pods.patch('crash', { metadata: { annotations: { [MOCK_ANNOTATIONS.runMs]: '2000' } } }, { namespace: 'default' });
    await eventually(async () => {
      await look();
      const reset = [...instances].find(([r, i]) => {
        const before = instances.get(r - 1);
        return before?.startedAt !== undefined && before.finishedAt !== undefined && before.finishedAt - before.startedAt >= 1_500 && i.backoffMs > 0;
      });
      expect(reset?.[1].backoffMs).toBe(300);
    }, { timeoutMs: 40_000, intervalMs: 10 });
    const status = await pods.get('crash', { namespace: 'default' });
    expect(status.status?.containerStatuses?.[0]?.restartCount).toBeGreaterThanOrEqual(4);
  });
});
