import { SkiffError } from '../errors.js';
import type { RateLimiter } from './rate-limiter.js';
import {
  TerminalError,
  isTerminalError,
  parseRequestKey,
  requestKey,
  type ReconcileContext,
  type ReconcileLogger,
  type ReconcileResult,
  type Reconciler,
  type Request,
} from './types.js';
import { WorkQueue } from './work-queue.js';

/**
 * The `setImmediate` present when this module loaded. Workers yield to the event loop through it
 * between reconciles, so a stream of synchronous reconciles cannot starve timers and I/O; taking
 * it at load time keeps fake timers installed later by tests from stalling the workers.
 */
const realSetImmediate = globalThis.setImmediate;
function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => realSetImmediate(resolve));
}

export interface ControllerOptions {
  /** Names the controller in logs and errors. */
  name: string;
  /** The reconcile function; see {@link Reconciler} and {@link ReconcileResult} for the contract. */
  reconcile: Reconciler;
  /** How many keys may be reconciled at once (never the same key twice). Default 1. */
  maxConcurrentReconciles?: number;
  /** Backoff for retries; default `defaultControllerRateLimiter()` (5 ms doubling to 1000 s, overall 10 qps burst 100). */
  rateLimiter?: RateLimiter<string>;
  /**
   * Called after a reconcile threw an ordinary error (the key has already been re-added
   * rate-limited). Must not throw (errors are caught and logged) and should return quickly.
   */
  onError?(req: Request, err: unknown): void;
  /**
   * Called after a reconcile threw a terminal error (already recorded in `terminalErrors`; the
   * key is not retried). Must not throw (errors are caught and logged) and should return quickly.
   */
  onTerminalError?(req: Request, err: TerminalError): void;
  /** Passed to every reconcile as `ctx.logger`; the controller also logs failures to it. */
  logger?: ReconcileLogger;
  /**
   * How long `stop()` lets running reconciles finish before aborting their `ctx.signal`.
   * Default 30_000 ms (controller-runtime's graceful shutdown timeout); `Infinity` never aborts.
   */
  drainTimeoutMs?: number;
}

/**
 * Runs a {@link Reconciler} for keys from a rate-limited {@link WorkQueue} with
 * `maxConcurrentReconciles` workers (controller-runtime semantics).
 *
 * Outcomes of one reconcile of `key`:
 * - returned nothing: `forget(key)` (the backoff is reset);
 * - returned `{ requeueAfterMs: n > 0 }`: `forget(key)` and `addAfter(key, n)`;
 * - returned `{ requeue: true }`: `addRateLimited(key)`;
 * - threw a terminal error (see `isTerminalError`): the error is recorded in `terminalErrors`,
 *   `onTerminalError` is called, `forget(key)`, no retry;
 * - threw anything else: `addRateLimited(key)` (per-key exponential backoff), `onError` is called
 *   (unless the reconcile's signal had been aborted by `stop()`: then it is only logged).
 * Any non-throwing outcome removes the key from `terminalErrors`.
 *
 * Keys enqueued before `start()` wait for it. After `stop()` enqueueing is a no-op and the
 * controller cannot be started again.
 */
export class Controller {
  /** The controller's name, from its options. */
  readonly name: string;
  private readonly reconcile: Reconciler;
  private readonly workerCount: number;
  private readonly options: ControllerOptions;
  private readonly queue: WorkQueue<string>;
  private readonly terminal = new Map<string, TerminalError>();
  private readonly inFlight = new Map<string, AbortController>();
  private workers: Promise<void>[] = [];
  private started = false;
  private stopping = false;
  private stopPromise: Promise<void> | undefined;

  constructor(options: ControllerOptions) {
    const max = options.maxConcurrentReconciles ?? 1;
    if (!Number.isInteger(max) || max < 1) {
      throw new RangeError(`maxConcurrentReconciles must be an integer >= 1, got ${max}`);
    }
    const drain = options.drainTimeoutMs;
    if (drain !== undefined && !(drain >= 0)) throw new RangeError(`drainTimeoutMs must be >= 0, got ${drain}`);
    this.name = options.name;
    this.reconcile = options.reconcile;
    this.workerCount = max;
    this.options = options;
    this.queue = new WorkQueue<string>(options.rateLimiter ? { rateLimiter: options.rateLimiter } : {});
  }

  /**
   * The last terminal error of each key that has not reconciled successfully since, by request
   * key (`ns/name` or `name`). A live read-only view; do not cast it and mutate it.
   */
  get terminalErrors(): ReadonlyMap<string, TerminalError> {
    return this.terminal;
  }

  /**
   * Asks for `req` to be reconciled (deduplicated with pending requests for the same key; a key
   * being reconciled runs once more afterwards). No-op after `stop()`.
   *
   * @throws TypeError for a request without a name or with `/` in a part (see `requestKey`).
   */
  enqueue(req: Request): void {
    this.queue.add(requestKey(req));
  }

  /**
   * Asks for `req` to be reconciled after `ms` (the earliest pending delay for a key wins; `ms <= 0`
   * is `enqueue`). No-op after `stop()`. @throws TypeError as `enqueue`.
   */
  enqueueAfter(req: Request, ms: number): void {
    this.queue.addAfter(requestKey(req), ms);
  }

