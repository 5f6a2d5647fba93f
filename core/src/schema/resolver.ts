import type { SchemaDocument } from './types.js';

/** A sub-schema together with the base URI its relative `$ref`s resolve against. */
export interface Located {
  schema: SchemaDocument;
  base: string | undefined;
}

/** The structural facts about one schema node, with `$ref`s followed and `allOf`/`anyOf`/`oneOf` merged. */
export interface SchemaView {
  properties: Map<string, Located>;
  /** A schema for undeclared keys, `true` when any key is allowed, else undefined. */
  additional: Located | true | undefined;
  items: Located | undefined;
  /** The node declares its fields (`properties` or `additionalProperties`), so others are unknown. */
  structured: boolean;
  preserveUnknownFields: boolean;
  embeddedResource: boolean;
  nullable: boolean;
  listType: string | undefined;
  listMapKeys: string[] | undefined;
}

/** True for a plain JSON object (not null, not an array). */
export const isObject = (v: unknown): v is SchemaDocument => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Splits a JSON pointer (`/spec/containers/0`) into unescaped segments; `uri` also percent-decodes (for `$ref` fragments). */
export function decodePointer(pointer: string, uri = false): string[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => (uri ? decodeURIComponent(s) : s).replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** Resolves `$ref`s between a fixed set of documents (keyed by `$id`) and builds {@link SchemaView}s. */
export class SchemaResolver {
  private readonly documents = new Map<string, SchemaDocument>();
  private readonly views = new WeakMap<SchemaDocument, SchemaView>();

  /** Adds documents; each must carry an absolute `$id`, the base for its relative `$ref`s. */
  add(...documents: SchemaDocument[]): void {
    for (const doc of documents) {
      const id = doc['$id'];
      if (typeof id === 'string') this.documents.set(id.replace(/#$/, ''), doc);
    }
  }

  /** Follows `$ref` chains; an unresolvable reference yields an empty (anything-goes) schema. */
  deref(loc: Located): Located {
    let current = loc;
    for (let hops = 0; hops < 32; hops++) {
      const ref = current.schema['$ref'];
      if (typeof ref !== 'string') return current;
      const next = this.follow(ref, current.base);
      if (!next) return { schema: {}, base: current.base };
      current = next;
    }
    return { schema: {}, base: current.base };
  }

  private follow(ref: string, base: string | undefined): Located | undefined {
    const absolute = base ? new URL(ref, base).href : ref;
    const hash = absolute.indexOf('#');
    const url = hash < 0 ? absolute : absolute.slice(0, hash);
    const pointer = hash < 0 ? '' : absolute.slice(hash + 1);
    const doc = this.documents.get(url);
    if (!doc) return undefined;
    let node: unknown = doc;
    for (const segment of decodePointer(pointer, true)) node = isObject(node) ? node[segment] : undefined;
    return isObject(node) ? { schema: node, base: url } : undefined;
  }

  /** The merged structural view of a node (cached per schema object). */
  view(loc: Located): SchemaView {
    const cached = this.views.get(loc.schema);
    if (cached) return cached;
    const view: SchemaView = {
      properties: new Map(),
      additional: undefined,
      items: undefined,
      structured: false,
      preserveUnknownFields: false,
      embeddedResource: false,
      nullable: false,
      listType: undefined,
      listMapKeys: undefined,
    };
    this.views.set(loc.schema, view);
    this.merge(view, loc, new Set());
    return view;
  }

  private merge(view: SchemaView, loc: Located, seen: Set<SchemaDocument>): void {
    const { schema, base } = this.deref(loc);
    if (seen.has(schema)) return;
    seen.add(schema);
    const props = schema['properties'];
    if (isObject(props)) {
      view.structured = true;
      for (const [name, sub] of Object.entries(props)) if (isObject(sub) && !view.properties.has(name)) view.properties.set(name, { schema: sub, base });
    }
    const additional = schema['additionalProperties'];
    if (additional === false) view.structured = true;
    else if (additional === true) view.additional = true;
    else if (isObject(additional)) view.additional ??= { schema: additional, base };
    if (additional !== undefined) view.structured = true;
    const items = schema['items'];
    if (isObject(items)) view.items ??= { schema: items, base };
    if (schema['x-kubernetes-preserve-unknown-fields'] === true) view.preserveUnknownFields = true;
    if (schema['x-kubernetes-embedded-resource'] === true) view.embeddedResource = true;
    if (schema['nullable'] === true) view.nullable = true;
    const listType = schema['x-kubernetes-list-type'];
    if (typeof listType === 'string') view.listType ??= listType;
    const keys = schema['x-kubernetes-list-map-keys'];
    if (Array.isArray(keys)) view.listMapKeys ??= keys.filter((k): k is string => typeof k === 'string');
    for (const combinator of ['allOf', 'anyOf', 'oneOf'] as const) {
      const branches = schema[combinator];
      if (Array.isArray(branches)) for (const b of branches) if (isObject(b)) this.merge(view, { schema: b, base }, seen);
    }
  }
}
