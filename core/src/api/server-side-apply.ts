import type { KubeObject } from '../objects/types.js';
import { errors } from './status.js';
import { strategicMergePatch } from './strategic-merge.js';
import { isMap, type JsonMap } from './strategic-merge-order.js';
import { PatchSchema, type PatchMeta } from './strategic-merge-schema.js';

/**
 * A set of fields in Kubernetes' FieldsV1 notation: `f:<field>` for a map member, `k:<json keys>`
 * for an item of a keyed list, `v:<json value>` for a member of a set, `.` for the node itself;
 * leaves are `{}`.
 */
export interface FieldsV1 {
  [path: string]: FieldsV1;
}

/** One `metadata.managedFields` entry, as server-side apply records it. */
export interface ApplyManagedFieldsEntry {
  manager: string;
  operation: 'Apply' | 'Update';
  apiVersion: string;
  time: string;
  fieldsType: 'FieldsV1';
  fieldsV1: FieldsV1;
  subresource?: string;
}

/** Options of {@link applyConfiguration}. */
export interface ApplyConfigurationOptions {
  /** The field manager (required, non-empty). */
  manager: string;
  /** Timestamp for the managedFields entry (RFC 3339). */
  time: string;
  /** The kind's schema; {@link PatchSchema.unknown} merges maps and replaces lists. */
  schema?: PatchSchema;
  /** Leave `status` out of the applied set and the merge (the kind has a status subresource). */
  ignoreStatus?: boolean;
  /** Take over fields other managers own instead of answering 409 when the applied value differs. */
  force?: boolean;
  /** The resource, to name it in a conflict's Status (`deployments.apps`). */
  resource?: { group: string; plural: string };
}

/** Metadata the server owns: never part of an applied field set. */
const SERVER_METADATA = ['name', 'namespace', 'uid', 'resourceVersion', 'generation', 'creationTimestamp', 'deletionTimestamp', 'deletionGracePeriodSeconds', 'managedFields', 'selfLink'];

/**
 * Parses a server-side apply body: an object is taken as is; a string must be JSON (YAML's JSON
 * subset) because `@skiff/core` does not depend on a YAML parser — YAML text answers 415.
 */
export function parseApplyBody(body: unknown): KubeObject {
  if (typeof body === 'string') {
    try {
      return JSON.parse(body) as KubeObject;
    } catch {
      throw errors.unsupportedMediaType('application/apply-patch+yaml (YAML text: send the parsed object or JSON text)');
    }
  }
  return body as KubeObject;
}

/**
 * The set of fields `config` sets, in FieldsV1 notation, as Kubernetes records it for an applier:
 * `apiVersion`, `kind` and server-owned metadata (name, namespace, uid, resourceVersion…) are left
 * out, as is `status` when `ignoreStatus`. Items of lists with `x-kubernetes-list-map-keys` (or a
 * patch merge key) are `k:{"key":value}` with a `.` member; members of `set` (or merged primitive)
 * lists are `v:<json>`; atomic lists, scalars and empty maps are leaves; free-form maps (labels,
 * annotations) get a `.` member.
 */
export function fieldsV1Of(config: JsonMap, schema: PatchSchema = PatchSchema.unknown, ignoreStatus = false): FieldsV1 {
  const trimmed: JsonMap = { ...config };
  delete trimmed['apiVersion'];
  delete trimmed['kind'];
  if (ignoreStatus) delete trimmed['status'];
  if (isMap(trimmed['metadata'])) {
    const meta = { ...trimmed['metadata'] };
    for (const key of SERVER_METADATA) delete meta[key];
    if (Object.keys(meta).length === 0) delete trimmed['metadata'];
    else trimmed['metadata'] = meta;
  }
  return mapFields(trimmed, schema);
}

function mapFields(value: JsonMap, schema: PatchSchema): FieldsV1 {
  const out: FieldsV1 = {};
  for (const [key, v] of Object.entries(value)) {
    if (v === undefined || key.startsWith('$')) continue;
    const { schema: sub, meta } = schema.field(key);
    out[`f:${key}`] = valueFields(v, sub, meta);
  }
  return out;
}

function valueFields(value: unknown, schema: PatchSchema, meta: PatchMeta): FieldsV1 {
  if (isMap(value)) {
    if (Object.keys(value).length === 0) return {};
    const children = mapFields(value, schema);
    return schema.freeForm ? { '.': {}, ...children } : children;
  }
  if (!Array.isArray(value)) return {};
  const keys = listKeys(meta);
  const items = schema.items();
  if (keys && value.every(isMap)) {
    const out: FieldsV1 = {};
    for (const item of value as JsonMap[]) out[itemKey(item, keys)] = { '.': {}, ...mapFields(item, items) };
    return out;
  }
  if ((meta.listType === 'set' || meta.strategies.includes('merge')) && !value.some((x) => isMap(x) || Array.isArray(x))) {
    const out: FieldsV1 = {};
    for (const item of value) out[`v:${JSON.stringify(item)}`] = {};
    return out;
  }
  return {};
}

