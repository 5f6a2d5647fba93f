/**
 * @skiff/plugin-store-sqlite: the embedded default store, a kine-style revision log in one SQLite
 * file (WAL mode, synchronous=NORMAL by default). See docs/adr/0002-sqlite-store.md.
 */
export { SqliteStore, sqliteStore, openSqliteStore } from './sqlite-store.js';
export type { SqliteStoreOptions, CompactionOptions, SqliteStoreHealth } from './options.js';
export type { SynchronousMode } from './database.js';
export { sqliteStorePlugin } from './plugin.js';
