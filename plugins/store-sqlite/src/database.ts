import { closeSync, existsSync, openSync, readSync } from 'node:fs';
import Database from 'better-sqlite3';
import { SkiffError } from '@skiff/core';

/** `PRAGMA application_id` of a Skiff store file ("SKIF"), so a foreign database is never adopted. */
export const APPLICATION_ID = 0x534b4946;
/** `PRAGMA user_version`: the schema version this code writes and reads. */
export const SCHEMA_VERSION = 1;

const SQLITE_HEADER = Buffer.from('SQLite format 3\0', 'latin1');

/** How each commit reaches the disk; see docs/adr/0002-sqlite-store.md. */
export type SynchronousMode = 'full' | 'normal';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS log (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  name TEXT NOT NULL,
  created INTEGER NOT NULL,
  deleted INTEGER NOT NULL,
  create_revision INTEGER NOT NULL,
  prev_revision INTEGER NOT NULL,
  value TEXT
);
CREATE INDEX IF NOT EXISTS log_name_id ON log (name, id);
CREATE TABLE IF NOT EXISTS meta (
  name TEXT PRIMARY KEY,
  value INTEGER NOT NULL
);
INSERT OR IGNORE INTO meta (name, value) VALUES ('compacted', 0);
`;

/** Damaged or foreign files fail with `SKIFF_ERR_STORE_CORRUPT`, other start-up problems with `SKIFF_ERR_STORE_INVALID`. */
function unreadable(path: string, reason: string, cause?: unknown, extra: { corrupt?: boolean; foreign?: boolean; sqliteCode?: string; version?: number } = {}): SkiffError {
  const { corrupt, ...rest } = extra;
  const code = corrupt || extra.foreign ? 'SKIFF_ERR_STORE_CORRUPT' : 'SKIFF_ERR_STORE_INVALID';
  const details: Record<string, unknown> = { path, reason, ...rest };
  return new SkiffError(code, `cannot open the SQLite store at ${path}: ${reason}`, details, { cause });
}

/** Reads the first 16 bytes of an existing, non-empty file; undefined when there is no such file. */
function readHeader(path: string): Buffer | undefined {
  if (!existsSync(path)) return undefined;
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    const header = Buffer.alloc(16);
    const n = readSync(fd, header, 0, 16, 0);
    return header.subarray(0, n);
  } catch (err) {
    throw unreadable(path, `the file cannot be read (${(err as NodeJS.ErrnoException).code ?? String(err)})`, err);
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/**
 * Opens (or creates) the store's database file, refusing anything that is not an intact Skiff store
 * with a `SKIFF_ERR_STORE_INVALID` error naming the path. A file that is not ours is never written.
 */
export function openDatabase(path: string, synchronous: SynchronousMode): Database.Database {
  if (path !== ':memory:') {
    const header = readHeader(path);
    if (header && header.length > 0 && !header.equals(SQLITE_HEADER)) {
      throw unreadable(path, 'the file is not a SQLite database (bad header); it was left untouched', undefined, { corrupt: true });
    }
  }
  let db: Database.Database;
  try {
    db = new Database(path, { timeout: 250 });
  } catch (err) {
    throw unreadable(path, `SQLite could not open it (${describe(err)})`, err);
  }
  try {
    const appId = db.pragma('application_id', { simple: true }) as number;
    const tables = db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE type = 'table'").get() as { n: number };
    if (tables.n > 0 && appId !== APPLICATION_ID) {
      throw unreadable(path, 'the file is a SQLite database but not a Skiff store; it was left untouched', undefined, { foreign: true });
    }
    const version = db.pragma('user_version', { simple: true }) as number;
    if (tables.n > 0 && version !== SCHEMA_VERSION) {
      throw unreadable(path, `the store schema version is ${version}; this build reads version ${SCHEMA_VERSION}`, undefined, { version });
    }
    if (tables.n > 0) {
      const check = db.pragma('quick_check', { simple: true }) as string;
      if (check !== 'ok') throw unreadable(path, `the database is corrupt (quick_check: ${check})`, undefined, { corrupt: true });
    }
    db.pragma('journal_mode = WAL');
    db.pragma(`synchronous = ${synchronous === 'full' ? 'FULL' : 'NORMAL'}`);
    // One process owns the file: a second server on the same file fails instead of racing.
    db.pragma('locking_mode = EXCLUSIVE');
    db.exec('BEGIN IMMEDIATE');
    try {
      db.exec(SCHEMA);
      db.pragma(`application_id = ${APPLICATION_ID}`);
      db.pragma(`user_version = ${SCHEMA_VERSION}`);
      db.exec('COMMIT');
    } catch (err) {
      db.exec('ROLLBACK');
      throw err;
    }
    return db;
  } catch (err) {
    db.close();
    if (err instanceof SkiffError) throw err;
    const code = (err as { code?: unknown }).code;
    const corrupt = code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT';
    const reason = corrupt
      ? `the database is corrupt (${describe(err)}); it was left untouched`
      : code === 'SQLITE_BUSY'
        ? 'another process holds the database open (only one server may use a SQLite store)'
        : describe(err);
    throw unreadable(path, reason, err, { corrupt, ...(typeof code === 'string' ? { sqliteCode: code } : {}) });
  }
}

function describe(err: unknown): string {
  const code = (err as { code?: unknown }).code;
  const message = err instanceof Error ? err.message : String(err);
  return typeof code === 'string' ? `${code}: ${message}` : message;
}
