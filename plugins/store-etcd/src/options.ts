/** Options of {@link etcdStore}. */
export interface EtcdStoreOptions {
  /** Client URLs of the etcd members, e.g. `['http://127.0.0.1:2379']`. */
  endpoints: string[];
  /**
   * Prepended to every key, so several clusters can share one etcd (default `''`). Compaction is
   * global to etcd, so clusters sharing one also share its compaction point.
   */
  prefix?: string;
  /** How long to wait for a connection, in ms (default 5000). */
  dialTimeoutMs?: number;
  /**
   * `compact(r)` takes effect for this store at once, but etcd is compacted to `r` only when none of
   * this store's watches could still be replaying history below `r`: a watch counts as caught up
   * once it streamed up to where etcd was when it registered, or this long after (default 1000 ms).
   * Keep it well above etcd's 100 ms catch-up interval for unsynced watchers.
   */
  compactionGraceMs?: number;
  /** Keys read per range request when listing (default 500); bounds the size of one response. */
  pageSize?: number;
}
