import { SkiffError } from '../errors.js';
import type { KubeObject, ObjectBase } from '../objects/types.js';
import type { Channel } from './channel.js';
import { decodeContinue } from './keys.js';
import type { ListOptions, Watch, WatchEvent, WatchOptions } from './types.js';
import { type RawChange, toWatchEvent, underPrefix } from './watch-filter.js';

/**
 * Pieces every store implementation needs in the same form, so the stores report the same errors
 * and filter lists the same way.
 */

/** The value to store: the object without `metadata.resourceVersion` (the store owns it). */
export function stripRevision(value: ObjectBase): ObjectBase {
  if (!value || typeof value !== 'object' || !value.metadata || typeof value.metadata !== 'object') {
    throw new SkiffError('SKIFF_ERR_STORE_INVALID', 'a stored value must be an object with metadata');
  }
  const { resourceVersion: _rv, ...metadata } = value.metadata;
  return { ...value, metadata };
}

export const existsError = (key: string) => new SkiffError('SKIFF_ERR_STORE_EXISTS', `${key} already exists`, { key });

export const notFoundError = (key: string) => new SkiffError('SKIFF_ERR_STORE_NOT_FOUND', `${key} not found`, { key });

export const conflictError = (key: string, expected: string, actual: string | number) =>
  new SkiffError('SKIFF_ERR_STORE_CONFLICT', `${key} was modified (resourceVersion ${actual}, not ${expected})`, {
    key,
    expected,
    actual: String(actual),
  });

/**
 * Where a list page starts: at `current` for a first page, or at the revision and key a
 * continue token names. A token whose revision was compacted fails with `SKIFF_ERR_STORE_GONE`;
 * a malformed one with `SKIFF_ERR_STORE_INVALID`.
 */
export function listStart(options: ListOptions, current: number, compacted: number): { revision: number; startAfter: string | undefined } {
  if (!options.continue) return { revision: current, startAfter: undefined };
  const token = decodeContinue(options.continue);
  if (token.revision < compacted) {
    throw new SkiffError('SKIFF_ERR_STORE_GONE', 'the continue token is too old: its revision was compacted', {
      revision: token.revision,
      compacted,
    });
  }
  return { revision: token.revision, startAfter: token.startAfter };
}

/** True when an object passes a list's label and field selectors. */
export function matchesListSelectors(obj: ObjectBase, options: ListOptions): boolean {
  if (options.labelSelector && !options.labelSelector.matches(obj.metadata.labels ?? {})) return false;
  if (options.fieldSelector && !options.fieldSelector.matches(obj as unknown as KubeObject)) return false;
  return true;
}

/** What a store keeps per watcher: the watched prefix, its options, and the stream it feeds. */
export interface StoreWatcher {
  prefix: string;
  options: WatchOptions;
  channel: Channel<WatchEvent>;
}

/** Sends one stored change to a watcher when it is under the prefix, after its start and visible through its selectors. */
export function deliverChange(watcher: StoreWatcher, change: RawChange): void {
  if (!underPrefix(change.key, watcher.prefix) || change.revision <= watcher.options.fromRevision) return;
  const event = toWatchEvent(change, watcher.options.labelSelector, watcher.options.fieldSelector);
  if (event) watcher.channel.push(structuredClone(event));
}

/** The error for a watch or read at a compacted revision. */
export const goneError = (revision: number, compacted: number) =>
  new SkiffError('SKIFF_ERR_STORE_GONE', `revision ${revision} has been compacted (oldest is ${compacted})`, { revision, compacted });

/** The `Watch` a store hands out over a watcher's channel. */
export function watchHandle<T extends ObjectBase>(channel: Channel<WatchEvent>): Watch<T> {
  return {
    [Symbol.asyncIterator]: () => (channel as unknown as Channel<WatchEvent<T>>)[Symbol.asyncIterator](),
    stop: () => channel.close(),
  };
}
