export interface EventuallyOptions {
  /** Give up after this long (default 10 s). */
  timeoutMs?: number;
  /** Wait this long between tries (default 20 ms). */
  intervalMs?: number;
}

/**
 * Calls `fn` until it returns without throwing (an assertion that holds) and resolves with its
 * result; after `timeoutMs` rethrows the last failure. Use it instead of sleeping in tests.
 */
export async function eventually<T>(fn: () => T | Promise<T>, options: EventuallyOptions = {}): Promise<T> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const intervalMs = options.intervalMs ?? 20;
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      return await fn();
    } catch (err) {
      lastError = err;
    }
    if (Date.now() >= deadline) {
      if (lastError instanceof Error) {
        lastError.message = `eventually() gave up after ${timeoutMs} ms: ${lastError.message}`;
      }
      throw lastError;
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
