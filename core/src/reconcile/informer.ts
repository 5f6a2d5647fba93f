import { isGoneError } from '../errors.js';
import type { KubeObject, ObjectBase } from '../objects/types.js';
import { Indexer, NAMESPACE_INDEX, namespaceIndexFunc, objectKey, type CacheReader, type Indexers } from './indexer.js';

/**
 * One change seen by a watch. For ADDED/MODIFIED the object is its new state; for DELETED, its
 * last state with `metadata.resourceVersion` set to the deletion's revision; for BOOKMARK only
 * `object.metadata.resourceVersion` means anything (the watch has seen everything up to it).
 */
export interface InformerWatchEvent<T extends ObjectBase = KubeObject> {
  type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK';
  object: T;
}

/**
 * What an informer reads from: the in-process client and the HTTP client both provide it.
 *
 * Contract:
 * - `list()` returns every object of the resource (already filtered by any selector) and the
 *   resourceVersion the list was read at. It may reject with a gone error (`isGoneError`).
 * - `watch(rv)` returns the changes strictly after `rv`, in order. Iteration ends normally when
 *   the server closes the watch or after `stop()`; it rejects (usually at the first `next()`)
 *   with a gone error when `rv` has been compacted, and may reject with other errors. `stop()`
 *   must be idempotent and must end a pending `next()` soon. `watch` should not throw itself.
 */
export interface ListerWatcher<T extends ObjectBase = KubeObject> {
  list(): Promise<{ items: T[]; resourceVersion: string }>;
  watch(resourceVersion: string): AsyncIterable<InformerWatchEvent<T>> & { stop(): void };
}

/** Extra information given to a delete handler. */
export interface DeleteInfo {
  /**
   * True when the deletion was inferred from a relist (the object vanished while the informer was
   * not watching): the object passed is the last state the cache held, not the final one
   * (client-go `DeletedFinalStateUnknown`).
   */
  finalStateUnknown: boolean;
}

/**
 * Callbacks for cache changes (client-go `ResourceEventHandler`).
 *
 * Contract for handlers:
 * - They are called synchronously, in registration order, after the cache has been updated, one
 *   event at a time; an `update` always follows the `add` of the same key.
 * - They must not mutate the objects they get: those are the cache's objects, shared with every
 *   reader and handler. Copy (`structuredClone`) before changing one.
 * - They should be quick and not wait for anything: typically they only enqueue a request into a
 *   controller (reconciles do the work). A returned promise is not awaited.
 * - They should not throw; a throw (or a rejected returned promise) is caught and reported to the
 *   informer's `onError`, and the other handlers still run.
 * - `update(old, new)` is called whenever the resourceVersion changed (including changes the
 *   handler may not care about; filter yourself). Without resourceVersions every event counts.
 */
export interface EventHandler<T extends ObjectBase = KubeObject> {
  add?(obj: T): void;
  update?(oldObj: T, newObj: T): void;
  delete?(obj: T, info: DeleteInfo): void;
}

/** Returned by `addEventHandler`. */
export interface EventHandlerRegistration {
  /** Stops delivering events to the handler (also if called from inside a handler). */
  remove(): void;
  /** True once the handler has been told about everything in the informer's synced cache. */
  hasSynced(): boolean;
}

export interface InformerOptions<T extends ObjectBase = KubeObject> {
  /** Extra indexes; the namespace index (`NAMESPACE_INDEX`) is always present. */
  indexers?: Indexers<T>;
  /**
   * Delay between retries after failed lists/watches (and watches that close without delivering
   * anything): starts at `initialMs` (default 100), doubles up to `maxMs` (default 5000), and goes
   * back to `initialMs` once a watch delivers an event.
   */
  backoff?: { initialMs?: number; maxMs?: number };
  /**
   * Told about errors the informer recovers from by itself: failed lists and watches (except gone
   * errors, which it answers by relisting), throwing handlers and index functions, malformed
   * events. Must not throw. Default: ignore.
   */
  onError?(err: unknown): void;
}

