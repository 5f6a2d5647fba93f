import { defaultControllerRateLimiter, type RateLimiter } from './rate-limiter.js';

/** The longest delay `setTimeout` honours; longer `addAfter` delays are clamped to it (~24.8 days). */
const MAX_TIMER_MS = 2_147_483_647;

export interface WorkQueueOptions<K> {
  /** Used by `addRateLimited`, `forget` and `numRequeues`. Default `defaultControllerRateLimiter()`. */
  rateLimiter?: RateLimiter<K>;
}

/**
 * A work queue with client-go `workqueue` semantics (a rate-limited, delaying, deduplicating FIFO).
 *
 * Contract:
 * - A key is in at most one of three states: waiting in the queue, being processed (handed out by
 *   `get()` and not yet `done()`), or neither. It may additionally have one pending delayed add.
 * - `add(key)` of a waiting key does nothing (it is held once, at its original position). `add`
 *   of a key being processed marks it dirty: it is queued again only when `done(key)` is called,
 *   so one key is never handed out twice at the same time, however many consumers call `get()`.
 * - Keys are handed out in FIFO order of when they (last) entered the queue.
 * - Every `get()` that resolves with a key must be followed by exactly one `done(key)`.
 * - `addAfter(key, ms)` adds the key after `ms` (timers; `ms <= 0` adds now). Only one delayed
 *   add is kept per key: a later `addAfter` replaces it only if it is due earlier. A plain `add`
 *   does not cancel a pending delayed add.
 * - `addRateLimited(key)` is `addAfter(key, rateLimiter.when(key))`; `forget(key)` resets the
 *   key's backoff (call it when the key succeeded); `numRequeues(key)` is its failure count.
 * - `shutDown()` stops accepting keys (`add*` become no-ops), clears every delayed-add timer (so
 *   the queue keeps nothing alive), and wakes all waiting `get()` calls. Keys already queued are
 *   still handed out; `get()` resolves `undefined` once the queue is shut down and empty. A key
 *   that was dirty while processing is still queued by its `done()`.
 *
 * Keys are compared with `SameValueZero`; use strings (or other primitives) for structured keys.
 */
export class WorkQueue<K = string> {
  private readonly queue: K[] = [];
  /** Index of the first live element of `queue` (amortised O(1) dequeue). */
  private head = 0;
  /** Keys that need processing: waiting in the queue, or added again while processing. */
  private readonly dirty = new Set<K>();
  private readonly processing = new Set<K>();
  private readonly waiting = new Map<K, { readyAt: number; timer: ReturnType<typeof setTimeout> }>();
  private readonly getters: Array<(key: K | undefined) => void> = [];
  private drainWaiters: Array<() => void> = [];
  private shuttingDown = false;
  private readonly rateLimiter: RateLimiter<K>;

  constructor(options: WorkQueueOptions<K> = {}) {
    this.rateLimiter = options.rateLimiter ?? defaultControllerRateLimiter<K>();
  }

  /** Queues `key` unless it is already waiting; a key being processed is queued again on `done`. No-op after shutdown. */
  add(key: K): void {
    if (this.shuttingDown) return;
    if (this.dirty.has(key)) return;
    this.dirty.add(key);
    if (this.processing.has(key)) return;
    this.queue.push(key);
    this.handOut();
  }

  /**
   * Adds `key` after `delayMs` ms (immediately when `delayMs <= 0` or not a number). If the key
   * already has a pending delayed add, the earlier of the two wins. No-op after shutdown.
   */
  addAfter(key: K, delayMs: number): void {
    if (this.shuttingDown) return;
    if (!(delayMs > 0)) {
      this.add(key);
      return;
    }
    const ms = Math.min(delayMs, MAX_TIMER_MS);
    const readyAt = performance.now() + ms;
    const existing = this.waiting.get(key);
    if (existing !== undefined) {
      if (existing.readyAt <= readyAt) return;
      clearTimeout(existing.timer);
    }
    const timer = setTimeout(() => {
      if (this.waiting.get(key)?.timer !== timer) return;
      this.waiting.delete(key);
      this.add(key);
    }, ms);
    this.waiting.set(key, { readyAt, timer });
  }

  /** `addAfter(key, rateLimiter.when(key))`: records a failure and re-adds the key after its backoff. */
  addRateLimited(key: K): void {
    if (this.shuttingDown) return;
    this.addAfter(key, this.rateLimiter.when(key));
  }

  /** Resets the key's backoff (its failure count). Does not remove the key from the queue. */
  forget(key: K): void {
    this.rateLimiter.forget(key);
  }

  /** How many rate-limited re-adds the key had since it was last forgotten. */
  numRequeues(key: K): number {
    return this.rateLimiter.failures(key);
  }

  /**
   * The next key, marked as being processed; waits while the queue is empty. Resolves `undefined`
   * once the queue is shut down and empty. The caller must call `done(key)` when finished.
   */
  get(): Promise<K | undefined> {
    if (this.head < this.queue.length) return Promise.resolve(this.take());
    if (this.shuttingDown) return Promise.resolve(undefined);
    return new Promise((resolve) => this.getters.push(resolve));
  }

  /**
   * Marks `key` as no longer being processed. If it was added while being processed, it is queued
   * again now. Calling it for a key that is not being processed does nothing.
   */
  done(key: K): void {
    if (!this.processing.delete(key)) return;
    if (this.dirty.has(key)) {
      this.queue.push(key);
      this.handOut();
    }
    if (this.processing.size === 0 && this.drainWaiters.length > 0) {
      const waiters = this.drainWaiters;
      this.drainWaiters = [];
      for (const w of waiters) w();
    }
  }

  /** How many keys are waiting in the queue (not counting keys being processed or delayed adds). */
  len(): number {
    return this.queue.length - this.head;
  }

  /** How many keys are being processed (handed out and not yet done). */
  processingCount(): number {
    return this.processing.size;
  }

  /** True once `shutDown()` or `shutDownWithDrain()` has been called. */
  isShuttingDown(): boolean {
    return this.shuttingDown;
  }

  /** Stops accepting keys, clears delayed-add timers and wakes every waiting `get()`. Idempotent. */
  shutDown(): void {
    if (this.shuttingDown) return;
    this.shuttingDown = true;
    for (const { timer } of this.waiting.values()) clearTimeout(timer);
    this.waiting.clear();
    const getters = this.getters.splice(0);
    for (const g of getters) g(undefined);
  }

  /**
   * `shutDown()`, then resolves once no key is being processed (every handed-out key got its
   * `done`). Keys still waiting in the queue are not waited for.
   */
  shutDownWithDrain(): Promise<void> {
    this.shutDown();
    if (this.processing.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.drainWaiters.push(resolve));
  }

  private take(): K {
    const key = this.queue[this.head] as K;
    this.head++;
    if (this.head === this.queue.length) {
      this.queue.length = 0;
      this.head = 0;
    } else if (this.head > 1024 && this.head * 2 > this.queue.length) {
      this.queue.splice(0, this.head);
      this.head = 0;
    }
    this.dirty.delete(key);
    this.processing.add(key);
    return key;
  }

  /** Gives queued keys to waiting getters; bookkeeping happens now, the promise settles later. */
  private handOut(): void {
    while (this.getters.length > 0 && this.head < this.queue.length) {
      const getter = this.getters.shift() as (key: K | undefined) => void;
      getter(this.take());
    }
  }
}
