import type { KubeObject, ObjectBase } from '@skiff/core';
import type { IKeyValue } from 'etcd3';

/** The etcd key of a store key: the store's prefix, then the key, as UTF-8. */
export function etcdKey(prefix: string, key: string): Buffer {
  return Buffer.from(prefix + key, 'utf8');
}

/**
 * The exclusive end of etcd's range for every key starting with `start`: the prefix with its last
 * byte below 0xff incremented; `\0` (meaning "to the end of the keyspace") when there is none.
 */
export function prefixEnd(start: Buffer): Buffer {
  const end = Buffer.from(start);
  for (let i = end.length - 1; i >= 0; i--) {
    if ((end[i] as number) < 0xff) {
      end[i] = (end[i] as number) + 1;
      return end.subarray(0, i + 1);
    }
  }
  return Buffer.from([0]);
}

/** The key right after `key` in etcd's byte order (used to continue a range after it). */
export function keyAfter(key: Buffer): Buffer {
  return Buffer.concat([key, Buffer.from([0])]);
}

/** Decodes an etcd value and stamps `resourceVersion`. */
export function decode<T extends ObjectBase = KubeObject>(value: Buffer, revision: number | string): T {
  const obj = JSON.parse(value.toString('utf8')) as T;
  obj.metadata = { ...obj.metadata, resourceVersion: String(revision) };
  return obj;
}

/** The store key of an etcd key-value (the prefix removed). */
export function storeKey(prefix: string, kv: IKeyValue): string {
  return kv.key.toString('utf8').slice(prefix.length);
}