const STOPPED: unique symbol = Symbol('stopped');

function isNumeric(rv: string): boolean {
  return /^\d+$/.test(rv);
}

/**
 * True when resourceVersion `candidate` is newer than `current`. Both numeric decimal strings:
 * compared as integers. Otherwise versions are opaque: newer means different. A missing or empty
 * version on either side counts as newer (nothing to compare against).
 */
export function isNewerResourceVersion(candidate: string | undefined, current: string | undefined): boolean {
  if (candidate === undefined || candidate === '' || current === undefined || current === '') return true;
  if (isNumeric(candidate) && isNumeric(current)) return BigInt(candidate) > BigInt(current);
  return candidate !== current;
}

interface Registration<T extends ObjectBase> {
  handler: EventHandler<T>;
  active: boolean;
}

/**
 * A cache of one resource kept current by list + watch, with change notifications (client-go
 * `SharedIndexInformer` semantics).
 *
 * - `start()` lists, fills the cache, fires `add` for every item, marks itself synced, then
 *   watches from the list's resourceVersion, applying each event to the cache before firing
 *   `add` / `update(old, new)` / `delete(obj)`. BOOKMARK only advances the resourceVersion.
 * - An event whose object's resourceVersion is not newer than the cached object's (see
 *   {@link isNewerResourceVersion}) is ignored; so is a DELETED for an object not cached.
 * - A watch that ends normally is re-opened from the last resourceVersion seen (at once if it
 *   delivered anything, after the backoff if it did not). A gone error (`isGoneError`) triggers a
 *   relist: the cache is reconciled against the new list, firing `delete` (with
 *   `finalStateUnknown`) for vanished objects, `update` for changed resourceVersions, `add` for
 *   new ones, and `delete` + `add` when a key's uid changed. Other errors are reported to
 *   `onError` and retried after a bounded exponential backoff.
 * - Cached objects are the objects the ListerWatcher delivered, stored without copying: everyone
 *   who reads the cache or handles an event must treat them as immutable and copy before
 *   mutating.
 * - `stop()` stops the watch and every timer; no handler is called after it returns. An informer
 *   cannot be restarted.
 */
export class Informer<T extends ObjectBase = KubeObject> implements CacheReader<T> {
  private readonly lw: ListerWatcher<T>;
  private readonly indexer: Indexer<T>;
  private readonly initialBackoffMs: number;
  private readonly maxBackoffMs: number;
  private readonly reportError: (err: unknown) => void;
  private handlers: Registration<T>[] = [];
  private syncWaiters = new Set<(synced: boolean) => void>();
  private started = false;
  private stopped = false;
  private synced = false;
  private lastRV = '';
  private currentWatch: { stop(): void } | undefined;
  private wakeSleeper: (() => void) | undefined;
  /** Settles the run loop's current `untilStopped` wait with STOPPED; one wait at a time. */
  private interrupt: (() => void) | undefined;

  constructor(listerWatcher: ListerWatcher<T>, options: InformerOptions<T> = {}) {
    this.lw = listerWatcher;
    const onError = options.onError;
    this.reportError = (err) => {
      try {
        onError?.(err);
      } catch {
        // onError must not throw; there is nowhere left to report it.
      }
    };
    this.initialBackoffMs = options.backoff?.initialMs ?? 100;
    this.maxBackoffMs = Math.max(options.backoff?.maxMs ?? 5000, this.initialBackoffMs);
    if (!(this.initialBackoffMs >= 0)) throw new RangeError(`backoff.initialMs must be >= 0, got ${this.initialBackoffMs}`);
    this.indexer = new Indexer<T>({ [NAMESPACE_INDEX]: namespaceIndexFunc }, (err) => this.reportError(err));
    if (options.indexers) this.indexer.addIndexers(options.indexers);
  }

  /**
   * Starts listing and watching in the background. Idempotent while running.
   *
   * @throws Error after `stop()`: an informer cannot be restarted.
   */
  start(): void {
    if (this.stopped) throw new Error('informer has been stopped and cannot be started again');
    if (this.started) return;
    this.started = true;
    this.run().catch((err: unknown) => this.reportError(err));
  }

