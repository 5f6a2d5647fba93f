import type { KubeObject } from '../objects/types.js';
import type { FieldMatcher, LabelMatcher, WatchEvent, WatchEventType } from './types.js';

/** One change as a store records it: the new state (absent for a delete) and the previous one. */
export interface RawChange {
  revision: number;
  key: string;
  object: KubeObject | undefined;
  prev: KubeObject | undefined;
}

function matches(obj: KubeObject | undefined, labels?: LabelMatcher, fields?: FieldMatcher): boolean {
  if (!obj) return false;
  if (labels && !labels.matches(obj.metadata.labels ?? {})) return false;
  if (fields && !fields.matches(obj)) return false;
  return true;
}

/**
 * Turns a raw change into the event a watcher with these selectors sees, or undefined when it sees
 * nothing. Like Kubernetes' cacher: entering the selection is ADDED, leaving it is DELETED.
 */
export function toWatchEvent(change: RawChange, labels?: LabelMatcher, fields?: FieldMatcher): WatchEvent | undefined {
  const now = matches(change.object, labels, fields);
  const before = matches(change.prev, labels, fields);
  let type: WatchEventType;
  let object: KubeObject;
  if (change.object && now) {
    type = before ? 'MODIFIED' : 'ADDED';
    object = change.object;
  } else if (before && change.prev) {
    type = 'DELETED';
    object = change.object ?? change.prev;
  } else {
    return undefined;
  }
  if (!change.object) {
    // A deletion carries the last state stamped with the deletion revision.
    object = { ...object, metadata: { ...object.metadata, resourceVersion: String(change.revision) } };
  }
  return { type, key: change.key, object, revision: change.revision };
}

/** True when `key` lies under `prefix` (plain string prefix, as etcd ranges do). */
export function underPrefix(key: string, prefix: string): boolean {
  return key.startsWith(prefix);
}
