import { statSync } from 'node:fs';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type Database from 'better-sqlite3';
import {
  Channel,
  SkiffError,
  conflictError,
  deliverChange,
  goneError,
  watchHandle,
  type StoreWatcher,
  encodeContinue,
  encodeValue,
  existsError,
  listStart,
  matchesListSelectors,
  notFoundError,
  parseRevision,
  stripRevision,
  underPrefix,
  type KubeObject,
  type ObjectBase,
  type ListOptions,
  type ListResult,
  type RawChange,
  type Store,
  type Watch,
  type WatchEvent,
  type WatchOptions,
} from '@skiff/core';
import { openDatabase } from './database.js';
import { type LogRow, Statements, decode, prefixRange, toRawChange } from './log-rows.js';
import { type ResolvedCompactionOptions, type SqliteStoreHealth, type SqliteStoreOptions, resolveCompaction } from './options.js';

/** Rows read per step when a watch replays history, so a long replay never blocks writes for long. */
const REPLAY_BATCH = 500;

interface Watcher extends StoreWatcher {
  /** Every change at or below this revision has been considered for this watcher. */
  cursor: number;
  /** True once replay caught up: new writes are then pushed directly. */
  live: boolean;
}

interface RevisionSample {
  at: number;
  revision: number;
}

/**
 * A durable store on one SQLite file, kept as a kine-style revision log: every create, update and
 * delete is one row whose id is the revision. Reads at a revision take each key's newest row at or
 * below it; watches replay rows from the log and then receive this process's writes as they commit.
 * A background compactor discards superseded history in bounded steps. See ADR 0002.
 */
export class SqliteStore implements Store {
  private readonly db: Database.Database;
  private readonly sql: Statements;
  private revision: number;
  private compacted: number;
  /** Rows superseded at or below this revision are deleted (the last compaction's sweep finished). */
  private swept: number;
  private readonly watchers = new Set<Watcher>();
  private closed = false;
  private readonly compaction: ResolvedCompactionOptions | undefined;
  private compactionChain: Promise<void> = Promise.resolve();
  private timer: NodeJS.Timeout | undefined;
  private samples: RevisionSample[] = [];
  private lastCompactionAt: number | null = null;
  private lastCompactionError: string | null = null;

  /** Opens the database (see {@link sqliteStore}); throws `SKIFF_ERR_STORE_CORRUPT` for a damaged file, `SKIFF_ERR_STORE_INVALID` for one it cannot use. */
  constructor(private readonly options: SqliteStoreOptions) {
    this.db = openDatabase(options.path, options.synchronous ?? 'normal');
    this.sql = new Statements(this.db);
    this.revision = this.sql.sequence.get()?.seq ?? 0;
    this.compacted = this.sql.compacted.get()?.value ?? 0;
    this.swept = this.compacted;
    this.compaction = resolveCompaction(options.compaction);
    if (this.compaction) {
      this.sample(Date.now());
      this.timer = setInterval(() => void this.compactInBackground(), this.compaction.intervalMs);
      this.timer.unref();
    }
  }

  private check(): void {
    if (this.closed) throw new SkiffError('SKIFF_ERR_STORE_CLOSED', 'the store is closed');
  }

  private latest(key: string): LogRow | undefined {
    const row = this.sql.latest.get(key);
    return row && !row.deleted ? row : undefined;
  }

  /** Appends one row and tells live watchers; returns the new revision. */
  private append(key: string, current: LogRow | undefined, text: string | null): number {
    const revision = this.revision + 1;
    const created = current === undefined;
    this.sql.insertAt.run(revision, key, created ? 1 : 0, text === null ? 1 : 0, created ? revision : current.create_revision, current?.id ?? 0, text);
    this.revision = revision;
    if (this.watchers.size > 0) {
      const change: RawChange = {
        revision,
        key,
        object: text === null ? undefined : decode<KubeObject>(text, revision),
        prev: current?.value ? decode<KubeObject>(current.value, current.id) : undefined,
      };
      for (const w of this.watchers) {
        if (w.live && change.revision > w.cursor) {
          w.cursor = change.revision;
          deliverChange(w, change);
        }
      }
    }
    return revision;
  }

  async get<T extends ObjectBase = KubeObject>(key: string): Promise<T | undefined> {
    this.check();
    const row = this.latest(key);
    return row ? decode<T>(row.value as string, row.id) : undefined;
  }

