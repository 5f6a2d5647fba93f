import { SkiffError } from '../errors.js';
import type { KubeObject, ObjectBase } from '../objects/types.js';
import { Channel } from './channel.js';
import { encodeContinue, encodeValue, parseRevision } from './keys.js';
import { conflictError, deliverChange, existsError, goneError, listStart, matchesListSelectors, notFoundError, stripRevision, type StoreWatcher, watchHandle } from './shared.js';
import type { ListOptions, ListResult, Store, Watch, WatchEvent, WatchOptions } from './types.js';
import { type RawChange, underPrefix } from './watch-filter.js';

/** One version of a key: the serialized object, or null for a deletion (tombstone). */
interface Version {
  revision: number;
  text: string | null;
}


function withRevision<T extends ObjectBase>(text: string, revision: number): T {
  const obj = JSON.parse(text) as T;
  obj.metadata = { ...obj.metadata, resourceVersion: String(revision) };
  return obj;
}

/**
 * An in-memory store with etcd's semantics, kept as multi-version history (MVCC) so that list
 * continuations read at a fixed revision and watches replay from any retained revision.
 * For tests and simulations: nothing survives the process.
 */
export class MemoryStore implements Store {
  private revision = 0;
  private compacted = 0;
  private readonly versions = new Map<string, Version[]>();
  private sortedKeys: string[] | undefined = [];
  private log: RawChange[] = [];
  private readonly watchers = new Set<StoreWatcher>();
  private closed = false;

  private check(): void {
    if (this.closed) throw new SkiffError('SKIFF_ERR_STORE_CLOSED', 'the store is closed');
  }

  private latest(key: string): Version | undefined {
    const vs = this.versions.get(key);
    return vs?.[vs.length - 1];
  }

  private at(key: string, revision: number): Version | undefined {
    const vs = this.versions.get(key);
    if (!vs) return undefined;
    for (let i = vs.length - 1; i >= 0; i--) {
      const v = vs[i] as Version;
      if (v.revision <= revision) return v;
    }
    return undefined;
  }

  private keys(): string[] {
    if (!this.sortedKeys) this.sortedKeys = [...this.versions.keys()].sort();
    return this.sortedKeys;
  }

  private write(key: string, text: string | null): number {
    const prevVersion = this.latest(key);
    const revision = ++this.revision;
    let vs = this.versions.get(key);
    if (!vs) {
      vs = [];
      this.versions.set(key, vs);
      this.sortedKeys = undefined;
    }
    vs.push({ revision, text });
    const change: RawChange = {
      revision,
      key,
      object: text === null ? undefined : withRevision<KubeObject>(text, revision),
      prev: prevVersion?.text ? withRevision<KubeObject>(prevVersion.text, prevVersion.revision) : undefined,
    };
    this.log.push(change);
    for (const w of this.watchers) deliverChange(w, change);
    return revision;
  }

  async get<T extends ObjectBase = KubeObject>(key: string): Promise<T | undefined> {
    this.check();
    const v = this.latest(key);
    return v?.text ? withRevision<T>(v.text, v.revision) : undefined;
  }

  async list<T extends ObjectBase = KubeObject>(prefix: string, options: ListOptions = {}): Promise<ListResult<T>> {
    this.check();
    const { revision, startAfter } = listStart(options, this.revision, this.compacted);
    const limit = options.limit && options.limit > 0 ? options.limit : Infinity;
    const items: T[] = [];
    let last: string | undefined;
    let remaining = 0;
    for (const key of this.keys()) {
      if (!underPrefix(key, prefix) || (startAfter !== undefined && key <= startAfter)) continue;
      const v = this.at(key, revision);
      if (!v?.text) continue;
      if (items.length >= limit) {
        remaining++;
        continue;
      }
      const obj = withRevision<T>(v.text, v.revision);
      if (!matchesListSelectors(obj, options)) continue;
      items.push(obj);
      last = key;
    }
    const result: ListResult<T> = { items, revision };
    if (remaining > 0 && last !== undefined) {
      result.continue = encodeContinue({ revision, startAfter: last });
      if (!options.labelSelector && !options.fieldSelector) result.remainingItemCount = remaining;
    }
    return result;
  }

