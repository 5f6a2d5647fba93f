import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  defaultControllerRateLimiter,
  exponentialBackoff,
  maxOfRateLimiters,
  tokenBucket,
  WorkQueue,
} from '../../src/reconcile/index.js';
import { isSettled } from './eventually.js';

afterEach(() => {
  vi.useRealTimers();
});

describe('rate limiters', () => {
  it('exponentialBackoff doubles per key from baseMs, caps at maxMs, and forget resets', () => {
    const rl = exponentialBackoff({ baseMs: 5, maxMs: 100 });
    expect([1, 2, 3, 4, 5, 6, 7].map(() => rl.when('a'))).toEqual([5, 10, 20, 40, 80, 100, 100]);
    expect(rl.failures('a')).toBe(7);
    expect(rl.when('b')).toBe(5); // keys are independent
    rl.forget('a');
    expect(rl.failures('a')).toBe(0);
    expect(rl.when('a')).toBe(5);
    expect(rl.failures('b')).toBe(1);
  });

  it('exponentialBackoff defaults to 5 ms and 1_000_000 ms and never overflows', () => {
    const rl = exponentialBackoff();
    expect(rl.when('k')).toBe(5);
    expect(rl.when('k')).toBe(10);
    for (let i = 0; i < 2000; i++) rl.when('k');
    expect(rl.when('k')).toBe(1_000_000);
  });

  it('tokenBucket allows a burst, then spaces reservations at 1/qps', () => {
    let now = 0;
    const rl = tokenBucket({ qps: 10, burst: 2, now: () => now });
    expect(rl.when('a')).toBe(0);
    expect(rl.when('b')).toBe(0);
    expect(rl.when('c')).toBeCloseTo(100);
    expect(rl.when('d')).toBeCloseTo(200);
    now = 1000; // refills, capped at burst
    expect(rl.when('e')).toBeCloseTo(0);
    expect(rl.failures('a')).toBe(0);
  });

  it('maxOf / the default controller limiter take the larger delay', () => {
    let now = 0;
    const rl = defaultControllerRateLimiter({ baseMs: 1, qps: 1, burst: 1, now: () => now });
    expect(rl.when('a')).toBe(1); // exp 1, bucket 0
    expect(rl.when('a')).toBeCloseTo(1000); // exp 2, bucket 1000
    expect(rl.failures('a')).toBe(2);
    rl.forget('a');
    expect(rl.failures('a')).toBe(0);
    const both = maxOfRateLimiters(exponentialBackoff({ baseMs: 3 }), exponentialBackoff({ baseMs: 7 }));
    expect(both.when('x')).toBe(7);
  });
});