function listKeys(meta: PatchMeta): readonly string[] | undefined {
  if (meta.listType === 'map' && meta.listMapKeys && meta.listMapKeys.length > 0) return meta.listMapKeys;
  if (meta.strategies.includes('merge') && meta.mergeKey) return [meta.mergeKey];
  return undefined;
}

function itemKey(item: JsonMap, keys: readonly string[]): string {
  const picked: JsonMap = {};
  for (const k of [...keys].sort()) if (item[k] !== undefined) picked[k] = item[k];
  return `k:${JSON.stringify(picked)}`;
}

/** The leaf paths of a field set (each path a list of FieldsV1 path elements). */
export function leafPaths(set: FieldsV1, prefix: string[] = []): string[][] {
  const out: string[][] = [];
  for (const [key, sub] of Object.entries(set)) {
    if (key === '.') continue;
    const path = [...prefix, key];
    const children = Object.keys(sub).filter((k) => k !== '.');
    if (children.length === 0) out.push(path);
    else out.push(...leafPaths(sub, path));
  }
  return out;
}

/** The value at a FieldsV1 path in `obj`; `undefined` when absent. */
function valueAt(obj: unknown, path: readonly string[]): unknown {
  let node: unknown = obj;
  for (const element of path) {
    if (element.startsWith('f:')) node = isMap(node) ? node[element.slice(2)] : undefined;
    else if (element.startsWith('k:')) {
      const keys = JSON.parse(element.slice(2)) as JsonMap;
      node = Array.isArray(node) ? node.find((x) => isMap(x) && Object.entries(keys).every(([k, v]) => JSON.stringify(x[k]) === JSON.stringify(v))) : undefined;
    } else if (element.startsWith('v:')) {
      const wanted = element.slice(2);
      node = Array.isArray(node) && node.some((x) => JSON.stringify(x) === wanted) ? true : undefined;
    } else return undefined;
    if (node === undefined) return undefined;
  }
  return node;
}

function hasPath(set: FieldsV1, path: readonly string[]): boolean {
  let node: FieldsV1 | undefined = set;
  for (const element of path) {
    node = node[element];
    if (!node) return false;
  }
  return true;
}

function removePath(set: FieldsV1, path: readonly string[]): void {
  const [head, ...rest] = path;
  if (head === undefined) return;
  const sub = set[head];
  if (!sub) return;
  if (rest.length === 0) {
    delete set[head];
    return;
  }
  removePath(sub, rest);
  if (Object.keys(sub).filter((k) => k !== '.').length === 0) delete set[head];
}

const render = (path: readonly string[]): string => path.map((e) => (e.startsWith('f:') ? `.${e.slice(2)}` : `[${e.slice(2)}]`)).join('');

/**
 * Server-side apply of `applied` (a full object, the applier's intent) onto `live` (the stored
 * object, `undefined` when it does not exist yet): the applied config is merged into the live
 * object with the strategic merge rules (so fields other managers set stay), and the manager's
 * `Apply` entry in `metadata.managedFields` is replaced by one listing the fields it applied.
 *
 * A field another manager owns whose applied value differs from the live one is a conflict: 409
 * (listing them) unless `force`, which takes the fields over (they leave the other managers'
 * sets). Fields the manager applied before but no longer applies are removed unless another
 * manager owns them (only `Apply` entries exist: writes by other verbs record no `Update` entry
 * yet). An apply that changes nothing keeps the entry's time. Neither input is modified.
 */
