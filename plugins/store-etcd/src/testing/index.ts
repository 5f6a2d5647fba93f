/**
 * @skiff/plugin-store-etcd/testing: start real etcd processes (a single member or a cluster) on
 * free loopback ports with data in temp folders, for tests and benchmarks.
 */
export * from './etcd-process.js';
