import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { isSkiffError } from '@skiff/core';
import { configMap, cmKey } from '@skiff/core/testing';
import { sqliteStore } from '../src/index.js';
import { TempDirs } from './temp-dir.js';

const dirs = new TempDirs();
afterAll(() => dirs.cleanup());

function openError(path: string): unknown {
  try {
    sqliteStore({ path, compaction: false });
  } catch (err) {
    return err;
  }
  throw new Error('expected the open to fail');
}

describe('sqlite store start-up checks', () => {
  it('refuses a file of garbage bytes, names the path, and leaves the file untouched', () => {
    const path = dirs.dbPath();
    const garbage = Buffer.from(Array.from({ length: 8192 }, (_, i) => (i * 131 + 7) % 256));
    writeFileSync(path, garbage);
    const err = openError(path);
    expect(isSkiffError(err, 'SKIFF_ERR_STORE_CORRUPT')).toBe(true);
    if (!isSkiffError(err)) return;
    expect(err.details['path']).toBe(path);
    expect(err.message).toContain(path);
    expect(readFileSync(path).equals(garbage)).toBe(true);
  });

  it('refuses a Skiff database whose pages are damaged, leaving the file untouched', async () => {
    const path = dirs.dbPath();
    const store = sqliteStore({ path, compaction: false });
    for (let i = 0; i < 200; i++) await store.create(cmKey(`c${i}`), configMap(`c${i}`, { blob: 'x'.repeat(500) }));
    await store.close();
    const bytes = readFileSync(path);
    // Keep the header page, scribble over the b-tree pages behind it.
    for (let i = 4096 + 100; i < bytes.length; i += 7) bytes[i] = 0xa5;
    writeFileSync(path, bytes);
    const err = openError(path);
    expect(isSkiffError(err, 'SKIFF_ERR_STORE_CORRUPT')).toBe(true);
    if (!isSkiffError(err)) return;
    expect(err.details['path']).toBe(path);
    expect(readFileSync(path).equals(bytes)).toBe(true);
  });

  it('refuses a SQLite database that is not a Skiff store', () => {
    const path = dirs.dbPath();
    const other = new Database(path);
    other.exec('CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT)');
    other.close();
    const before = readFileSync(path);
    const err = openError(path);
    expect(isSkiffError(err, 'SKIFF_ERR_STORE_CORRUPT')).toBe(true);
    if (isSkiffError(err)) expect(err.details['foreign']).toBe(true);
    expect(readFileSync(path).equals(before)).toBe(true);
  });

  it('reports a path that is a folder clearly', () => {
    const path = dirs.make();
    const err = openError(path);
    expect(isSkiffError(err, 'SKIFF_ERR_STORE_INVALID')).toBe(true);
    if (isSkiffError(err)) expect(err.details['path']).toBe(path);
  });

  it('reports a missing folder clearly', () => {
    const path = join(dirs.make(), 'no', 'such', 'dir', 'skiff.db');
    const err = openError(path);
    expect(isSkiffError(err, 'SKIFF_ERR_STORE_INVALID')).toBe(true);
    if (isSkiffError(err)) expect(err.details['path']).toBe(path);
  });

  it('a second store on the same file is refused while the first holds it', async () => {
    const path = dirs.dbPath();
    const first = sqliteStore({ path, compaction: false });
    await first.create(cmKey('a'), configMap('a'));
    try {
      const err = openError(path);
      expect(isSkiffError(err, 'SKIFF_ERR_STORE_INVALID')).toBe(true);
    } finally {
      await first.close();
    }
  }, 20_000);
});