  async create<T extends ObjectBase = KubeObject>(key: string, value: T): Promise<T> {
    this.check();
    const text = encodeValue(key, stripRevision(value));
    if (this.latest(key)?.text) throw existsError(key);
    const revision = this.write(key, text);
    return withRevision<T>(text, revision);
  }

  async update<T extends ObjectBase = KubeObject>(key: string, value: T): Promise<T> {
    this.check();
    const text = encodeValue(key, stripRevision(value));
    const current = this.latest(key);
    if (!current?.text) throw notFoundError(key);
    const expected = value.metadata?.resourceVersion;
    if (expected && parseRevision(expected) !== current.revision) {
      throw conflictError(key, expected, current.revision);
    }
    const revision = this.write(key, text);
    return withRevision<T>(text, revision);
  }

  async delete<T extends ObjectBase = KubeObject>(key: string, options: { expectedResourceVersion?: string } = {}): Promise<T> {
    this.check();
    const current = this.latest(key);
    if (!current?.text) throw notFoundError(key);
    const expected = options.expectedResourceVersion;
    if (expected && parseRevision(expected) !== current.revision) {
      throw conflictError(key, expected, current.revision);
    }
    const last = current.text;
    const revision = this.write(key, null);
    return withRevision<T>(last, revision);
  }

  watch<T extends ObjectBase = KubeObject>(prefix: string, options: WatchOptions): Watch<T> {
    const watcher: StoreWatcher = { prefix, options, channel: new Channel<WatchEvent>(() => this.watchers.delete(watcher)) };
    const channel = watcher.channel;
    if (this.closed) {
      channel.fail(new SkiffError('SKIFF_ERR_STORE_CLOSED', 'the store is closed'));
    } else if (options.fromRevision < this.compacted) {
      channel.fail(goneError(options.fromRevision, this.compacted));
    } else {
      // Replay retained history, then subscribe; both happen before any other write can run.
      const start = firstIndexAfter(this.log, options.fromRevision);
      for (let i = start; i < this.log.length; i++) deliverChange(watcher, this.log[i] as RawChange);
      this.watchers.add(watcher);
    }
    return watchHandle<T>(channel);
  }

  async compact(revision: number): Promise<void> {
    this.check();
    if (revision <= this.compacted) return;
    if (revision > this.revision) {
      throw new SkiffError('SKIFF_ERR_STORE_INVALID', `cannot compact to ${revision}: the current revision is ${this.revision}`, {
        revision,
        current: this.revision,
      });
    }
    this.compacted = revision;
    this.log = this.log.slice(firstIndexAfter(this.log, revision));
    for (const [key, vs] of this.versions) {
      // Keep the newest version at or below the compaction point (reads at later revisions need it).
      let keepFrom = 0;
      for (let i = vs.length - 1; i >= 0; i--) {
        if ((vs[i] as Version).revision <= revision) {
          keepFrom = i;
          break;
        }
      }
      const kept = vs.slice(keepFrom);
      if (kept.length === 1 && kept[0]?.text === null && kept[0].revision <= revision) {
        this.versions.delete(key);
        this.sortedKeys = undefined;
      } else {
        this.versions.set(key, kept);
      }
    }
  }

  async currentRevision(): Promise<number> {
    this.check();
    return this.revision;
  }

  async compactedRevision(): Promise<number> {
    this.check();
    return this.compacted;
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const w of [...this.watchers]) w.channel.close();
    this.watchers.clear();
  }
}

/** Index of the first change with revision > `revision` (the log is sorted by revision). */
function firstIndexAfter(log: RawChange[], revision: number): number {
  let lo = 0;
  let hi = log.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((log[mid] as RawChange).revision <= revision) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Creates an empty in-memory store. */
export function memoryStore(): Store {
  return new MemoryStore();
}
