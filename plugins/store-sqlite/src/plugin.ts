import { definePlugin } from '@skiff/core';
import type { SqliteStoreOptions } from './options.js';
import { openSqliteStore } from './sqlite-store.js';

/**
 * Makes SQLite the cluster's store: registers `sqlite` in the store registry (opening the database
 * at `options.path` when the cluster starts) and selects it. Start-up fails with
 * `SKIFF_ERR_STORE_CORRUPT` for a damaged or foreign file and `SKIFF_ERR_STORE_INVALID` for one it
 * cannot open; the file is never replaced.
 */
export const sqliteStorePlugin = definePlugin<SqliteStoreOptions>({
  name: 'SqliteStore',
  core: '^0.1.0',
  optionsSchema: {
    type: 'object',
    required: ['path'],
    additionalProperties: false,
    properties: {
      path: { type: 'string', minLength: 1 },
      synchronous: { enum: ['full', 'normal'] },
      compaction: {
        anyOf: [
          { const: false },
          {
            type: 'object',
            additionalProperties: false,
            properties: {
              intervalMs: { type: 'integer', minimum: 1 },
              retainRevisions: { type: 'integer', minimum: 0 },
              retainMs: { type: 'integer', minimum: 0 },
              batchRows: { type: 'integer', minimum: 1 },
            },
          },
        ],
      },
    },
  },
  apply(cluster, options) {
    cluster.registries.store.register('sqlite', () => openSqliteStore(options), 'SqliteStore');
    cluster.useStore('sqlite');
  },
});