export function applyConfiguration(live: KubeObject | undefined, applied: KubeObject, options: ApplyConfigurationOptions): KubeObject {
  const schema = options.schema ?? PatchSchema.unknown;
  rejectDirectives(applied, '');
  const config = structuredClone(applied);
  config.metadata = { ...config.metadata };
  delete config.metadata.managedFields;
  if (options.ignoreStatus) delete config['status'];
  const fields = fieldsV1Of(config, schema, options.ignoreStatus);
  const entries = ((live?.metadata.managedFields ?? []) as unknown[]).map((e) => structuredClone(e)) as ApplyManagedFieldsEntry[];
  const others = entries.filter((e) => !(isMap(e) && e.manager === options.manager && e.operation === 'Apply' && !e.subresource));
  if (live) {
    const conflicts: string[] = [];
    for (const path of leafPaths(fields)) {
      const mine = valueAt(config, path);
      if (JSON.stringify(valueAt(live, path)) === JSON.stringify(mine)) continue;
      for (const other of others) {
        if (!isMap(other) || !isMap(other.fieldsV1) || !hasPath(other.fieldsV1, path)) continue;
        if (options.force) removePath(other.fieldsV1, path);
        else conflicts.push(`conflict with "${other.manager}"${other.operation === 'Update' ? ' using ' + other.apiVersion : ''}: ${render(path)}`);
      }
    }
    if (conflicts.length > 0) {
      throw errors.conflict(
        {
          ...(options.resource ? { group: options.resource.group, resource: options.resource.plural } : {}),
          kind: applied.kind,
          name: String(applied.metadata?.name ?? ''),
        },
        `Apply failed with ${conflicts.length} conflict${conflicts.length > 1 ? 's' : ''}: ${conflicts.join('\n')}`,
      );
    }
  }
  const merged = strategicMergePatch(live ?? {}, config, schema) as KubeObject;
  const previous = entries.find((e) => !others.includes(e));
  if (previous && isMap(previous.fieldsV1)) {
    const othersSets = others.map((e) => (isMap(e.fieldsV1) ? e.fieldsV1 : {}));
    removeDropped(merged, previous.fieldsV1, fields, othersSets, []);
  }
  const kept = others.filter((e) => !isMap(e.fieldsV1) || Object.keys(e.fieldsV1).length > 0);
  const sameContent = live !== undefined && JSON.stringify(withoutManagedFields(live)) === JSON.stringify(withoutManagedFields(merged));
  // As Kubernetes does, an apply that changes nothing keeps the entry's time (and so writes nothing).
  const time = previous && sameContent && JSON.stringify(previous.fieldsV1) === JSON.stringify(fields) && kept.length === others.length ? previous.time : options.time;
  const entry: ApplyManagedFieldsEntry = {
    manager: options.manager,
    operation: 'Apply',
    apiVersion: applied.apiVersion,
    time,
    fieldsType: 'FieldsV1',
    fieldsV1: fields,
  };
  const at = previous ? entries.indexOf(previous) : -1;
  const managedFields = at >= 0 ? entries.map((e) => (e === previous ? entry : e)).filter((e) => e === entry || kept.includes(e)) : [...kept, entry];
  merged.metadata = { ...merged.metadata, managedFields };
  return merged;
}

/** An applied configuration is an object, not a patch: strategic merge directives are refused (400). */
function rejectDirectives(value: unknown, path: string): void {
  if (Array.isArray(value)) value.forEach((v, i) => rejectDirectives(v, `${path}[${i}]`));
  else if (isMap(value)) {
    for (const [key, v] of Object.entries(value)) {
      if (key.startsWith('$')) throw errors.badRequest(`${path ? `${path}.` : ''}${key}: patch directives are not allowed in an applied configuration`);
      rejectDirectives(v, path ? `${path}.${key}` : key);
    }
  }
}

function withoutManagedFields(obj: KubeObject): KubeObject {
  const { managedFields: _m, ...metadata } = obj.metadata;
  return { ...obj, metadata };
}

/**
 * Removes from `obj` what the manager applied before (`old`) but no longer does (`next`), unless
 * another manager owns it; for a dropped node others own parts of, only the manager's own parts go.
 */
function removeDropped(obj: KubeObject, old: FieldsV1, next: FieldsV1 | undefined, others: readonly FieldsV1[], path: string[]): void {
  for (const [key, sub] of Object.entries(old)) {
    if (key === '.') continue;
    const p = [...path, key];
    const stillApplied = next?.[key];
    if (stillApplied) {
      removeDropped(obj, sub, stillApplied, others, p);
    } else if (!others.some((set) => hasPath(set, p))) {
      removeAt(obj, p);
    } else {
      removeDropped(obj, sub, undefined, others, p);
    }
  }
}

/** Deletes the node at a FieldsV1 path: a map member, a keyed list item or a set member. */
function removeAt(obj: unknown, path: readonly string[]): void {
  const last = path[path.length - 1];
  if (last === undefined) return;
  const parent = valueAt(obj, path.slice(0, -1));
  const container = last.startsWith('f:') ? parent : undefined;
  if (last.startsWith('f:')) {
    if (isMap(container)) delete container[last.slice(2)];
    return;
  }
  const grand = path.length >= 2 ? valueAt(obj, path.slice(0, -2)) : obj;
  const listKey = path[path.length - 2];
  if (!Array.isArray(parent) || !isMap(grand) || !listKey?.startsWith('f:')) return;
  const field = listKey.slice(2);
  if (last.startsWith('k:')) {
    const keys = JSON.parse(last.slice(2)) as JsonMap;
    grand[field] = parent.filter((x) => !(isMap(x) && Object.entries(keys).every(([k, v]) => JSON.stringify(x[k]) === JSON.stringify(v))));
  } else if (last.startsWith('v:')) {
    const value = last.slice(2);
    grand[field] = parent.filter((x) => JSON.stringify(x) !== value);
  }
}
