import { isDeepStrictEqual } from 'node:util';
import type { KubeObject } from '../objects/types.js';
import type { SchemaRegistry } from '../schema/registry.js';
import { errors } from './status.js';
import { indexIn, isMap, orderMerged, type JsonMap } from './strategic-merge-order.js';
import { PatchSchema, type PatchMeta } from './strategic-merge-schema.js';

export { PatchSchema, type PatchMeta } from './strategic-merge-schema.js';

const PATCH = '$patch';
const RETAIN_KEYS = '$retainKeys';
const SET_ORDER = '$setElementOrder/';
const DELETE_FROM = '$deleteFromPrimitiveList/';

/** Marks a map a `$patch: delete` directive removed. */
const DELETED = Symbol('deleted');
type Merged<T> = T | typeof DELETED;

/**
 * Applies a strategic merge patch (`application/strategic-merge-patch+json`) to `original` with
 * Kubernetes' semantics (k8s.io/apimachinery/pkg/util/strategicpatch, as the API server applies
 * it), driven by the schema's `x-kubernetes-patch-strategy` / `x-kubernetes-patch-merge-key`:
 *
 * - maps merge recursively; a `null` member deletes the key;
 * - lists whose strategy includes `merge` merge: maps by their merge key (matching items merge,
 *   new ones are added), primitives as a set union; every other list is replaced;
 * - `$patch: replace` on a map replaces it, as an item of a merged list replaces the list with the
 *   patch's other items; `$patch: delete` on a map deletes it, as an item of a merged list (with
 *   the merge key) deletes the matching item; `$retainKeys: [...]` keeps only those keys of the
 *   live map; `$deleteFromPrimitiveList/<f>: [...]` removes values from primitive list `f`;
 *   `$setElementOrder/<f>: [...]` orders merged list `f`;
 * - ordering follows Kubernetes: patch items in patch (or `$setElementOrder`) order, with items
 *   only the live list has interleaved by their live order — so without a `$setElementOrder` an
 *   item new to a list comes before the live items that follow no patched item.
 *
 * Where the schema says nothing (`PatchSchema.unknown`), maps merge and lists are replaced.
 * Directives never reach the result. Neither input is modified. Throws a 400 {@link ApiError} for
 * a malformed patch (unknown directive, list item without its merge key, bad directive value).
 */
export function strategicMergePatch(original: JsonMap, patch: JsonMap, schema: PatchSchema = PatchSchema.unknown): JsonMap {
  if (!isMap(patch)) throw errors.badRequest('a strategic merge patch must be a JSON object');
  const merged = mergeMap(structuredClone(original), structuredClone(patch), schema);
  return merged === DELETED ? {} : merged;
}

/**
 * The `applyPatch` entry for strategic merge: merges `patch` into a copy of `current` with the
 * schema `schemas` holds for its kind. As Kubernetes does for custom resources, a kind without a
 * registered schema refuses strategic merge patches with 415.
 */
export function applyStrategicMergePatch(current: KubeObject, patch: unknown, schemas: SchemaRegistry | undefined): KubeObject {
  if (!schemas || !schemas.has(current.apiVersion, current.kind)) throw errors.unsupportedMediaType('application/strategic-merge-patch+json');
  if (!isMap(patch)) throw errors.badRequest('a strategic merge patch must be a JSON object');
  const merged = strategicMergePatch(current, patch, PatchSchema.forKind(schemas, current.apiVersion, current.kind));
  return merged as KubeObject;
}

function mergeMap(original: JsonMap, patch: JsonMap, schema: PatchSchema): Merged<JsonMap> {
  if (PATCH in patch) {
    const directive = patch[PATCH];
    if (directive === 'replace') {
      delete patch[PATCH];
      return mergeMap({}, patch, schema);
    }
    if (directive === 'delete') return DELETED;
    throw errors.badRequest(`Unknown patch type: ${JSON.stringify(directive)} in map: ${JSON.stringify(patch)}`);
  }
  if (RETAIN_KEYS in patch) {
    const keep = patch[RETAIN_KEYS];
    delete patch[RETAIN_KEYS];
    if (!Array.isArray(keep)) throw errors.badRequest(`$retainKeys must be a list of field names, got ${JSON.stringify(keep)}`);
    for (const key of Object.keys(original)) if (!keep.includes(key)) delete original[key];
  }
  for (const key of Object.keys(patch)) if (key.startsWith(SET_ORDER)) applyElementOrder(original, patch, key, schema);
  const deletions: [string, unknown][] = [];
  for (const [key, value] of Object.entries(patch)) {
    if (key.startsWith(DELETE_FROM)) {
      deletions.push([key.slice(DELETE_FROM.length), value]);
      continue;
    }
    if (key.startsWith('$')) throw errors.badRequest(`unknown strategic merge patch directive ${JSON.stringify(key)}`);
    if (value === null) {
      delete original[key];
      continue;
    }
    const { schema: sub, meta } = schema.field(key);
    const live = original[key];
    let next: Merged<unknown>;
    if (isMap(live) && isMap(value)) next = meta.strategies.includes('replace') ? mergeMap({}, value, sub) : mergeMap(live, value, sub);
    else if (Array.isArray(live) && Array.isArray(value)) next = mergeList(live, value, sub.items(), meta);
    else next = fresh(value, sub, meta);
    if (next === DELETED) delete original[key];
    else original[key] = next;
  }
  for (const [key, values] of deletions) {
    if (!Array.isArray(values)) throw errors.badRequest(`${DELETE_FROM}${key} must be a list, got ${JSON.stringify(values)}`);
    const live = original[key];
    if (Array.isArray(live)) original[key] = live.filter((x) => !values.some((v) => isDeepStrictEqual(v, x)));
  }
  return original;
}

