import type { Deployment } from '@skiff/core';
import { describe, expect, it } from 'vitest';
import { equalIgnoreHash, Expectations, podTemplateHash, resolveFenceposts } from '../src/index.js';
import { slowStartBatch } from '../src/shared/batch.js';
import { deployment } from './fixtures.js';

const withStrategy = (replicas: number, maxSurge: number | string, maxUnavailable: number | string): Deployment =>
  deployment('d', replicas, { strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge, maxUnavailable } } });

describe('rolling update fenceposts (Kubernetes ResolveFenceposts)', () => {
  it.each([
    [10, '25%', '25%', 3, 2],
    [3, '25%', '25%', 1, 0],
    [4, 1, 1, 1, 1],
    [10, '0%', '0%', 0, 1],
    [10, 0, 0, 0, 1],
    [5, '50%', '10%', 3, 0],
    [1, '100%', '100%', 1, 1],
  ])('%i replicas, surge %s, unavailable %s → %i, %i', (replicas, surge, unavailable, wantSurge, wantUnavailable) => {
    expect(resolveFenceposts(withStrategy(replicas, surge, unavailable))).toEqual({ maxSurge: wantSurge, maxUnavailable: wantUnavailable });
  });
});

describe('pod-template hash', () => {
  it('is stable, safe-encoded, changes with the template and the collision count, and ignores kubectl zero values', () => {
    const d = deployment('d', 1);
    const hash = podTemplateHash(d);
    expect(hash).toMatch(/^[bcdfghjklmnpqrstvwxz2456789]{1,10}$/);
    expect(podTemplateHash(structuredClone(d))).toBe(hash);
    expect(podTemplateHash(deployment('d', 1, {}, 'busybox:1.37'))).not.toBe(hash);
    expect(podTemplateHash({ ...d, status: { collisionCount: 1 } })).not.toBe(hash);
    const roundTripped = structuredClone(d);
    (roundTripped.spec!.template.metadata as Record<string, unknown>)['creationTimestamp'] = null;
    (roundTripped.spec!.template.spec!.containers[0] as unknown as Record<string, unknown>)['resources'] = {};
    expect(podTemplateHash(roundTripped)).toBe(hash);
    expect(equalIgnoreHash(roundTripped.spec!.template, { ...d.spec!.template, metadata: { labels: { ...d.spec!.template.metadata!.labels, 'pod-template-hash': hash } } })).toBe(true);
  });
});

describe('expectations', () => {
  it('are satisfied once every expected creation and deletion is observed, or after the timeout', () => {
    let now = 0;
    const e = new Expectations(1000, () => now);
    expect(e.satisfied('ns/rs')).toBe(true);
    e.expectCreations('ns/rs', 2);
    e.creationObserved('ns/rs');
    expect(e.satisfied('ns/rs')).toBe(false);
    e.creationObserved('ns/rs');
    expect(e.satisfied('ns/rs')).toBe(true);
    e.expectDeletions('ns/rs', ['ns/a', 'ns/b']);
    e.deletionObserved('ns/rs', 'ns/other'); // not expected: does not count
    e.deletionObserved('ns/rs', 'ns/a');
    e.deletionObserved('ns/rs', 'ns/a'); // twice: counts once
    expect(e.pending('ns/rs')).toEqual({ add: 0, del: 1 });
    now = 1001;
    expect(e.satisfied('ns/rs')).toBe(true);
  });
});

describe('slowStartBatch', () => {
  it('runs batches of 1, 2, 4, … and stops after the first failing batch', async () => {
    const concurrent: number[] = [];
    let running = 0;
    const ok = await slowStartBatch(10, 1, async () => {
      running++;
      concurrent.push(running);
      await new Promise<void>((r) => setImmediate(r));
      running--;
    });
    expect(ok).toEqual({ attempted: 10, successes: 10 });
    expect(Math.max(...concurrent)).toBe(4); // batches of 1, 2, 4, then the remaining 3

    let calls = 0;
    const failing = await slowStartBatch(10, 1, async (i) => {
      calls++;
      if (i === 2) throw new Error('quota');
    });
    expect(failing).toMatchObject({ attempted: 3, successes: 2 });
    expect(calls).toBe(3);
  });
});
