import type Database from 'better-sqlite3';
import type { KubeObject, ObjectBase, RawChange } from '@skiff/core';

/** One row of the revision log: a create, update or delete of `name` at revision `id`. */
export interface LogRow {
  id: number;
  name: string;
  created: number;
  deleted: number;
  create_revision: number;
  prev_revision: number;
  value: string | null;
}

/** A log row joined with the value it replaced (for watch events). */
export interface ChangeRow extends LogRow {
  prev_value: string | null;
}

/** The highest code point: `prefix + PREFIX_END` bounds a prefix range for ASCII-ordered keys. */
const PREFIX_END = '\u{10FFFF}';

/** The half-open key range `[prefix, prefix + U+10FFFF)` of a prefix scan (filtered again with `startsWith`). */
export function prefixRange(prefix: string): [string, string] {
  return [prefix, prefix + PREFIX_END];
}

/** Parses a stored value and stamps `resourceVersion`. */
export function decode<T extends ObjectBase = KubeObject>(text: string, revision: number): T {
  const obj = JSON.parse(text) as T;
  obj.metadata = { ...obj.metadata, resourceVersion: String(revision) };
  return obj;
}

/** The prepared statements the store runs; prepared once per open database. */
export class Statements {
  readonly latest: Database.Statement<[string], LogRow>;
  readonly insertAt: Database.Statement<[number, string, number, number, number, number, string | null]>;
  readonly listAt: Database.Statement<[string, string, string, number], LogRow>;
  readonly changesAfter: Database.Statement<[number, string, string, number], ChangeRow>;
  readonly compacted: Database.Statement<[], { value: number }>;
  readonly setCompacted: Database.Statement<[number]>;
  readonly sequence: Database.Statement<[], { seq: number }>;
  readonly oldest: Database.Statement<[], { id: number | null }>;
  readonly rowCount: Database.Statement<[], { n: number }>;
  readonly windowEnd: Database.Statement<[number, number], { id: number }>;
  readonly compactWindow: Database.Statement<[number, number, number]>;

  constructor(db: Database.Database) {
    this.latest = db.prepare('SELECT * FROM log WHERE name = ? ORDER BY id DESC LIMIT 1');
    this.insertAt = db.prepare(
      'INSERT INTO log (id, name, created, deleted, create_revision, prev_revision, value) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
    // The newest version at or below a revision of every key in [from, to) after a key, live ones only.
    this.listAt = db.prepare(`
      SELECT l.* FROM log l JOIN (
        SELECT MAX(id) AS id FROM log WHERE name > ? AND name < ? AND name >= ? AND id <= ? GROUP BY name
      ) m ON l.id = m.id
      WHERE l.deleted = 0 ORDER BY l.name`);
    this.changesAfter = db.prepare(`
      SELECT l.*, p.value AS prev_value FROM log l LEFT JOIN log p ON p.id = l.prev_revision
      WHERE l.id > ? AND l.name >= ? AND l.name < ? ORDER BY l.id LIMIT ?`);
    this.compacted = db.prepare("SELECT value FROM meta WHERE name = 'compacted'");
    this.setCompacted = db.prepare("UPDATE meta SET value = ? WHERE name = 'compacted'");
    this.sequence = db.prepare("SELECT seq FROM sqlite_sequence WHERE name = 'log'");
    this.oldest = db.prepare('SELECT MIN(id) AS id FROM log');
    this.rowCount = db.prepare('SELECT count(*) AS n FROM log');
    // The id of the Nth row after a cursor: the end of one bounded compaction window.
    this.windowEnd = db.prepare('SELECT id FROM log WHERE id > ? ORDER BY id LIMIT 1 OFFSET ?');
    // Deletes rows in (after, end] that are tombstones or that a later row at or below the target supersedes.
    this.compactWindow = db.prepare(`
      DELETE FROM log WHERE id > ? AND id <= ? AND (
        deleted = 1 OR EXISTS (SELECT 1 FROM log n WHERE n.name = log.name AND n.id > log.id AND n.id <= ?)
      )`);
  }
}

/** Turns a log row into the raw change watch filtering works on. */
export function toRawChange(row: ChangeRow): RawChange {
  return {
    revision: row.id,
    key: row.name,
    object: row.deleted ? undefined : decode<KubeObject>(row.value as string, row.id),
    prev: row.created || row.prev_value === null ? undefined : decode<KubeObject>(row.prev_value, row.prev_revision),
  };
}