describe('WorkQueue', () => {
  it('deduplicates keys waiting in the queue and hands them out FIFO', async () => {
    const q = new WorkQueue();
    q.add('a');
    q.add('b');
    q.add('a');
    q.add('c');
    q.add('b');
    expect(q.len()).toBe(3);
    expect(await q.get()).toBe('a');
    expect(await q.get()).toBe('b');
    expect(await q.get()).toBe('c');
    expect(q.len()).toBe(0);
  });

  it('never hands out a key being processed: a re-add comes back once, after done', async () => {
    const q = new WorkQueue();
    q.add('a');
    expect(await q.get()).toBe('a');
    q.add('a');
    q.add('a');
    expect(q.len()).toBe(0);
    const next = q.get();
    expect(await isSettled(next)).toBe(false);
    q.done('a');
    expect(await next).toBe('a');
    q.done('a');
    expect(q.len()).toBe(0);
    // done for a key that is not being processed is a no-op
    q.done('zzz');
    expect(q.len()).toBe(0);
  });

  it('wakes a waiting getter when a key is added', async () => {
    const q = new WorkQueue();
    const p1 = q.get();
    const p2 = q.get();
    q.add('x');
    q.add('y');
    expect(await p1).toBe('x');
    expect(await p2).toBe('y');
  });

  it('addAfter delivers in due order, and the earliest delay wins for one key', async () => {
    vi.useFakeTimers();
    const q = new WorkQueue();
    q.addAfter('a', 30);
    q.addAfter('b', 10);
    q.addAfter('c', 20);
    q.addAfter('now', 0);
    expect(q.len()).toBe(1);
    expect(await q.get()).toBe('now');
    vi.advanceTimersByTime(9);
    expect(q.len()).toBe(0);
    vi.advanceTimersByTime(21);
    expect([await q.get(), await q.get(), await q.get()]).toEqual(['b', 'c', 'a']);
    for (const k of ['now', 'a', 'b', 'c']) q.done(k);

    q.addAfter('k', 100);
    q.addAfter('k', 10); // earlier: replaces
    q.addAfter('k', 50); // later: ignored
    expect(vi.getTimerCount()).toBe(1);
    vi.advanceTimersByTime(10);
    expect(q.len()).toBe(1);
    expect(await q.get()).toBe('k');
    q.done('k');
    vi.advanceTimersByTime(1000);
    expect(q.len()).toBe(0);
  });

  it('addRateLimited backs off 5, 10, 20 ... per key; forget resets; numRequeues counts', async () => {
    vi.useFakeTimers();
    const q = new WorkQueue({ rateLimiter: exponentialBackoff({ baseMs: 5, maxMs: 20 }) });
    const delays: number[] = [];
    for (let i = 0; i < 5; i++) {
      q.addRateLimited('k');
      let waited = 0;
      while (q.len() === 0) {
        vi.advanceTimersByTime(1);
        waited++;
      }
      delays.push(waited);
      expect(await q.get()).toBe('k');
      q.done('k');
    }
    expect(delays).toEqual([5, 10, 20, 20, 20]);
    expect(q.numRequeues('k')).toBe(5);
    q.forget('k');
    expect(q.numRequeues('k')).toBe(0);
    q.addRateLimited('k');
    vi.advanceTimersByTime(4);
    expect(q.len()).toBe(0);
    vi.advanceTimersByTime(1);
    expect(q.len()).toBe(1);
  });

  it('shutDown wakes getters, stops accepting keys, clears timers, still hands out queued keys', async () => {
    vi.useFakeTimers();
    const q = new WorkQueue();
    const waiting = [q.get(), q.get()];
    q.addAfter('later', 1000);
    expect(vi.getTimerCount()).toBe(1);
    q.shutDown();
    expect(await Promise.all(waiting)).toEqual([undefined, undefined]);
    expect(vi.getTimerCount()).toBe(0);
    expect(q.isShuttingDown()).toBe(true);
    q.add('x');
    q.addAfter('y', 5);
    q.addRateLimited('z');
    expect(q.len()).toBe(0);
    expect(vi.getTimerCount()).toBe(0);
    expect(await q.get()).toBeUndefined();

    const q2 = new WorkQueue();
    q2.add('a');
    q2.add('b');
    q2.shutDown();
    expect(await q2.get()).toBe('a');
    expect(await q2.get()).toBe('b');
    expect(await q2.get()).toBeUndefined();
  });

  it('shutDownWithDrain waits until every handed-out key is done', async () => {
    const q = new WorkQueue();
    q.add('a');
    q.add('b');
    expect(await q.get()).toBe('a');
    expect(await q.get()).toBe('b');
    const drained = q.shutDownWithDrain();
    expect(await isSettled(drained)).toBe(false);
    q.done('a');
    expect(await isSettled(drained)).toBe(false);
    q.done('b');
    await drained;
    await new WorkQueue().shutDownWithDrain(); // nothing in flight: resolves at once
  });

  it('property: no key is handed out while in flight; each dirty period is handed out exactly once', async () => {
    const keys = ['a', 'b', 'c', 'd'];
    const op = fc.oneof(
      fc.record({ op: fc.constant('add' as const), key: fc.constantFrom(...keys) }),
      fc.record({ op: fc.constant('addAfter' as const), key: fc.constantFrom(...keys), ms: fc.integer({ min: -5, max: 50 }) }),
      fc.record({ op: fc.constant('get' as const) }),
      fc.record({ op: fc.constant('done' as const), pick: fc.nat() }),
      fc.record({ op: fc.constant('tick' as const), ms: fc.integer({ min: 0, max: 60 }) }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(op, { maxLength: 80 }), async (ops) => {
        vi.useFakeTimers();
        try {
          const q = new WorkQueue<string>();
          // The model: which keys need handing out, which are in flight, and pending delayed adds.
          const pending = new Set<string>();
          const inFlight: string[] = [];
          const delayed = new Map<string, number>();
          let now = 0;
          const modelAdd = (k: string) => pending.add(k);
          const modelTick = (ms: number) => {
            now += ms;
            const due = [...delayed].filter(([, at]) => at <= now).sort((x, y) => x[1] - y[1]);
            for (const [k] of due) {
              delayed.delete(k);
              modelAdd(k);
            }
          };
          const expectedLen = () => [...pending].filter((k) => !inFlight.includes(k)).length;
          const take = async () => {
            const k = await q.get();
            expect(k).toBeDefined();
            const key = k as string;
            expect(inFlight).not.toContain(key);
            expect(pending.has(key)).toBe(true);
            pending.delete(key);
            inFlight.push(key);
          };

          for (const o of ops) {
            switch (o.op) {
              case 'add':
                q.add(o.key);
                modelAdd(o.key);
                break;
              case 'addAfter':
                q.addAfter(o.key, o.ms);
                if (o.ms <= 0) modelAdd(o.key);
                else if ((delayed.get(o.key) ?? Infinity) > now + o.ms) delayed.set(o.key, now + o.ms);
                break;
              case 'get':
                if (q.len() > 0) await take();
                break;
              case 'done':
                if (inFlight.length > 0) {
                  const [k] = inFlight.splice(o.pick % inFlight.length, 1);
                  q.done(k as string);
                }
                break;
              case 'tick':
                vi.advanceTimersByTime(o.ms);
                modelTick(o.ms);
                break;
            }
            expect(q.len()).toBe(expectedLen());
          }
          // Finish: complete in-flight work, fire every delayed add, hand out everything left.
          while (inFlight.length > 0) q.done(inFlight.pop() as string);
          vi.advanceTimersByTime(1000);
          modelTick(1000);
          while (q.len() > 0) {
            await take();
            q.done(inFlight.pop() as string);
          }
          expect([...pending]).toEqual([]);
          q.shutDown();
          expect(vi.getTimerCount()).toBe(0);
        } finally {
          vi.useRealTimers();
        }
      }),
      { numRuns: 300 },
    );
  });
});
