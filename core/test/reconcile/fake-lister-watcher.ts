// An in-memory event log that serves the ListerWatcher contract, for informer tests. It is
// deliberately small and independent of the real memory store.
import { SkiffError } from '../../src/errors.js';
import type { KubeObject } from '../../src/objects/types.js';
import type { InformerWatchEvent, ListerWatcher } from '../../src/reconcile/index.js';

type EventType = InformerWatchEvent['type'];

interface LoggedEvent<T extends KubeObject> {
  rev: number;
  type: Exclude<EventType, 'BOOKMARK'>;
  object: T;
}

function keyOf(obj: KubeObject): string {
  const { namespace, name } = obj.metadata;
  return namespace ? `${namespace}/${name}` : `${name}`;
}

/** One open watch: a queue of events fed by the log. */
class FakeWatch<T extends KubeObject> implements AsyncIterable<InformerWatchEvent<T>> {
  private buffer: InformerWatchEvent<T>[] = [];
  private waiter: { resolve: (r: IteratorResult<InformerWatchEvent<T>>) => void; reject: (e: unknown) => void } | undefined;
  private ended = false;
  private error: unknown;
  stopped = false;

  constructor(private readonly onStop: () => void) {}

  push(event: InformerWatchEvent<T>): void {
    if (this.ended) return;
    if (this.waiter) {
      const w = this.waiter;
      this.waiter = undefined;
      w.resolve({ value: event, done: false });
    } else this.buffer.push(event);
  }

  /** Ends the watch normally (as a server closing it) once buffered events are consumed. */
  end(): void {
    this.ended = true;
    this.flush();
  }

  /** Makes the next read fail with `err` (buffered events are dropped). */
  fail(err: unknown): void {
    this.ended = true;
    this.error = err;
    this.buffer = [];
    this.flush();
  }

  stop(): void {
    this.stopped = true;
    this.onStop();
    this.end();
  }

  private flush(): void {
    if (!this.waiter || this.buffer.length > 0) return;
    const w = this.waiter;
    this.waiter = undefined;
    if (this.error !== undefined) w.reject(this.error);
    else w.resolve({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): AsyncIterator<InformerWatchEvent<T>> {
    return {
      next: () => {
        const event = this.buffer.shift();
        if (event) return Promise.resolve({ value: event, done: false });
        if (this.ended) {
          return this.error !== undefined ? Promise.reject(this.error) : Promise.resolve({ value: undefined, done: true });
        }
        return new Promise((resolve, reject) => {
          this.waiter = { resolve, reject };
        });
      },
      return: () => {
        this.stop();
        return Promise.resolve({ value: undefined, done: true });
      },
    };
  }
}

/**
 * A revisioned object log. Writes are synchronous; every write bumps the revision and is
 * delivered to open watches. `compact()` drops history so older watches fail with a gone error.
 */
export class FakeLog<T extends KubeObject = KubeObject> {
  rev = 0;
  compactedRev = 0;
  readonly objects = new Map<string, T>();
  private log: LoggedEvent<T>[] = [];
  private readonly open = new Set<FakeWatch<T>>();
  /** Every call, for assertions. */
  readonly listCalls: number[] = [];
  readonly watchCalls: string[] = [];
  /** Errors to throw from the next list() calls, in order. */
  readonly listErrors: unknown[] = [];
  /** Errors for the next watch() calls to fail with, in order (instead of watching). */
  readonly watchErrors: unknown[] = [];
  /** Overrides the resourceVersion list() reports. */
  listResourceVersion: (() => string) | undefined;

  create(obj: T): T {
    return this.write('ADDED', obj);
  }

  update(obj: T): T {
    if (!this.objects.has(keyOf(obj))) throw new Error(`update: ${keyOf(obj)} does not exist`);
    return this.write('MODIFIED', obj);
  }

  delete(key: string): T {
    const old = this.objects.get(key);
    if (!old) throw new Error(`delete: ${key} does not exist`);
    return this.write('DELETED', old);
  }

  /** Discards history at and below the current revision. */
  compact(): void {
    this.compactedRev = this.rev;
    this.log = [];
  }

  /** Sends a bookmark at the current revision to open watches. */
  bookmark(): void {
    for (const w of this.open) w.push(this.stamped('BOOKMARK', { metadata: {} } as T, this.rev));
  }

  /** Delivers an arbitrary event to open watches without touching the log. */
  inject(type: EventType, obj: T): void {
    for (const w of this.open) w.push({ type, object: structuredClone(obj) });
  }

  /** Ends every open watch normally, as a server closing them. */
  closeWatches(): void {
    for (const w of [...this.open]) w.end();
    this.open.clear();
  }

  /** Fails every open watch with `err`. */
  failWatches(err: unknown): void {
    for (const w of [...this.open]) w.fail(err);
    this.open.clear();
  }

  openWatches(): number {
    return this.open.size;
  }

  listerWatcher(): ListerWatcher<T> {
    return {
      list: async () => {
        this.listCalls.push(this.rev);
        const err = this.listErrors.shift();
        if (err !== undefined) throw err;
        return {
          items: [...this.objects.values()].map((o) => structuredClone(o)),
          resourceVersion: this.listResourceVersion?.() ?? String(this.rev),
        };
      },
      watch: (resourceVersion) => {
        this.watchCalls.push(resourceVersion);
        const watch: FakeWatch<T> = new FakeWatch<T>(() => this.open.delete(watch));
        const err = this.watchErrors.shift();
        const from = Number(resourceVersion);
        if (err !== undefined) watch.fail(err);
        else if (from < this.compactedRev) {
          watch.fail(new SkiffError('SKIFF_ERR_STORE_GONE', `revision ${from} has been compacted`, { from }));
        } else {
          for (const e of this.log) if (e.rev > from) watch.push(this.stamped(e.type, e.object, e.rev));
          this.open.add(watch);
        }
        return watch;
      },
    };
  }

  private write(type: Exclude<EventType, 'BOOKMARK'>, obj: T): T {
    this.rev++;
    const stored = structuredClone(obj);
    stored.metadata.resourceVersion = String(this.rev);
    if (type === 'DELETED') this.objects.delete(keyOf(stored));
    else this.objects.set(keyOf(stored), stored);
    this.log.push({ rev: this.rev, type, object: stored });
    for (const w of this.open) w.push(this.stamped(type, stored, this.rev));
    return structuredClone(stored);
  }

  private stamped(type: EventType, obj: T, rev: number): InformerWatchEvent<T> {
    const object = structuredClone(obj);
    object.metadata.resourceVersion = String(rev);
    return { type, object };
  }
}

/** A minimal Pod-shaped object. */
export interface TestPod extends KubeObject {
  spec?: { nodeName?: string };
}

export function pod(name: string, options: { namespace?: string; nodeName?: string; uid?: string; label?: string } = {}): TestPod {
  const p: TestPod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: options.namespace ?? 'default', uid: options.uid ?? `uid-${name}` },
    spec: options.nodeName === undefined ? {} : { nodeName: options.nodeName },
  };
  if (options.label !== undefined) p.metadata.labels = { v: options.label };
  return p;
}
