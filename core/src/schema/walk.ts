import { childPath, render } from './paths.js';
import { isObject, type Located, type SchemaResolver, type SchemaView } from './resolver.js';
import type { StatusCause } from './types.js';

/** What {@link walkObject} looks for. */
export interface WalkOptions {
  unknownFields: boolean;
  listTypes: boolean;
  /** `$id` of the ObjectMeta schema, for `x-kubernetes-embedded-resource` objects. */
  objectMetaId: string;
}

/** The object as validation sees it, plus what the walk found. */
export interface WalkOutcome {
  data: unknown;
  unknownFields: string[];
  duplicates: StatusCause[];
}

/** Stable JSON: object keys sorted, so equal values compare equal. */
function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (isObject(value)) {
    const keys = Object.keys(value).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${stableJson(value[k])}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

function duplicatesIn(view: SchemaView, items: unknown[], path: string): StatusCause[] {
  if (view.listType !== 'set' && view.listType !== 'map') return [];
  const keys = view.listMapKeys ?? [];
  const seen = new Set<string>();
  const causes: StatusCause[] = [];
  items.forEach((item, i) => {
    const identity =
      view.listType === 'map' && isObject(item) ? Object.fromEntries(keys.map((k) => [k, item[k] ?? null])) : item;
    const id = stableJson(identity);
    if (seen.has(id)) causes.push({ field: `${path}[${i}]`, reason: 'FieldValueDuplicate', message: `Duplicate value: ${render(identity)}` });
    seen.add(id);
  });
  return causes;
}

/**
 * Walks an object against its schema the way Kubernetes decodes it: drops `null` members of
 * non-nullable fields (Kubernetes treats them as unset), and collects fields the schema does not
 * declare and duplicate entries of `x-kubernetes-list-type` map/set lists. Returns a copy.
 */
export function walkObject(resolver: SchemaResolver, root: Located, data: unknown, options: WalkOptions): WalkOutcome {
  const outcome: WalkOutcome = { data: undefined, unknownFields: [], duplicates: [] };
  const embedded = new Map<string, Located>([
    ['apiVersion', { schema: { type: 'string' }, base: undefined }],
    ['kind', { schema: { type: 'string' }, base: undefined }],
    ['metadata', { schema: { $ref: options.objectMetaId }, base: undefined }],
  ]);

  const visit = (loc: Located | undefined, value: unknown, path: string): unknown => {
    if (!loc) return value;
    const view = resolver.view(loc);
    if (Array.isArray(value)) {
      const items = value.map((item, i) => visit(view.items, item, `${path}[${i}]`));
      if (options.listTypes) outcome.duplicates.push(...duplicatesIn(view, items, path));
      return items;
    }
    if (!isObject(value)) return value;
    const result: Record<string, unknown> = {};
    for (const [key, child] of Object.entries(value)) {
      const prop = view.properties.get(key) ?? (view.embeddedResource ? embedded.get(key) : undefined);
      const inMap = !prop && view.additional !== undefined;
      const target = prop ?? (view.additional === true ? undefined : view.additional);
      const path2 = inMap ? `${path}[${key}]` : childPath(path, key);
      if (!prop && !inMap && view.structured && !view.preserveUnknownFields && options.unknownFields) {
        outcome.unknownFields.push(path2);
      }
      if (child === null && target && !resolver.view(target).nullable) continue;
      result[key] = visit(target, child, path2);
    }
    return result;
  };

  outcome.data = visit(root, data, '');
  return outcome;
}
