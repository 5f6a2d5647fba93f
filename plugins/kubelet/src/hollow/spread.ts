/** Runs `fn` for every item with at most `limit` calls in flight; resolves when all settled (errors are returned, not thrown). */
export async function forEachLimit<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<unknown[]> {
  const errors: unknown[] = [];
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++]!;
      try {
        await fn(item);
      } catch (err) {
        errors.push(err);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return errors;
}

/**
 * Runs `task(item)` for every item once per `periodMs`, the items spread evenly over the period
 * (item `i` of `n` at offset `i·periodMs/n`), with at most `concurrency` tasks in flight. One timer
 * drives all items. A task that fails is counted in `failures` and tried again next period. When
 * the tasks cannot keep up, due items wait (never more than one run per item is owed).
 */
export class PeriodicSpread<T> {
  /** How many task runs failed. */
  failures = 0;
  /** How many task runs completed (successfully or not). */
  runs = 0;
  private timer: ReturnType<typeof setInterval> | undefined;
  private started = 0;
  private dispatched = 0;
  private inFlight = 0;
  private readonly idle = new Set<() => void>();

  constructor(
    private readonly items: readonly T[],
    private readonly periodMs: number,
    private readonly concurrency: number,
    private readonly task: (item: T) => Promise<void>,
  ) {}

  /** Starts the loop; the first item is due one tick after now. */
  start(): void {
    if (this.timer || this.items.length === 0) return;
    this.started = Date.now();
    this.dispatched = 0;
    const tickMs = Math.max(5, Math.min(1_000, this.periodMs / this.items.length));
    this.timer = setInterval(() => this.tick(), tickMs);
    this.timer.unref?.();
  }

  /** Stops dispatching and resolves once the tasks in flight settled. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    if (this.inFlight === 0) return;
    await new Promise<void>((resolve) => this.idle.add(resolve));
  }

  private tick(): void {
    const n = this.items.length;
    const due = Math.floor(((Date.now() - this.started) * n) / this.periodMs);
    // Never owe more than one full period.
    if (due - this.dispatched > n) this.dispatched = due - n;
    while (this.dispatched < due && this.inFlight < this.concurrency) {
      const item = this.items[this.dispatched % n]!;
      this.dispatched++;
      this.inFlight++;
      this.task(item)
        .catch(() => {
          this.failures++;
        })
        .finally(() => {
          this.runs++;
          this.inFlight--;
          if (this.inFlight === 0) for (const resolve of [...this.idle]) resolve();
          if (this.inFlight === 0) this.idle.clear();
        });
    }
  }
}
