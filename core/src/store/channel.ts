/**
 * An unbounded push-to-pull queue: producers `push`, one consumer iterates with `for await`.
 * `close()` ends iteration after buffered items; `fail(err)` makes the next pull reject (after
 * buffered items). Stores and clients use it to hand out watch streams.
 */
export class Channel<T> implements AsyncIterable<T> {
  private buffer: T[] = [];
  private head = 0;
  private waiter: { resolve: (r: IteratorResult<T>) => void; reject: (e: unknown) => void } | undefined;
  private closed = false;
  private error: unknown;
  private onClose: (() => void) | undefined;

  constructor(onClose?: () => void) {
    this.onClose = onClose;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Buffered items not yet pulled. */
  get size(): number {
    return this.buffer.length - this.head;
  }

  push(item: T): void {
    if (this.closed) return;
    if (this.waiter) {
      const w = this.waiter;
      this.waiter = undefined;
      w.resolve({ value: item, done: false });
      return;
    }
    this.buffer.push(item);
  }

  close(): void {
    this.finish(undefined);
  }

  fail(error: unknown): void {
    this.finish(error ?? new Error('channel failed'));
  }

  private finish(error: unknown): void {
    if (this.closed) return;
    this.closed = true;
    this.error = error;
    const hook = this.onClose;
    this.onClose = undefined;
    hook?.();
    if (this.waiter && this.size === 0) {
      const w = this.waiter;
      this.waiter = undefined;
      if (error !== undefined) w.reject(error);
      else w.resolve({ value: undefined, done: true });
    }
  }

  next(): Promise<IteratorResult<T>> {
    if (this.size > 0) {
      const value = this.buffer[this.head] as T;
      this.head++;
      if (this.head > 1024 && this.head * 2 > this.buffer.length) {
        this.buffer = this.buffer.slice(this.head);
        this.head = 0;
      }
      return Promise.resolve({ value, done: false });
    }
    if (this.closed) {
      if (this.error !== undefined) {
        const err = this.error;
        this.error = undefined;
        return Promise.reject(err);
      }
      return Promise.resolve({ value: undefined, done: true });
    }
    return new Promise((resolve, reject) => {
      this.waiter = { resolve, reject };
    });
  }

  [Symbol.asyncIterator](): AsyncIterator<T> {
    return {
      next: () => this.next(),
      return: () => {
        this.close();
        return Promise.resolve({ value: undefined, done: true });
      },
    };
  }
}
