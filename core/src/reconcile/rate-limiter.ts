/**
 * Decides how long a key must wait before it is retried (client-go `workqueue.RateLimiter`).
 *
 * Contract:
 * - `when(key)` records one more failure of `key` and returns the delay in ms (>= 0) before the
 *   key may be processed again. It is called once per retry, so it is not a pure query.
 * - `forget(key)` says the key succeeded: its failure history is dropped. Limiters that are not
 *   per key (a token bucket) ignore it.
 * - `failures(key)` is how many times `when(key)` was called since the last `forget(key)`.
 *
 * Keys are compared with `SameValueZero` (use strings for structured keys).
 */
export interface RateLimiter<K = string> {
  when(key: K): number;
  forget(key: K): void;
  failures(key: K): number;
}

export interface ExponentialBackoffOptions {
  /** The first delay in ms. Default 5. */
  baseMs?: number;
  /** The largest delay in ms. Default 1_000_000 (client-go's 1000 s). */
  maxMs?: number;
}

function checkNonNegative(value: number, what: string): void {
  if (!(value >= 0) || !Number.isFinite(value)) throw new RangeError(`${what} must be a finite number >= 0, got ${value}`);
}

/**
 * Per-key exponential backoff (client-go `ItemExponentialFailureRateLimiter`): the n-th
 * consecutive `when(key)` (n from 0) returns `baseMs * 2^n`, capped at `maxMs`, so with the
 * defaults 5, 10, 20, 40, ... ms. `forget(key)` starts the key over at `baseMs`. Memory grows with
 * the number of keys that failed and were not forgotten.
 */
export function exponentialBackoff<K = string>(options: ExponentialBackoffOptions = {}): RateLimiter<K> {
  const baseMs = options.baseMs ?? 5;
  const maxMs = options.maxMs ?? 1_000_000;
  checkNonNegative(baseMs, 'baseMs');
  checkNonNegative(maxMs, 'maxMs');
  const counts = new Map<K, number>();
  return {
    when(key) {
      const n = counts.get(key) ?? 0;
      counts.set(key, n + 1);
      // 2^n overflows to Infinity for large n, which the cap handles.
      const delay = baseMs * 2 ** n;
      return delay > maxMs ? maxMs : delay;
    },
    forget(key) {
      counts.delete(key);
    },
    failures(key) {
      return counts.get(key) ?? 0;
    },
  };
}

export interface TokenBucketOptions {
  /** Tokens added per second. Default 10. */
  qps?: number;
  /** Bucket size, and the tokens it starts with. Default 100. */
  burst?: number;
  /** Clock in ms; default `performance.now()`. */
  now?: () => number;
}

/**
 * An overall token bucket shared by every key (client-go `BucketRateLimiter`, `rate.Limiter`
 * reservations): each `when()` takes one token and returns how long until that token exists
 * (0 while the bucket has tokens). It limits the total retry rate, not any key's. `forget` is a
 * no-op and `failures` is always 0.
 */
export function tokenBucket<K = string>(options: TokenBucketOptions = {}): RateLimiter<K> {
  const qps = options.qps ?? 10;
  const burst = options.burst ?? 100;
  const now = options.now ?? (() => performance.now());
  if (!(qps > 0) || !Number.isFinite(qps)) throw new RangeError(`qps must be a finite number > 0, got ${qps}`);
  if (!(burst >= 1) || !Number.isFinite(burst)) throw new RangeError(`burst must be a finite number >= 1, got ${burst}`);
  let tokens = burst;
  let last = now();
  return {
    when() {
      const t = now();
      if (t > last) {
        tokens = Math.min(burst, tokens + ((t - last) / 1000) * qps);
        last = t;
      }
      tokens -= 1;
      return tokens >= 0 ? 0 : (-tokens / qps) * 1000;
    },
    forget() {},
    failures() {
      return 0;
    },
  };
}

/**
 * Combines limiters (client-go `MaxOfRateLimiter`): `when` calls every limiter and returns the
 * largest delay, `forget` forgets in all, `failures` is the largest count.
 */
export function maxOfRateLimiters<K = string>(...limiters: RateLimiter<K>[]): RateLimiter<K> {
  if (limiters.length === 0) throw new RangeError('maxOfRateLimiters needs at least one limiter');
  return {
    when(key) {
      let max = 0;
      for (const l of limiters) max = Math.max(max, l.when(key));
      return max;
    },
    forget(key) {
      for (const l of limiters) l.forget(key);
    },
    failures(key) {
      let max = 0;
      for (const l of limiters) max = Math.max(max, l.failures(key));
      return max;
    },
  };
}

export interface DefaultControllerRateLimiterOptions extends ExponentialBackoffOptions, TokenBucketOptions {}

/**
 * The default controller rate limiter, as client-go's `DefaultControllerRateLimiter`:
 * `max(exponentialBackoff({ baseMs: 5, maxMs: 1_000_000 }), tokenBucket({ qps: 10, burst: 100 }))`.
 * Every option can be overridden.
 */
export function defaultControllerRateLimiter<K = string>(options: DefaultControllerRateLimiterOptions = {}): RateLimiter<K> {
  const exp: ExponentialBackoffOptions = {};
  if (options.baseMs !== undefined) exp.baseMs = options.baseMs;
  if (options.maxMs !== undefined) exp.maxMs = options.maxMs;
  const bucket: TokenBucketOptions = {};
  if (options.qps !== undefined) bucket.qps = options.qps;
  if (options.burst !== undefined) bucket.burst = options.burst;
  if (options.now !== undefined) bucket.now = options.now;
  return maxOfRateLimiters<K>(exponentialBackoff<K>(exp), tokenBucket<K>(bucket));
}