/** A patch value for a key the live map lacks (or holds with another type): directives processed, nulls dropped. */
function fresh(value: unknown, schema: PatchSchema, meta: PatchMeta): Merged<unknown> {
  if (isMap(value)) return mergeMap({}, value, schema);
  if (Array.isArray(value)) return mergeList([], value, schema.items(), meta);
  return value;
}

function isDirectiveItem(item: unknown): item is JsonMap {
  return isMap(item) && PATCH in item;
}

function mergeList(original: unknown[], patch: unknown[], items: PatchSchema, meta: PatchMeta): unknown[] {
  if (!meta.strategies.includes('merge')) return replaceList(patch, items);
  if (original.length === 0 && patch.length === 0) return original;
  const ofMaps = original.some(isMap) || patch.some(isMap);
  if (!ofMaps) {
    const merged: unknown[] = [];
    for (const x of [...original, ...patch]) if (indexIn(merged, x, undefined) < 0) merged.push(x);
    return orderMerged(merged, patch, original, undefined);
  }
  const mergeKey = meta.mergeKey;
  if (mergeKey === undefined) throw errors.badRequest('cannot merge lists without a merge key');
  let live = original;
  let replace = false;
  const plain: JsonMap[] = [];
  for (const item of patch) {
    if (!isMap(item)) throw errors.badRequest(`the items of a merged list must be maps, got ${JSON.stringify(item)}`);
    if (!(PATCH in item)) {
      plain.push(item);
      continue;
    }
    const directive = item[PATCH];
    if (directive === 'delete') {
      if (!(mergeKey in item)) throw errors.badRequest(`map: ${JSON.stringify(item)} does not contain declared merge key: ${mergeKey}`);
      live = live.filter((x) => !(isMap(x) && isDeepStrictEqual(x[mergeKey], item[mergeKey])));
    } else if (directive === 'replace') {
      replace = true;
    } else if (directive === 'merge') {
      throw errors.badRequest('merging lists cannot yet be specified in the patch');
    } else {
      throw errors.badRequest(`Unknown patch type: ${JSON.stringify(directive)} in map: ${JSON.stringify(item)}`);
    }
  }
  if (replace) return replaceList(plain, items);
  const merged = [...live];
  for (const item of plain) {
    if (!(mergeKey in item)) throw errors.badRequest(`map: ${JSON.stringify(item)} does not contain declared merge key: ${mergeKey}`);
    const at = indexIn(merged, item, mergeKey);
    const next = at >= 0 ? mergeMap(merged[at] as JsonMap, item, items) : mergeMap({}, item, items);
    if (next === DELETED) continue;
    if (at >= 0) merged[at] = next;
    else merged.push(next);
  }
  return orderMerged(merged, plain, live, mergeKey);
}

/** A list that replaces the live one: directive items dropped, directives inside items processed. */
function replaceList(patch: unknown[], items: PatchSchema): unknown[] {
  const out: unknown[] = [];
  for (const item of patch) {
    if (isDirectiveItem(item) && Object.keys(item).length === 1) continue;
    const next = isMap(item) ? mergeMap({}, item, items) : item;
    if (next !== DELETED) out.push(next);
  }
  return out;
}

/**
 * `$setElementOrder/<field>`: merges the patch's list `field` (if any) into the live one, then
 * orders it: the listed items as listed, items only the live list has by their live order
 * (Kubernetes' `mergePatchIntoOriginal`). Removes the directive and the list from `patch`.
 */
function applyElementOrder(original: JsonMap, patch: JsonMap, key: string, schema: PatchSchema): void {
  const order = patch[key];
  const field = key.slice(SET_ORDER.length);
  delete patch[key];
  if (!Array.isArray(order)) throw errors.badRequest(`${key} must be a list, got ${JSON.stringify(order)}`);
  const { schema: sub, meta } = schema.field(field);
  const live = original[field];
  const patched = patch[field];
  if (patched === null) return; // the list is deleted: the main pass removes it
  if (live !== undefined && !Array.isArray(live)) throw errors.badRequest(`${field} is not a list`);
  if (patched !== undefined && !Array.isArray(patched)) throw errors.badRequest(`the patch for ${field} is not a list`);
  let merged: unknown[];
  if (live && patched) merged = mergeList(live, patched, sub.items(), meta);
  else if (patched) merged = mergeList([], patched, sub.items(), meta);
  else if (live) merged = live;
  else return;
  const mergeKey = merged.some(isMap) || order.some(isMap) ? meta.mergeKey : undefined;
  if (order.some(isMap) && mergeKey === undefined) throw errors.badRequest(`${key}: ${field} has no merge key to order its items by`);
  const wanted = order.filter((x) => !isDirectiveItem(x));
  original[field] = orderMerged(merged, wanted, live ?? [], mergeKey);
  delete patch[field];
}
