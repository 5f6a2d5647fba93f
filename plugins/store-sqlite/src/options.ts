import type { SynchronousMode } from './database.js';

/** Options of {@link sqliteStore}. */
export interface SqliteStoreOptions {
  /** The database file; created when missing. `':memory:'` gives a throw-away store. */
  path: string;
  /**
   * `'normal'` (default) keeps every acknowledged write through a process kill but may lose the
   * last commits on power loss; `'full'` fsyncs the WAL on every commit, so they survive power loss
   * too, at about a third of the write rate (see docs/adr/0002-sqlite-store.md).
   */
  synchronous?: SynchronousMode;
  /** Background compaction; `false` turns it off (call `compact` yourself). */
  compaction?: CompactionOptions | false;
}

/** How the background compactor chooses what to discard. History is kept while either rule wants it. */
export interface CompactionOptions {
  /** How often the compactor runs, in ms (default 30 s). */
  intervalMs?: number;
  /** Keep at least this many most recent revisions (default 1000). */
  retainRevisions?: number;
  /** Keep at least this much recent history, in ms (default 5 min). */
  retainMs?: number;
  /** Rows examined per transaction, bounding how long one step holds the write lock (default 1000). */
  batchRows?: number;
}

/** Compaction options with defaults applied. */
export type ResolvedCompactionOptions = Required<CompactionOptions>;

export function resolveCompaction(options: CompactionOptions | false | undefined): ResolvedCompactionOptions | undefined {
  if (options === false) return undefined;
  return {
    intervalMs: options?.intervalMs ?? 30_000,
    retainRevisions: options?.retainRevisions ?? 1000,
    retainMs: options?.retainMs ?? 5 * 60_000,
    batchRows: options?.batchRows ?? 1000,
  };
}

/** What `SqliteStore.health()` reports. */
export interface SqliteStoreHealth {
  /** Bytes on disk: the database file plus its write-ahead log. */
  databaseBytes: number;
  /** Rows in the revision log (retained history plus one row per live key). */
  rowCount: number;
  /** The revision of the last compaction (0 if none). */
  compactedRevision: number;
  /** The oldest revision still in the log (0 when the log is empty). */
  oldestRetainedRevision: number;
  /** The latest revision written. */
  currentRevision: number;
  /** Revisions the retention rules allow discarding whose rows are not yet deleted: 0 when the compactor keeps up. */
  compactionLagRevisions: number;
  /** When the last compaction finished (epoch ms), or null. */
  lastCompactionAt: number | null;
  /** The last background compaction error, if the most recent run failed. */
  lastCompactionError: string | null;
}
