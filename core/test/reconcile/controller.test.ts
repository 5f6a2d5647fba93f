import { afterEach, describe, expect, it, vi } from 'vitest';
import { SkiffError, isSkiffError } from '../../src/errors.js';
import {
  Controller,
  TerminalError,
  createController,
  exponentialBackoff,
  isTerminalError,
  parseRequestKey,
  requestForObject,
  requestKey,
  type ReconcileContext,
  type Reconciler,
  type Request,
} from '../../src/reconcile/index.js';
import { deferred, eventually, isSettled, realDelay } from './eventually.js';

const controllers: Controller[] = [];
function make(options: ConstructorParameters<typeof Controller>[0]): Controller {
  const c = createController(options);
  controllers.push(c);
  return c;
}
afterEach(async () => {
  await Promise.all(controllers.splice(0).map((c) => c.stop({ drainTimeoutMs: 0 })));
});

describe('requests', () => {
  it('requestKey and parseRequestKey round-trip', () => {
    expect(requestKey({ namespace: 'ns', name: 'a' })).toBe('ns/a');
    expect(requestKey({ name: 'node-1' })).toBe('node-1');
    expect(requestKey({ namespace: '', name: 'node-1' })).toBe('node-1');
    expect(parseRequestKey('ns/a')).toEqual({ namespace: 'ns', name: 'a' });
    expect(parseRequestKey('node-1')).toEqual({ name: 'node-1' });
    expect('namespace' in parseRequestKey('node-1')).toBe(false);
    for (const bad of ['', '/a', 'a/', 'a/b/c']) expect(() => parseRequestKey(bad)).toThrow(TypeError);
    expect(() => requestKey({ name: '' })).toThrow(TypeError);
    expect(() => requestKey({ name: 'a/b' })).toThrow(TypeError);
    expect(() => requestKey({ namespace: 'x/y', name: 'a' })).toThrow(TypeError);
    expect(requestForObject({ apiVersion: 'v1', kind: 'Pod', metadata: { namespace: 'ns', name: 'p' } })).toEqual({
      namespace: 'ns',
      name: 'p',
    });
  });

  it('TerminalError carries the terminal code', () => {
    const err = new TerminalError('bad spec', { details: { field: 'spec.x' } });
    expect(isSkiffError(err, 'SKIFF_ERR_RECONCILE_TERMINAL')).toBe(true);
    expect(err.details).toEqual({ field: 'spec.x' });
    expect(isTerminalError(err)).toBe(true);
    expect(isTerminalError(new SkiffError('SKIFF_ERR_RECONCILE_TERMINAL', 'x'))).toBe(true);
    expect(isTerminalError(new Error('x'))).toBe(false);
  });
});

