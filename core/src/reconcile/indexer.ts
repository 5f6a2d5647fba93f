import type { KubeObject, ObjectBase } from '../objects/types.js';
import { requestKey } from './types.js';

/**
 * Computes the values an object is indexed under (e.g. `[obj.spec.nodeName]`). It must be a pure
 * function of the object, must not mutate it, and should not throw (an object whose index function
 * throws is left out of that index and the error is reported). Return `[]` to leave the object out.
 */
export type IndexFunc<T extends ObjectBase = KubeObject> = (obj: T) => string[];

/** Index functions by index name. */
export type Indexers<T extends ObjectBase = KubeObject> = Record<string, IndexFunc<T>>;

/** The name of the namespace index every informer has (client-go `cache.NamespaceIndex`). */
export const NAMESPACE_INDEX = 'namespace';

/** Indexes an object under its namespace; `''` for cluster-scoped objects (client-go `MetaNamespaceIndexFunc`). */
export function namespaceIndexFunc(obj: ObjectBase): string[] {
  return [obj.metadata.namespace ?? ''];
}

/**
 * The cache key of an object: `namespace/name`, or `name` for cluster-scoped objects (client-go
 * `MetaNamespaceKeyFunc`). It equals `requestKey` of the object's request.
 *
 * @throws TypeError when the object has no `metadata.name` (or a part contains `/`).
 */
export function objectKey(obj: ObjectBase): string {
  const { namespace, name } = obj.metadata;
  return requestKey(namespace !== undefined && namespace !== '' ? { namespace, name: name ?? '' } : { name: name ?? '' });
}

/**
 * Read access to a cache of objects. Objects returned are the cache's own (shared with every
 * other reader and with event handlers): callers must not mutate them; copy first
 * (`structuredClone`) to change one. Lists are in no particular order.
 */
export interface CacheReader<T extends ObjectBase = KubeObject> {
  /** The object with the cache key (`ns/name` or `name`), if cached. */
  get(key: string): T | undefined;
  /** Every cached object. */
  list(): T[];
  /** Every cache key. */
  keys(): string[];
  /** The objects whose index function for `indexName` returned `value`. @throws RangeError for an unknown index. */
  byIndex(indexName: string, value: string): T[];
  /** The keys of those objects. @throws RangeError for an unknown index. */
  indexKeys(indexName: string, value: string): string[];
  /** Every value `indexName` currently holds objects under. @throws RangeError for an unknown index. */
  indexValues(indexName: string): string[];
}

/**
 * A keyed object cache with secondary indexes (client-go `cache.Indexer`). Informers own one and
 * are the only writers; readers get it as a {@link CacheReader}. It stores the objects given to
 * it as they are (no copies).
 */
export class Indexer<T extends ObjectBase = KubeObject> implements CacheReader<T> {
  private readonly items = new Map<string, T>();
  private readonly indexFuncs = new Map<string, IndexFunc<T>>();
  /** index name → value → keys. */
  private readonly indices = new Map<string, Map<string, Set<string>>>();
  /** index name → key → the values the key is indexed under (so removal does not recompute). */
  private readonly valuesByKey = new Map<string, Map<string, string[]>>();
  private readonly onIndexError: (err: unknown, indexName: string, key: string) => void;

  /**
   * @param indexers the initial indexes.
   * @param onIndexError told when an index function throws; the object is left out of that index.
   */
  constructor(indexers: Indexers<T> = {}, onIndexError?: (err: unknown, indexName: string, key: string) => void) {
    this.onIndexError = onIndexError ?? (() => {});
    this.addIndexers(indexers);
  }

  /**
   * Adds indexes; objects already cached are indexed at once. Safe at any time.
   *
   * @throws RangeError when an index with one of the names exists (nothing is added then).
   */
  addIndexers(indexers: Indexers<T>): void {
    const entries = Object.entries(indexers);
    for (const [name] of entries) {
      if (this.indexFuncs.has(name)) throw new RangeError(`index ${JSON.stringify(name)} already exists`);
    }
    for (const [name, fn] of entries) {
      this.indexFuncs.set(name, fn);
      this.indices.set(name, new Map());
      this.valuesByKey.set(name, new Map());
      for (const [key, obj] of this.items) this.indexOne(name, fn, key, obj);
    }
  }

  /** Names of the indexes. */
  indexNames(): string[] {
    return [...this.indexFuncs.keys()];
  }

  get(key: string): T | undefined {
    return this.items.get(key);
  }

  list(): T[] {
    return [...this.items.values()];
  }

  keys(): string[] {
    return [...this.items.keys()];
  }

  /** How many objects are cached. */
  size(): number {
    return this.items.size;
  }

  byIndex(indexName: string, value: string): T[] {
    const out: T[] = [];
    for (const key of this.indexKeys(indexName, value)) {
      const obj = this.items.get(key);
      if (obj !== undefined) out.push(obj);
    }
    return out;
  }

  indexKeys(indexName: string, value: string): string[] {
    const keys = this.index(indexName).get(value);
    return keys ? [...keys] : [];
  }

  indexValues(indexName: string): string[] {
    return [...this.index(indexName).keys()];
  }

  /** Stores `obj` under `key`, replacing what was there, and re-indexes it. */
  set(key: string, obj: T): void {
    this.unindex(key);
    this.items.set(key, obj);
    for (const [name, fn] of this.indexFuncs) this.indexOne(name, fn, key, obj);
  }

  /** Removes `key`; returns the object that was cached. */
  delete(key: string): T | undefined {
    const old = this.items.get(key);
    if (old === undefined) return undefined;
    this.unindex(key);
    this.items.delete(key);
    return old;
  }

  private index(indexName: string): Map<string, Set<string>> {
    const index = this.indices.get(indexName);
    if (index === undefined) throw new RangeError(`index ${JSON.stringify(indexName)} does not exist`);
    return index;
  }

  private indexOne(name: string, fn: IndexFunc<T>, key: string, obj: T): void {
    let values: string[];
    try {
      const result = fn(obj);
      if (!Array.isArray(result)) throw new TypeError(`index function ${JSON.stringify(name)} did not return an array`);
      values = [...new Set(result.map(String))];
    } catch (err) {
      this.onIndexError(err, name, key);
      return;
    }
    if (values.length === 0) return;
    const index = this.indices.get(name) as Map<string, Set<string>>;
    for (const v of values) {
      let keys = index.get(v);
      if (keys === undefined) index.set(v, (keys = new Set()));
      keys.add(key);
    }
    (this.valuesByKey.get(name) as Map<string, string[]>).set(key, values);
  }

  private unindex(key: string): void {
    for (const [name, byKey] of this.valuesByKey) {
      const values = byKey.get(key);
      if (values === undefined) continue;
      byKey.delete(key);
      const index = this.indices.get(name) as Map<string, Set<string>>;
      for (const v of values) {
        const keys = index.get(v);
        if (keys === undefined) continue;
        keys.delete(key);
        if (keys.size === 0) index.delete(v);
      }
    }
  }
}