  /**
   * Starts `maxConcurrentReconciles` workers. Idempotent while running.
   *
   * @throws SkiffError `SKIFF_ERR_QUEUE_SHUT_DOWN` after `stop()`: a controller is not restartable.
   */
  start(): void {
    if (this.stopping) {
      throw new SkiffError('SKIFF_ERR_QUEUE_SHUT_DOWN', `controller ${this.name} has been stopped and cannot be started again`, {
        controller: this.name,
      });
    }
    if (this.started) return;
    this.started = true;
    for (let i = 0; i < this.workerCount; i++) this.workers.push(this.runWorker());
  }

  /**
   * Stops the controller: no new reconcile starts (queued keys are dropped, delayed requeues are
   * cancelled), running reconciles may finish. If they have not finished after the drain timeout
   * (`options.drainTimeoutMs`, else the controller's `drainTimeoutMs`), their `ctx.signal` is
   * aborted with a `SKIFF_ERR_QUEUE_SHUT_DOWN` error as reason. Resolves once no worker runs (so
   * a reconcile that ignores its signal delays it). Idempotent: later calls return the same promise.
   */
  stop(options: { drainTimeoutMs?: number } = {}): Promise<void> {
    if (this.stopPromise) return this.stopPromise;
    this.stopping = true;
    this.queue.shutDown();
    const drainMs = options.drainTimeoutMs ?? this.options.drainTimeoutMs ?? 30_000;
    this.stopPromise = this.drain(drainMs);
    return this.stopPromise;
  }

  private async drain(drainMs: number): Promise<void> {
    const all = Promise.all(this.workers).then(() => 'done' as const);
    if (drainMs !== Infinity) {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const timeout = new Promise<'timeout'>((resolve) => {
        timer = setTimeout(() => resolve('timeout'), Math.min(drainMs, 2_147_483_647));
      });
      const first = await Promise.race([all, timeout]);
      clearTimeout(timer);
      if (first === 'timeout') {
        const reason = new SkiffError(
          'SKIFF_ERR_QUEUE_SHUT_DOWN',
          `controller ${this.name} is stopping and its drain timeout (${drainMs} ms) has passed`,
          { controller: this.name, drainTimeoutMs: drainMs },
        );
        for (const ac of this.inFlight.values()) ac.abort(reason);
      }
    }
    await all;
  }

  private async runWorker(): Promise<void> {
    for (;;) {
      const key = await this.queue.get();
      if (key === undefined) return;
      if (this.stopping) {
        this.queue.done(key);
        return;
      }
      await this.processKey(key);
      await yieldToEventLoop();
    }
  }

  private async processKey(key: string): Promise<void> {
    const req = parseRequestKey(key);
    const ac = new AbortController();
    this.inFlight.set(key, ac);
    const ctx: ReconcileContext = {
      signal: ac.signal,
      attempt: this.queue.numRequeues(key) + 1,
      ...(this.options.logger ? { logger: this.options.logger } : {}),
    };
    try {
      let result: ReconcileResult;
      try {
        result = await this.reconcile(ctx, req);
      } catch (err) {
        this.handleFailure(key, req, ctx.attempt, err, ac.signal.aborted);
        return;
      }
      this.terminal.delete(key);
      const requeueAfterMs = result && typeof result === 'object' ? result.requeueAfterMs : undefined;
      if (typeof requeueAfterMs === 'number' && requeueAfterMs > 0) {
        this.queue.forget(key);
        this.queue.addAfter(key, requeueAfterMs);
      } else if (result && typeof result === 'object' && result.requeue === true) {
        this.queue.addRateLimited(key);
      } else {
        this.queue.forget(key);
      }
    } finally {
      this.inFlight.delete(key);
      this.queue.done(key);
    }
  }

  private handleFailure(key: string, req: Request, attempt: number, err: unknown, aborted: boolean): void {
    if (isTerminalError(err)) {
      const terminal = err instanceof TerminalError ? err : new TerminalError(err.message, { details: err.details, cause: err });
      this.terminal.set(key, terminal);
      this.queue.forget(key);
      this.logError('reconcile failed terminally', { key, attempt, error: terminal });
      this.callHook('onTerminalError', () => this.options.onTerminalError?.(req, terminal));
    } else if (aborted) {
      // stop() aborted it after the drain timeout: the failure is the shutdown's, not the object's.
      this.logError('reconcile aborted by stop', { key, attempt, error: err });
    } else {
      this.queue.addRateLimited(key);
      this.logError('reconcile failed; will retry', { key, attempt, error: err });
      this.callHook('onError', () => this.options.onError?.(req, err));
    }
  }

  /** Logs to the configured logger; a throwing logger is ignored (there is nowhere to report it). */
  private logError(message: string, fields: Record<string, unknown>): void {
    try {
      this.options.logger?.error(message, { controller: this.name, ...fields });
    } catch {
      // ignored
    }
  }

  private callHook(name: string, fn: () => unknown): void {
    const report = (error: unknown) => this.logError(`${name} threw`, { error });
    try {
      const ret = fn();
      if (ret instanceof Promise) ret.catch(report);
    } catch (error) {
      report(error);
    }
  }
}

/** `new Controller(options)`. */
export function createController(options: ControllerOptions): Controller {
  return new Controller(options);
}