describe('Controller', () => {
  it('reconciles enqueued requests (queued before start too) with parsed requests', async () => {
    const seen: Request[] = [];
    const c = make({ name: 't', reconcile: (_ctx, req) => void seen.push(req) });
    c.enqueue({ namespace: 'ns', name: 'a' });
    c.enqueue({ name: 'cluster-scoped' });
    c.enqueue({ namespace: 'ns', name: 'a' }); // deduplicated while waiting
    expect(seen).toEqual([]);
    c.start();
    await eventually(() => expect(seen).toEqual([{ namespace: 'ns', name: 'a' }, { name: 'cluster-scoped' }]));
  });

  it('requeueAfterMs re-adds the key after the delay and resets the backoff', async () => {
    const times: number[] = [];
    const attempts: number[] = [];
    const c = make({
      name: 't',
      rateLimiter: exponentialBackoff({ baseMs: 1 }),
      reconcile: (ctx) => {
        times.push(performance.now());
        attempts.push(ctx.attempt);
        return times.length < 3 ? { requeueAfterMs: 30 } : undefined;
      },
    });
    c.start();
    c.enqueue({ name: 'a' });
    await eventually(() => expect(times).toHaveLength(3));
    expect(attempts).toEqual([1, 1, 1]);
    for (let i = 1; i < times.length; i++) expect((times[i] as number) - (times[i - 1] as number)).toBeGreaterThanOrEqual(25);
  });

  it('requeue: true retries rate-limited, counting attempts', async () => {
    const attempts: number[] = [];
    const c = make({
      name: 't',
      rateLimiter: exponentialBackoff({ baseMs: 1 }),
      reconcile: (ctx) => {
        attempts.push(ctx.attempt);
        return ctx.attempt < 4 ? { requeue: true } : {};
      },
    });
    c.start();
    c.enqueue({ name: 'a' });
    await eventually(() => expect(attempts).toEqual([1, 2, 3, 4]));
  });

  it('retries thrown errors with growing delays and reports them to onError', async () => {
    const times: number[] = [];
    const errors: Array<[Request, unknown]> = [];
    const logged: string[] = [];
    const c = make({
      name: 't',
      rateLimiter: exponentialBackoff({ baseMs: 8 }),
      logger: { info: () => {}, error: (m) => logged.push(m) },
      onError: (req, err) => errors.push([req, err]),
      reconcile: (ctx) => {
        times.push(performance.now());
        if (ctx.attempt <= 4) throw new Error(`fail ${ctx.attempt}`);
      },
    });
    c.start();
    c.enqueue({ namespace: 'ns', name: 'a' });
    await eventually(() => expect(times).toHaveLength(5));
    const gaps = times.slice(1).map((t, i) => t - (times[i] as number));
    // base 8 ms: 8, 16, 32, 64 (timers may fire up to ~1 ms early against performance.now)
    gaps.forEach((gap, i) => expect(gap).toBeGreaterThanOrEqual(8 * 2 ** i - 2));
    expect(errors.map(([req, err]) => [req, (err as Error).message])).toEqual([
      [{ namespace: 'ns', name: 'a' }, 'fail 1'],
      [{ namespace: 'ns', name: 'a' }, 'fail 2'],
      [{ namespace: 'ns', name: 'a' }, 'fail 3'],
      [{ namespace: 'ns', name: 'a' }, 'fail 4'],
    ]);
    expect(logged).toHaveLength(4);
    expect(c.terminalErrors.size).toBe(0);
  });

  it('records a TerminalError, does not retry it, and clears it on a later success', async () => {
    let fail = true;
    let calls = 0;
    const terminal: Array<[Request, TerminalError]> = [];
    const c = make({
      name: 't',
      rateLimiter: exponentialBackoff({ baseMs: 1 }),
      onTerminalError: (req, err) => terminal.push([req, err]),
      reconcile: () => {
        calls++;
        if (fail) throw new TerminalError('spec is invalid');
      },
    });
    c.start();
    c.enqueue({ namespace: 'ns', name: 'a' });
    await eventually(() => expect(terminal).toHaveLength(1));
    expect(terminal[0]?.[0]).toEqual({ namespace: 'ns', name: 'a' });
    expect(c.terminalErrors.get('ns/a')?.message).toBe('spec is invalid');
    // Not retried: with a 1 ms backoff a retry would have happened many times over.
    await realDelay(50);
    expect(calls).toBe(1);

    fail = false;
    c.enqueue({ namespace: 'ns', name: 'a' });
    await eventually(() => expect(c.terminalErrors.has('ns/a')).toBe(false));
    expect(calls).toBe(2);
  });

  it('treats a SkiffError with the terminal code as terminal and wraps it', async () => {
    const c = make({
      name: 't',
      reconcile: () => {
        throw new SkiffError('SKIFF_ERR_RECONCILE_TERMINAL', 'nope', { why: 1 });
      },
    });
    c.start();
    c.enqueue({ name: 'a' });
    await eventually(() => expect(c.terminalErrors.get('a')).toBeInstanceOf(TerminalError));
    expect(c.terminalErrors.get('a')?.details).toEqual({ why: 1 });
  });

  it('keeps at most maxConcurrentReconciles running, and never one key twice at once', async () => {
    let running = 0;
    let maxRunning = 0;
    const runningKeys = new Set<string>();
    let overlap = false;
    let total = 0;
    const c = make({
      name: 't',
      maxConcurrentReconciles: 3,
      reconcile: async (_ctx, req) => {
        const key = requestKey(req);
        if (runningKeys.has(key)) overlap = true;
        runningKeys.add(key);
        running++;
        maxRunning = Math.max(maxRunning, running);
        await realDelay(2 + Math.random() * 5);
        running--;
        runningKeys.delete(key);
        total++;
      },
    });
    c.start();
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < 10; i++) c.enqueue({ name: `k${i}` });
      await realDelay(3);
    }
    await eventually(() => {
      expect(total).toBeGreaterThanOrEqual(10);
      expect(running).toBe(0);
    });
    expect(maxRunning).toBe(3);
    expect(overlap).toBe(false);
  });

  it('stop waits for running reconciles, starts no new ones, and ignores later enqueues', async () => {
    const gate = deferred();
    const started: string[] = [];
    let finished = 0;
    let signal: AbortSignal | undefined;
    const c = make({
      name: 't',
      reconcile: async (ctx: ReconcileContext, req) => {
        started.push(req.name);
        signal = ctx.signal;
        await gate.promise;
        finished++;
      },
    });
    c.start();
    c.enqueue({ name: 'a' });
    c.enqueue({ name: 'b' });
    await eventually(() => expect(started).toEqual(['a']));
    const stopped = c.stop();
    expect(c.stop()).toBe(stopped);
    expect(await isSettled(stopped)).toBe(false);
    gate.resolve();
    await stopped;
    expect(finished).toBe(1);
    expect(signal?.aborted).toBe(false);
    c.enqueue({ name: 'c' });
    await realDelay(10);
    expect(started).toEqual(['a']);
    expect(() => c.start()).toThrow(expect.objectContaining({ code: 'SKIFF_ERR_QUEUE_SHUT_DOWN' }));
  });

  it('stop aborts running reconciles after the drain timeout (and does not report that as an error)', async () => {
    let reason: unknown;
    const onError = vi.fn();
    const c = make({
      name: 't',
      drainTimeoutMs: 20,
      onError,
      reconcile: (ctx) =>
        new Promise<void>((_resolve, reject) => {
          ctx.signal.addEventListener('abort', () => {
            reason = ctx.signal.reason;
            reject(reason);
          });
        }),
    });
    c.start();
    c.enqueue({ name: 'a' });
    await realDelay(5);
    const t0 = performance.now();
    await c.stop();
    expect(performance.now() - t0).toBeGreaterThanOrEqual(15);
    expect(isSkiffError(reason, 'SKIFF_ERR_QUEUE_SHUT_DOWN')).toBe(true);
    expect(onError).not.toHaveBeenCalled();
  });

  it('enqueueAfter delays a request', async () => {
    const times: number[] = [];
    const c = make({ name: 't', reconcile: () => void times.push(performance.now()) });
    c.start();
    const t0 = performance.now();
    c.enqueueAfter({ name: 'a' }, 30);
    await eventually(() => expect(times).toHaveLength(1));
    expect((times[0] as number) - t0).toBeGreaterThanOrEqual(25);
  });

  it('survives throwing hooks and a throwing logger', async () => {
    let calls = 0;
    const reconcile: Reconciler = () => {
      calls++;
      if (calls === 1) throw new Error('first');
      if (calls === 2) throw new TerminalError('second');
    };
    const c = make({
      name: 't',
      rateLimiter: exponentialBackoff({ baseMs: 1 }),
      logger: {
        info: () => {},
        error: () => {
          throw new Error('logger broke');
        },
      },
      onError: () => {
        throw new Error('hook broke');
      },
      onTerminalError: () => {
        throw new Error('hook broke');
      },
      reconcile,
    });
    c.start();
    c.enqueue({ name: 'a' });
    await eventually(() => expect(c.terminalErrors.has('a')).toBe(true));
    c.enqueue({ name: 'a' });
    await eventually(() => expect(c.terminalErrors.has('a')).toBe(false));
    expect(calls).toBe(3);
  });

  it('validates its options', () => {
    expect(() => new Controller({ name: 'x', reconcile: () => {}, maxConcurrentReconciles: 0 })).toThrow(RangeError);
  });
});
