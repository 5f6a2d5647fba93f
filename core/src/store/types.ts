import type { KubeObject, ObjectBase } from '../objects/types.js';

/** Anything that can decide whether an object's labels match (see `parseSelector`). */
export interface LabelMatcher {
  matches(labels: Readonly<Record<string, string>>): boolean;
}

/** Anything that can decide whether an object matches on its fields (see `parseFieldSelector`). */
export interface FieldMatcher {
  matches(object: KubeObject): boolean;
}

export interface ListOptions {
  labelSelector?: LabelMatcher;
  fieldSelector?: FieldMatcher;
  /** At most this many items; 0 or absent means no limit. */
  limit?: number;
  /** The opaque token a previous page returned. Later pages read at the first page's revision. */
  continue?: string;
}

export interface ListResult<T extends ObjectBase = KubeObject> {
  /** Items ordered by key, each with `metadata.resourceVersion` set to its last modification revision. */
  items: T[];
  /** The store revision the list was read at. */
  revision: number;
  /** Set when more items remain; pass it back as `ListOptions.continue`. */
  continue?: string;
  /** How many matching-by-prefix items remain after this page, when known. */
  remainingItemCount?: number;
}

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface WatchEvent<T extends ObjectBase = KubeObject> {
  type: WatchEventType;
  key: string;
  /** The object after the change; for DELETED, the last state, with `resourceVersion` set to the deletion revision. */
  object: T;
  /** The revision of this change. Strictly increasing along one watch. */
  revision: number;
}

export interface WatchOptions {
  /** Deliver changes strictly after this revision. 0 replays all retained history. */
  fromRevision: number;
  /**
   * With selectors, the watch reports what a client filtering by them would see: an object that
   * starts matching arrives as ADDED, one that stops matching as DELETED, others are dropped.
   */
  labelSelector?: LabelMatcher;
  fieldSelector?: FieldMatcher;
}

/**
 * A running watch: an async iterable of events. Iteration ends after `stop()` or when the store
 * closes. A watch that cannot start (its revision is compacted) rejects its first `next()` with
 * `SKIFF_ERR_STORE_GONE`; `store.watch` itself never throws.
 */
export interface Watch<T extends ObjectBase = KubeObject> extends AsyncIterable<WatchEvent<T>> {
  stop(): void;
}

/**
 * The store contract, with etcd's semantics. One global revision counts every write; an object's
 * `metadata.resourceVersion` is the decimal string of the revision that last modified it.
 *
 * Contract:
 * - `create` fails with `SKIFF_ERR_STORE_EXISTS` when the key holds a value.
 * - `update` fails with `SKIFF_ERR_STORE_NOT_FOUND` when the key is absent, and when the value's
 *   `metadata.resourceVersion` is non-empty and differs from the stored one, with
 *   `SKIFF_ERR_STORE_CONFLICT` (compare-and-swap). An empty resourceVersion updates unconditionally.
 * - `delete` fails with `SKIFF_ERR_STORE_NOT_FOUND` when absent, `SKIFF_ERR_STORE_CONFLICT` when
 *   `expectedResourceVersion` is given and differs. It returns the last state.
 * - `watch` delivers ADDED/MODIFIED/DELETED strictly after `fromRevision`, in revision order, each
 *   change exactly once; watching from a revision older than the last compaction fails with
 *   `SKIFF_ERR_STORE_GONE` (the first `next()` rejects).
 * - `compact(r)` discards history at and below `r`, except what is needed to answer reads at the
 *   current revision; afterwards `watch` from any revision below `r`, and list continuations read at
 *   such a revision, fail with `SKIFF_ERR_STORE_GONE`.
 * - Values written are copied; callers may mutate what they passed in or got back.
 */
export interface Store {
  get<T extends ObjectBase = KubeObject>(key: string): Promise<T | undefined>;
  list<T extends ObjectBase = KubeObject>(prefix: string, options?: ListOptions): Promise<ListResult<T>>;
  create<T extends ObjectBase = KubeObject>(key: string, value: T): Promise<T>;
  update<T extends ObjectBase = KubeObject>(key: string, value: T): Promise<T>;
  delete<T extends ObjectBase = KubeObject>(key: string, options?: { expectedResourceVersion?: string }): Promise<T>;
  watch<T extends ObjectBase = KubeObject>(prefix: string, options: WatchOptions): Watch<T>;
  compact(revision: number): Promise<void>;
  /** The latest revision written (0 for an empty memory or SQLite store; etcd starts at its own revision). */
  currentRevision(): Promise<number>;
  /** The revision of the last compaction (0 if none). */
  compactedRevision(): Promise<number>;
  /** Stops every watch and releases resources. Further calls fail with `SKIFF_ERR_STORE_CLOSED`. */
  close(): Promise<void>;
}