  async list<T extends ObjectBase = KubeObject>(prefix: string, options: ListOptions = {}): Promise<ListResult<T>> {
    this.check();
    const start = listStart(options, this.revision, this.compacted);
    const revision = start.revision;
    const startAfter = start.startAfter ?? '';
    const limit = options.limit && options.limit > 0 ? options.limit : Infinity;
    const [from, to] = prefixRange(prefix);
    const items: T[] = [];
    let last: string | undefined;
    let remaining = 0;
    for (const row of this.sql.listAt.iterate(startAfter, to, from, revision)) {
      if (!underPrefix(row.name, prefix)) continue;
      if (items.length >= limit) {
        remaining++;
        continue;
      }
      const obj = decode<T>(row.value as string, row.id);
      if (!matchesListSelectors(obj, options)) continue;
      items.push(obj);
      last = row.name;
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
    if (this.latest(key)) throw existsError(key);
    return decode<T>(text, this.append(key, undefined, text));
  }

  async update<T extends ObjectBase = KubeObject>(key: string, value: T): Promise<T> {
    this.check();
    const text = encodeValue(key, stripRevision(value));
    const current = this.latest(key);
    if (!current) throw notFoundError(key);
    const expected = value.metadata?.resourceVersion;
    if (expected && parseRevision(expected) !== current.id) throw conflictError(key, expected, current.id);
    return decode<T>(text, this.append(key, current, text));
  }

  async delete<T extends ObjectBase = KubeObject>(key: string, options: { expectedResourceVersion?: string } = {}): Promise<T> {
    this.check();
    const current = this.latest(key);
    if (!current) throw notFoundError(key);
    const expected = options.expectedResourceVersion;
    if (expected && parseRevision(expected) !== current.id) throw conflictError(key, expected, current.id);
    return decode<T>(current.value as string, this.append(key, current, null));
  }

  watch<T extends ObjectBase = KubeObject>(prefix: string, options: WatchOptions): Watch<T> {
    const watcher: Watcher = {
      prefix,
      options,
      cursor: options.fromRevision,
      live: false,
      channel: new Channel<WatchEvent>(() => this.watchers.delete(watcher)),
    };
    const channel = watcher.channel;
    if (this.closed) {
      channel.fail(new SkiffError('SKIFF_ERR_STORE_CLOSED', 'the store is closed'));
    } else if (options.fromRevision < this.compacted) {
      channel.fail(goneError(options.fromRevision, this.compacted));
    } else {
      this.watchers.add(watcher);
      void this.replay(watcher);
    }
    return watchHandle<T>(channel);
  }

  /** Replays the log after the watcher's cursor in batches, then switches it to live delivery. */
  private async replay(w: Watcher): Promise<void> {
    const [from, to] = prefixRange(w.prefix);
    for (;;) {
      if (w.channel.isClosed || this.closed) return;
      if (this.compacted > w.cursor) {
        w.channel.fail(goneError(w.cursor, this.compacted));
        return;
      }
      let rows;
      try {
        rows = this.sql.changesAfter.all(w.cursor, from, to, REPLAY_BATCH);
      } catch (err) {
        w.channel.fail(err);
        return;
      }
      for (const row of rows) deliverChange(w, toRawChange(row));
      if (rows.length < REPLAY_BATCH) {
        // Caught up: nothing was written since the read above (this all ran synchronously).
        w.cursor = this.revision;
        w.live = true;
        return;
      }
      w.cursor = (rows[rows.length - 1] as LogRow).id;
      await yieldToEventLoop();
    }
  }

  async compact(revision: number): Promise<void> {
    this.check();
    if (revision > this.revision) {
      throw new SkiffError('SKIFF_ERR_STORE_INVALID', `cannot compact to ${revision}: the current revision is ${this.revision}`, {
        revision,
        current: this.revision,
      });
    }
    await this.enqueueCompaction(revision);
  }

  /** Runs compactions one at a time, so the manual and background paths never interleave. */
  private enqueueCompaction(revision: number): Promise<void> {
    const run = this.compactionChain.then(() => this.runCompaction(revision));
    this.compactionChain = run.catch(() => undefined);
    return run;
  }

  /**
   * Records the new compaction point first (so watches and continuations below it fail "gone" from
   * now on), then deletes superseded rows in windows of `batchRows`, yielding between windows.
   */
  private async runCompaction(target: number): Promise<void> {
    if (this.closed || target <= this.compacted) return;
    const batchRows = this.compaction?.batchRows ?? 1000;
    const start = (this.sql.oldest.get()?.id ?? target + 1) - 1;
    this.sql.setCompacted.run(target);
    this.compacted = target;
    for (const w of this.watchers) {
      if (!w.live && w.cursor < target) w.channel.fail(goneError(w.cursor, this.compacted));
    }
    let cursor = start;
    while (cursor < target) {
      if (this.closed) return;
      const end = Math.min(target, this.sql.windowEnd.get(cursor, batchRows - 1)?.id ?? target);
      this.sql.compactWindow.run(cursor, end, target);
      cursor = end;
      if (cursor < target) await yieldToEventLoop();
    }
    this.swept = target;
    this.lastCompactionAt = Date.now();
  }

  /** Remembers which revision was current when, to honour `retainMs`; keeps the samples bounded. */
  private sample(now: number): void {
    this.samples.push({ at: now, revision: this.revision });
    const retainMs = this.compaction?.retainMs ?? 0;
    // Drop samples older than the newest one that is already past the retention window.
    let keepFrom = 0;
    for (let i = 0; i < this.samples.length; i++) {
      if ((this.samples[i] as RevisionSample).at <= now - retainMs) keepFrom = i;
    }
    if (keepFrom > 0) this.samples = this.samples.slice(keepFrom);
  }

  /** The highest revision both retention rules allow discarding now. */
  private retentionTarget(now: number): number {
    const c = this.compaction;
    if (!c) return 0;
    const byCount = this.revision - c.retainRevisions;
    let byAge = 0;
    if (c.retainMs <= 0) byAge = this.revision;
    else {
      for (const s of this.samples) if (s.at <= now - c.retainMs) byAge = s.revision;
    }
    return Math.max(0, Math.min(byCount, byAge));
  }

  private async compactInBackground(): Promise<void> {
    if (this.closed) return;
    const now = Date.now();
    this.sample(now);
    const target = this.retentionTarget(now);
    try {
      await this.enqueueCompaction(target);
      this.lastCompactionError = null;
    } catch (err) {
      this.lastCompactionError = err instanceof Error ? err.message : String(err);
    }
  }

  /** Size, history bounds and compactor progress; see {@link SqliteStoreHealth}. */
  async health(): Promise<SqliteStoreHealth> {
    this.check();
    return {
      databaseBytes: this.databaseBytes(),
      rowCount: this.sql.rowCount.get()?.n ?? 0,
      compactedRevision: this.compacted,
      oldestRetainedRevision: this.sql.oldest.get()?.id ?? 0,
      currentRevision: this.revision,
      compactionLagRevisions: this.compaction ? Math.max(0, this.retentionTarget(Date.now()) - this.swept) : 0,
      lastCompactionAt: this.lastCompactionAt,
      lastCompactionError: this.lastCompactionError,
    };
  }

  private databaseBytes(): number {
    const path = this.options.path;
    if (path === ':memory:') {
      return (this.db.pragma('page_count', { simple: true }) as number) * (this.db.pragma('page_size', { simple: true }) as number);
    }
    let bytes = 0;
    for (const file of [path, `${path}-wal`]) {
      try {
        bytes += statSync(file).size;
      } catch {
        // no WAL file right now
      }
    }
    return bytes;
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
    if (this.closed) return;
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    for (const w of [...this.watchers]) w.channel.close();
    this.watchers.clear();
    await this.compactionChain;
    this.db.close();
  }
}

/**
 * Opens a durable SQLite store at `options.path` (created when missing). Throws
 * `SKIFF_ERR_STORE_CORRUPT` (details: `path`, `reason`) when the file is damaged or not a Skiff
 * store, and `SKIFF_ERR_STORE_INVALID` when it is unreadable or locked; such a file is left untouched.
 */
export function sqliteStore(options: SqliteStoreOptions): SqliteStore {
  return new SqliteStore(options);
}

/** Async form of {@link sqliteStore}, for registries that create stores asynchronously. */
export async function openSqliteStore(options: SqliteStoreOptions): Promise<SqliteStore> {
  return new SqliteStore(options);
}
