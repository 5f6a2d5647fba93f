import { randomUUID } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import type { KubeObject } from '../objects/types.js';
import type { ResourceInfo } from './resources.js';

const GENERATE_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

/** Appends 5 random characters to a `generateName` prefix, as Kubernetes does. */
export function generateName(prefix: string): string {
  let suffix = '';
  for (let i = 0; i < 5; i++) suffix += GENERATE_ALPHABET[Math.floor(Math.random() * GENERATE_ALPHABET.length)];
  return `${prefix}${suffix}`;
}

/** RFC 3339 with second precision, as Kubernetes writes timestamps. */
export function now(): string {
  return new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Everything but metadata and status: what bumps `metadata.generation` when it changes. */
function specOf(obj: KubeObject): Record<string, unknown> {
  const { metadata: _m, status: _s, apiVersion: _a, kind: _k, ...rest } = obj;
  return rest;
}

/** Sets the fields the server owns on create: uid, creationTimestamp, generation; drops the rest. */
export function prepareCreate(res: ResourceInfo, body: KubeObject, namespace: string | undefined): KubeObject {
  const obj = structuredClone(body);
  const meta = { ...obj.metadata };
  if (!meta.name && meta.generateName) meta.name = generateName(meta.generateName);
  if (res.namespaced) meta.namespace = namespace;
  else delete meta.namespace;
  meta.uid = randomUUID();
  meta.creationTimestamp = now();
  meta.generation = 1;
  delete meta.resourceVersion;
  delete meta.deletionTimestamp;
  delete meta.deletionGracePeriodSeconds;
  obj.metadata = meta;
  return obj;
}

/**
 * Builds the object an update stores. A main-resource write keeps the stored status (when status is
 * a subresource); a status write keeps everything but status. Server-owned metadata always comes
 * from the stored object; generation goes up when anything outside metadata and status changed.
 */
export function prepareUpdate(res: ResourceInfo, current: KubeObject, body: KubeObject, subresource?: 'status'): KubeObject {
  let obj: KubeObject;
  if (subresource === 'status') {
    obj = structuredClone(current);
    if (body['status'] === undefined) delete obj['status'];
    else obj['status'] = structuredClone(body['status']);
  } else {
    obj = structuredClone(body);
    if (res.statusSubresource) {
      if (current['status'] === undefined) delete obj['status'];
      else obj['status'] = structuredClone(current['status']);
    }
  }
  const cm = current.metadata;
  const meta = { ...obj.metadata };
  meta.name = cm.name;
  if (cm.namespace !== undefined) meta.namespace = cm.namespace;
  meta.uid = cm.uid;
  meta.creationTimestamp = cm.creationTimestamp;
  if (cm.deletionTimestamp !== undefined) meta.deletionTimestamp = cm.deletionTimestamp;
  else delete meta.deletionTimestamp;
  if (cm.deletionGracePeriodSeconds !== undefined) meta.deletionGracePeriodSeconds = cm.deletionGracePeriodSeconds;
  else delete meta.deletionGracePeriodSeconds;
  meta.resourceVersion = cm.resourceVersion;
  const generation = cm.generation ?? 1;
  meta.generation = isDeepStrictEqual(specOf(current), specOf(obj)) ? generation : generation + 1;
  obj.metadata = meta;
  return obj;
}

/** True when storing `next` would change nothing (Kubernetes then skips the write). */
export function unchanged(current: KubeObject, next: KubeObject): boolean {
  return isDeepStrictEqual(current, next);
}
