/**
 * @skiff/plugin-store-etcd: the store contract on a real etcd v3 cluster, for clusters with
 * several API servers. See docs/adr/0003-etcd-store.md.
 */
export { EtcdStore, etcdStore, openEtcdStore } from './etcd-store.js';
export type { EtcdStoreOptions } from './options.js';
export { etcdStorePlugin } from './plugin.js';
