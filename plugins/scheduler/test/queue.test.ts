import type { Pod } from '@skiff/core';
import { describe, expect, it } from 'vitest';
import { SchedulingQueue, prioritySort } from '../src/index.js';
import { podObject } from './fixtures.js';

const less = prioritySort.create(undefined as never, undefined).less!;

function queueWithClock(options: { initialBackoffMs?: number; maxBackoffMs?: number; maxUnschedulableMs?: number } = {}) {
  let now = 1_000_000;
  const queue = new SchedulingQueue({
    less,
    initialBackoffMs: options.initialBackoffMs ?? 1_000,
    maxBackoffMs: options.maxBackoffMs ?? 10_000,
    maxUnschedulableMs: options.maxUnschedulableMs ?? 300_000,
    now: () => now,
  });
  return { queue, advance: (ms: number) => (now += ms) };
}

const pod = (name: string, priority = 0): Pod => {
  const p = podObject(name);
  p.spec!.priority = priority;
  return p;
};

describe('SchedulingQueue', () => {
  it('pops by priority, then by arrival', async () => {
    const { queue, advance } = queueWithClock();
    queue.add(pod('low-1'));
    advance(1);
    queue.add(pod('high', 100));
    advance(1);
    queue.add(pod('low-2'));
    const order = [];
    for (let i = 0; i < 3; i++) order.push((await queue.pop())!.pod.metadata.name);
    expect(order).toEqual(['high', 'low-1', 'low-2']);
    queue.close();
  });

  it('backs off 1 s doubling per attempt up to 10 s', async () => {
    const { queue, advance } = queueWithClock();
    queue.add(pod('p'));
    const seen: number[] = [];
    for (let attempt = 1; attempt <= 6; attempt++) {
      const qp = (await queue.pop())!;
      expect(qp.attempts).toBe(attempt);
      queue.requeueFailed(qp, false); // an error: backoff
      expect(queue.where('default/p')).toBe('backoff');
      seen.push(queue.backoffDuration(qp));
      advance(queue.backoffDuration(qp) - 1);
      queue.flushBackoff();
      expect(queue.where('default/p')).toBe('backoff');
      advance(1);
      queue.flushBackoff();
      expect(queue.where('default/p')).toBe('active');
    }
    expect(seen).toEqual([1_000, 2_000, 4_000, 8_000, 10_000, 10_000]);
    queue.close();
  });

  it('parks unschedulable pods until a cluster event moves them (to backoff while their backoff lasts)', async () => {
    const { queue, advance } = queueWithClock();
    queue.add(pod('p'));
    const qp = (await queue.pop())!;
    queue.requeueFailed(qp, true);
    expect(queue.where('default/p')).toBe('unschedulable');
    advance(200_000);
    queue.flushBackoff();
    expect(queue.where('default/p')).toBe('unschedulable'); // backoff alone does not release it
    queue.moveAllToActiveOrBackoff();
    expect(queue.where('default/p')).toBe('active');

    const again = (await queue.pop())!;
    queue.requeueFailed(again, true);
    queue.moveAllToActiveOrBackoff(); // event right after the failure: still backing off
    expect(queue.where('default/p')).toBe('backoff');
    queue.close();
  });

  it('does not park a pod that failed while a move request happened during its attempt', async () => {
    const { queue, advance } = queueWithClock();
    queue.add(pod('p'));
    const qp = (await queue.pop())!;
    queue.moveAllToActiveOrBackoff(); // e.g. a node was added while the pod was being scheduled
    queue.requeueFailed(qp, true);
    expect(queue.where('default/p')).toBe('backoff');
    advance(1_000);
    queue.flushBackoff();
    expect(queue.where('default/p')).toBe('active');
    queue.close();
  });

  it('releases pods parked longer than maxUnschedulableMs', async () => {
    const { queue, advance } = queueWithClock({ maxUnschedulableMs: 60_000 });
    queue.add(pod('p'));
    queue.requeueFailed((await queue.pop())!, true);
    advance(59_999);
    queue.flushUnschedulableLeftovers();
    expect(queue.where('default/p')).toBe('unschedulable');
    advance(1);
    queue.flushUnschedulableLeftovers();
    expect(queue.where('default/p')).toBe('active');
    queue.close();
  });

  it('moves a parked pod back when its spec changes, but not on a status-only refresh', async () => {
    const { queue } = queueWithClock();
    const p = pod('p');
    queue.add(p);
    queue.requeueFailed((await queue.pop())!, true);
    queue.update(p, false);
    expect(queue.where('default/p')).toBe('unschedulable');
    queue.update(p, true);
    expect(queue.where('default/p')).toBe('backoff');
    queue.delete('default/p');
    expect(queue.where('default/p')).toBeUndefined();
    queue.close();
  });

  it('wakes a waiting pop when a pod arrives, and ends it on close', async () => {
    const { queue } = queueWithClock();
    const waiting = queue.pop();
    queue.add(pod('late'));
    expect((await waiting)?.pod.metadata.name).toBe('late');
    const never = queue.pop();
    queue.close();
    expect(await never).toBeUndefined();
  });
});
