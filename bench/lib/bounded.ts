import { nowMs } from './stats.js';

/** What a bounded loop did: operations completed, elapsed seconds, and whether the time budget cut it short. */
export interface BoundedRun {
  ops: number;
  seconds: number;
  truncated: boolean;
  /** Operations per second over the run. */
  rate: number;
}

/**
 * Runs `fn(0)`, `fn(1)`, … sequentially (each awaited) up to `count` times, stopping early once
 * `budgetMs` has elapsed, and returns the achieved rate.
 */
export async function boundedSequential(count: number, budgetMs: number, fn: (i: number) => Promise<unknown>): Promise<BoundedRun> {
  const start = nowMs();
  const deadline = start + budgetMs;
  let ops = 0;
  while (ops < count) {
    await fn(ops);
    ops++;
    if (nowMs() > deadline) break;
  }
  const seconds = (nowMs() - start) / 1000;
  return { ops, seconds, truncated: ops < count, rate: ops / seconds };
}
