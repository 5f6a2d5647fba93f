// Test helpers for the reconcile tests. Timer functions are captured when this module loads, so
// they keep working (in real time) while a test has fake timers installed.
const realSetTimeout = globalThis.setTimeout;
const realNow = performance.now.bind(performance);

/** Resolves after `ms` of real time, whatever fake timers are installed. */
export function realDelay(ms: number): Promise<void> {
  return new Promise((resolve) => realSetTimeout(resolve, ms));
}

/**
 * Calls `fn` until it returns (or resolves) without throwing, and returns its value; after
 * `timeoutMs` (default 5000) of real time, rethrows the last failure.
 */
export async function eventually<T>(
  fn: () => T | Promise<T>,
  options: { timeoutMs?: number; intervalMs?: number } = {},
): Promise<T> {
  const deadline = realNow() + (options.timeoutMs ?? 5000);
  const interval = options.intervalMs ?? 2;
  for (;;) {
    try {
      return await fn();
    } catch (err) {
      if (realNow() > deadline) throw err;
    }
    await realDelay(interval);
  }
}

/** A promise with its resolve function exposed. */
export function deferred<T = void>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

/** Whether `p` has settled, checked after letting pending callbacks run. */
export async function isSettled(p: Promise<unknown>): Promise<boolean> {
  let settled = false;
  p.then(
    () => (settled = true),
    () => (settled = true),
  );
  await realDelay(0);
  return settled;
}