  /**
   * Stops the watch and cancels retry timers. After it returns no handler is called again and
   * pending `waitForSync` calls resolve `false`. The cache keeps its last contents. Idempotent.
   */
  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.interrupt?.();
    const watch = this.currentWatch;
    this.currentWatch = undefined;
    if (watch) this.stopWatch(watch);
    this.wakeSleeper?.();
    for (const w of [...this.syncWaiters]) w(false);
    this.syncWaiters.clear();
  }

  /** True once the first list has been applied to the cache and its `add` handlers fired. */
  hasSynced(): boolean {
    return this.synced;
  }

  /**
   * Resolves `true` once synced (at once if already), or `false` if the informer is stopped or
   * `signal` aborts first. Never rejects.
   */
  waitForSync(signal?: AbortSignal): Promise<boolean> {
    if (this.synced) return Promise.resolve(true);
    if (this.stopped || signal?.aborted) return Promise.resolve(false);
    return new Promise<boolean>((resolve) => {
      const onAbort = () => finish(false);
      const finish = (synced: boolean) => {
        this.syncWaiters.delete(finish);
        signal?.removeEventListener('abort', onAbort);
        resolve(synced);
      };
      this.syncWaiters.add(finish);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  /**
   * Registers `handler`. Before returning, it calls the handler's `add` for every object already in
   * the cache (none before the first list; none once the informer is stopped), then the handler
   * gets every later change. Safe to call from inside a handler (the new handler does not see the
   * event being dispatched; its synthetic adds already reflect it). See {@link EventHandler} for
   * what handlers must and must not do.
   */
  addEventHandler(handler: EventHandler<T>): EventHandlerRegistration {
    const reg: Registration<T> = { handler, active: true };
    this.handlers = [...this.handlers, reg];
    if (!this.stopped && handler.add) {
      for (const obj of this.indexer.list()) {
        if (!reg.active || this.stopped) break;
        this.call(() => handler.add?.(obj));
      }
    }
    return {
      remove: () => {
        reg.active = false;
        this.handlers = this.handlers.filter((r) => r !== reg);
      },
      hasSynced: () => this.synced,
    };
  }

  /** Adds indexes (objects already cached are indexed at once). @throws RangeError for a name in use. */
  addIndexers(indexers: Indexers<T>): void {
    this.indexer.addIndexers(indexers);
  }

  /** The resourceVersion of the last list, or of the last event seen (bookmarks included). */
  lastResourceVersion(): string {
    return this.lastRV;
  }

  /** The cached object with key `ns/name` or `name`. Do not mutate it. */
  get(key: string): T | undefined {
    return this.indexer.get(key);
  }

  /** Every cached object. Do not mutate them. */
  list(): T[] {
    return this.indexer.list();
  }

  /** Every cache key. */
  keys(): string[] {
    return this.indexer.keys();
  }

  /** Objects indexed under `value` by the index `indexName`. @throws RangeError for an unknown index. */
  byIndex(indexName: string, value: string): T[] {
    return this.indexer.byIndex(indexName, value);
  }

  /** Keys of the objects indexed under `value`. @throws RangeError for an unknown index. */
  indexKeys(indexName: string, value: string): string[] {
    return this.indexer.indexKeys(indexName, value);
  }

  /** Values the index currently holds objects under. @throws RangeError for an unknown index. */
  indexValues(indexName: string): string[] {
    return this.indexer.indexValues(indexName);
  }

  // ---- the list/watch loop ----

  private async run(): Promise<void> {
    let needList = true;
    let delayMs = this.initialBackoffMs;
    /**
     * True while no watch has been tried since the last list. A gone error from that first watch
     * before it delivered anything means the list itself is already too old; relisting at once
     * could loop hot, so that case backs off. Any other gone error relists at once.
     */
    let firstWatchAfterList = false;
    const backoff = async () => {
      await this.sleep(delayMs);
      delayMs = Math.min(delayMs * 2, this.maxBackoffMs);
    };

    while (!this.stopped) {
      if (needList) {
        let listed: { items: T[]; resourceVersion: string } | typeof STOPPED;
        try {
          listed = await this.untilStopped(this.lw.list());
        } catch (err) {
          if (this.stopped) return;
          // A gone list is answered by listing again, but never in a hot loop.
          if (!isGoneError(err)) this.reportError(err);
          await backoff();
          continue;
        }
        if (listed === STOPPED || this.stopped) return;
        this.replace(listed.items, listed.resourceVersion);
        needList = false;
        firstWatchAfterList = true;
        if (this.stopped) return;
      }

      const firstAfterList = firstWatchAfterList;
      firstWatchAfterList = false;
      let watch: AsyncIterable<InformerWatchEvent<T>> & { stop(): void };
      let iterator: AsyncIterator<InformerWatchEvent<T>>;
      try {
        watch = this.lw.watch(this.lastRV);
        iterator = watch[Symbol.asyncIterator]();
      } catch (err) {
        if (this.stopped) return;
        if (isGoneError(err)) {
          needList = true;
          if (firstAfterList) await backoff();
        } else {
          this.reportError(err);
          await backoff();
        }
        continue;
      }
      if (this.stopped) {
        this.stopWatch(watch, iterator);
        return;
      }
      this.currentWatch = watch;

      let sawEvent = false;
      let failure: { err: unknown } | undefined;
      try {
        for (;;) {
          const next = await this.untilStopped(iterator.next());
          if (next === STOPPED || this.stopped) break;
          if (next.done) break;
          sawEvent = true;
          delayMs = this.initialBackoffMs;
          this.handleEvent(next.value);
          if (this.stopped) break;
        }
      } catch (err) {
        failure = { err };
      }
      if (this.currentWatch === watch) this.currentWatch = undefined;
      if (this.stopped) {
        this.stopWatch(watch, iterator);
        return;
      }
      if (failure) {
        this.stopWatch(watch);
        if (isGoneError(failure.err)) {
          needList = true;
          if (firstAfterList && !sawEvent) await backoff();
        } else {
          this.reportError(failure.err);
          await backoff();
        }
      } else if (!sawEvent) {
        // Closed without delivering anything: do not hammer a server that keeps closing watches.
        await backoff();
      }
      // Otherwise it closed normally after making progress: re-watch from lastRV at once.
    }
  }

  /**
   * `p`, or STOPPED as soon as `stop()` is called. Unlike racing against one long-lived "stopped"
   * promise, this leaves nothing behind per call (a race would pile a reaction per event).
   */
  private untilStopped<R>(p: Promise<R>): Promise<R | typeof STOPPED> {
    if (this.stopped) {
      p.catch(() => {});
      return Promise.resolve(STOPPED);
    }
    return new Promise<R | typeof STOPPED>((resolve, reject) => {
      const interrupt = () => resolve(STOPPED);
      const clear = () => {
        if (this.interrupt === interrupt) this.interrupt = undefined;
      };
      this.interrupt = interrupt;
      // Once interrupted, a later settlement of `p` is ignored (and its rejection handled).
      p.then(
        (value) => {
          clear();
          resolve(value);
        },
        (err: unknown) => {
          clear();
          reject(err);
        },
      );
    });
  }

  private stopWatch(watch: { stop(): void }, iterator?: AsyncIterator<unknown>): void {
    try {
      watch.stop();
    } catch (err) {
      this.reportError(err);
    }
    if (iterator?.return) {
      try {
        iterator.return().catch(() => {});
      } catch {
        // a broken iterator; nothing to do
      }
    }
  }

  private sleep(ms: number): Promise<void> {
    if (this.stopped) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.wakeSleeper = undefined;
        resolve();
      }, ms);
      this.wakeSleeper = () => {
        clearTimeout(timer);
        this.wakeSleeper = undefined;
        resolve();
      };
    });
  }

  /** Applies a fresh list: reconciles the cache against it, then fires the differences. */
  private replace(items: T[], resourceVersion: string): void {
    const fresh = new Map<string, T>();
    for (const obj of items) {
      try {
        fresh.set(objectKey(obj), obj);
      } catch (err) {
        this.reportError(err);
      }
    }
    const notifications: Array<() => void> = [];
    for (const key of this.indexer.keys()) {
      if (fresh.has(key)) continue;
      const old = this.indexer.delete(key) as T;
      notifications.push(() => this.dispatchDelete(old, true));
    }
    for (const [key, obj] of fresh) {
      const old = this.indexer.get(key);
      if (old === undefined) {
        this.indexer.set(key, obj);
        notifications.push(() => this.dispatchAdd(obj));
        continue;
      }
      const oldUid = old.metadata.uid;
      const newUid = obj.metadata.uid;
      if (oldUid && newUid && oldUid !== newUid) {
        this.indexer.set(key, obj);
        notifications.push(() => {
          this.dispatchDelete(old, true);
          this.dispatchAdd(obj);
        });
      } else if (
        old.metadata.resourceVersion === undefined ||
        old.metadata.resourceVersion === '' ||
        old.metadata.resourceVersion !== obj.metadata.resourceVersion
      ) {
        this.indexer.set(key, obj);
        notifications.push(() => this.dispatchUpdate(old, obj));
      }
      // Same resourceVersion: unchanged; keep the cached object (handlers have seen it).
    }
    this.lastRV = resourceVersion;
    for (const notify of notifications) {
      if (this.stopped) return;
      notify();
    }
    if (!this.synced && !this.stopped) {
      this.synced = true;
      for (const w of [...this.syncWaiters]) w(true);
      this.syncWaiters.clear();
    }
  }

  private handleEvent(event: InformerWatchEvent<T>): void {
    const obj = event.object as T | undefined;
    const rv = obj?.metadata?.resourceVersion;
    if (event.type === 'BOOKMARK') {
      if (rv) this.lastRV = rv;
      return;
    }
    if (event.type !== 'ADDED' && event.type !== 'MODIFIED' && event.type !== 'DELETED') {
      this.reportError(new TypeError(`informer: ignoring watch event of unknown type ${JSON.stringify(event.type)}`));
      return;
    }
    if (obj === undefined || obj.metadata === undefined) {
      this.reportError(new TypeError(`informer: ignoring ${event.type} event without an object`));
      return;
    }
    if (rv) this.lastRV = rv;
    let key: string;
    try {
      key = objectKey(obj);
    } catch (err) {
      this.reportError(err);
      return;
    }
    const old = this.indexer.get(key);
    if (old !== undefined && !isNewerResourceVersion(rv, old.metadata.resourceVersion)) return;
    if (event.type === 'DELETED') {
      if (old === undefined) return;
      this.indexer.delete(key);
      this.dispatchDelete(obj, false);
      return;
    }
    this.indexer.set(key, obj);
    if (old === undefined) this.dispatchAdd(obj);
    else this.dispatchUpdate(old, obj);
  }

  private dispatchAdd(obj: T): void {
    for (const reg of this.handlers) {
      if (this.stopped) return;
      if (reg.active && reg.handler.add) this.call(() => reg.handler.add?.(obj));
    }
  }

  private dispatchUpdate(oldObj: T, newObj: T): void {
    for (const reg of this.handlers) {
      if (this.stopped) return;
      if (reg.active && reg.handler.update) this.call(() => reg.handler.update?.(oldObj, newObj));
    }
  }

  private dispatchDelete(obj: T, finalStateUnknown: boolean): void {
    for (const reg of this.handlers) {
      if (this.stopped) return;
      if (reg.active && reg.handler.delete) this.call(() => reg.handler.delete?.(obj, { finalStateUnknown }));
    }
  }

  private call(fn: () => unknown): void {
    try {
      const ret = fn();
      if (ret instanceof Promise) ret.catch((err: unknown) => this.reportError(err));
    } catch (err) {
      this.reportError(err);
    }
  }
}
