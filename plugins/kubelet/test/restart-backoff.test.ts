import { afterEach, describe, expect, it } from 'vitest';
import type { Pod } from '@skiff/core';
import { MOCK_ANNOTATIONS, type ContainerStatus } from '@skiff/sdk';
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
    // Every CrashLoopBackOff state the agent writes, from a watch (so none is missed between polls).
    const seen: { message: string; restartCount: number; lastRanMs: number }[] = [];
    const watch = await pods.watch({ namespace: 'default' });
    const collecting = (async () => {
      for await (const event of watch) {
        const s = (event.object as Pod).status?.containerStatuses?.[0];
        const message = s?.state?.waiting?.reason === 'CrashLoopBackOff' ? s.state.waiting.message : undefined;
        const last = s?.lastState?.terminated;
        if (message && last?.startedAt && last.finishedAt) {
          seen.push({ message, restartCount: s?.restartCount ?? 0, lastRanMs: Date.parse(last.finishedAt) - Date.parse(last.startedAt) });
        }
      }
    })();
    try {
      await pods.create(boundPod('crash', { annotations: { [MOCK_ANNOTATIONS.runMs]: '10', [MOCK_ANNOTATIONS.exitCode]: '1' } }));
      const backoffOf = (m: string) => /back-off (\S+) restarting/.exec(m)?.[1];
      await eventually(() => expect(seen.map((s) => backoffOf(s.message))).toEqual(expect.arrayContaining(['300ms', '600ms', '1.2s'])), { timeoutMs: 20_000 });
      const quick = seen.map((s) => backoffOf(s.message));
      expect(quick.slice(0, 3)).toEqual(['300ms', '600ms', '1.2s']);

      // From now on each instance runs 2 s (longer than resetMs) before crashing.
      await pods.patch('crash', { metadata: { annotations: { [MOCK_ANNOTATIONS.runMs]: '2000' } } }, { namespace: 'default' });
      const reset = await eventually(() => {
        const after = seen.find((s) => s.lastRanMs >= 1_500);
        expect(after).toBeDefined();
        return after!;
      }, { timeoutMs: 30_000 });
      expect(backoffOf(reset.message)).toBe('300ms');
    } finally {
      watch.stop();
      await collecting.catch(() => undefined);
    }
  });
});
