/** A binary heap with removal and update by key. `less(a, b)` puts `a` nearer the top. */
export class KeyedHeap<T> {
  private readonly items: T[] = [];
  private readonly index = new Map<string, number>();

  constructor(
    private readonly keyOf: (item: T) => string,
    private readonly less: (a: T, b: T) => boolean,
  ) {}

  get size(): number {
    return this.items.length;
  }

  has(key: string): boolean {
    return this.index.has(key);
  }

  get(key: string): T | undefined {
    const i = this.index.get(key);
    return i === undefined ? undefined : this.items[i];
  }

  peek(): T | undefined {
    return this.items[0];
  }

  /** Adds, or replaces the item with the same key. */
  push(item: T): void {
    const key = this.keyOf(item);
    const at = this.index.get(key);
    if (at !== undefined) {
      this.items[at] = item;
      this.fix(at);
      return;
    }
    this.items.push(item);
    this.index.set(key, this.items.length - 1);
    this.up(this.items.length - 1);
  }

  pop(): T | undefined {
    if (this.items.length === 0) return undefined;
    return this.removeAt(0);
  }

  delete(key: string): T | undefined {
    const at = this.index.get(key);
    return at === undefined ? undefined : this.removeAt(at);
  }

  values(): T[] {
    return [...this.items];
  }

  private removeAt(at: number): T {
    const item = this.items[at]!;
    const last = this.items.pop()!;
    this.index.delete(this.keyOf(item));
    if (at < this.items.length) {
      this.items[at] = last;
      this.index.set(this.keyOf(last), at);
      this.fix(at);
    }
    return item;
  }

  private fix(at: number): void {
    if (!this.up(at)) this.down(at);
  }

  private swap(i: number, j: number): void {
    const a = this.items[i]!;
    const b = this.items[j]!;
    this.items[i] = b;
    this.items[j] = a;
    this.index.set(this.keyOf(b), i);
    this.index.set(this.keyOf(a), j);
  }

  private up(at: number): boolean {
    let i = at;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.less(this.items[i]!, this.items[parent]!)) break;
      this.swap(i, parent);
      i = parent;
    }
    return i !== at;
  }

  private down(at: number): void {
    let i = at;
    const n = this.items.length;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let best = i;
      if (l < n && this.less(this.items[l]!, this.items[best]!)) best = l;
      if (r < n && this.less(this.items[r]!, this.items[best]!)) best = r;
      if (best === i) return;
      this.swap(i, best);
      i = best;
    }
  }
}
