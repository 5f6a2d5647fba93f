import { definePlugin } from '@skiff/core';
import { openEtcdStore } from './etcd-store.js';
import type { EtcdStoreOptions } from './options.js';

/**
 * Makes etcd the cluster's store: registers `etcd` in the store registry (connecting to
 * `options.endpoints` when the cluster starts) and selects it. Start-up fails with
 * `SKIFF_ERR_STORE_UNAVAILABLE` when no endpoint answers.
 */
export const etcdStorePlugin = definePlugin<EtcdStoreOptions>({
  name: 'EtcdStore',
  core: '^0.1.0',
  optionsSchema: {
    type: 'object',
    required: ['endpoints'],
    additionalProperties: false,
    properties: {
      endpoints: { type: 'array', minItems: 1, items: { type: 'string', pattern: '^https?://' } },
      prefix: { type: 'string' },
      dialTimeoutMs: { type: 'integer', minimum: 1 },
      compactionGraceMs: { type: 'integer', minimum: 0 },
      pageSize: { type: 'integer', minimum: 1 },
    },
  },
  apply(cluster, options) {
    cluster.registries.store.register('etcd', () => openEtcdStore(options), 'EtcdStore');
    cluster.useStore('etcd');
  },
});
