import { sharedSchemas } from '../schema/documents.js';
import type { SchemaRegistry } from '../schema/registry.js';
import { isObject, SchemaResolver, type Located } from '../schema/resolver.js';
import type { SchemaDocument } from '../schema/types.js';

/** The patch annotations of one field, as Kubernetes' `PatchMeta` reads them from OpenAPI. */
export interface PatchMeta {
  /** `x-kubernetes-patch-strategy` split on commas: `merge`, `retainKeys`, `replace`; empty when unset. */
  strategies: readonly string[];
  /** `x-kubernetes-patch-merge-key`. */
  mergeKey: string | undefined;
  /** `x-kubernetes-list-type`: `atomic`, `set` or `map`. */
  listType: string | undefined;
  /** `x-kubernetes-list-map-keys`. */
  listMapKeys: readonly string[] | undefined;
}

const NO_META: PatchMeta = Object.freeze({ strategies: [], mergeKey: undefined, listType: undefined, listMapKeys: undefined });

/**
 * A position in a kind's JSON Schema that the strategic merge walks alongside the object. An
 * unknown position (no schema, or a field the schema does not declare) answers empty
 * {@link PatchMeta}s and unknown children, so maps there merge and lists are replaced.
 */
export class PatchSchema {
  /** The schema of an unknown path. */
  static readonly unknown = new PatchSchema(undefined, undefined);

  private constructor(
    private readonly resolver: SchemaResolver | undefined,
    private readonly loc: Located | undefined,
  ) {}

  /** The root schema of `apiVersion`/`kind` in `schemas`; {@link PatchSchema.unknown} when none is registered. */
  static forKind(schemas: SchemaRegistry, apiVersion: string, kind: string): PatchSchema {
    if (!schemas.has(apiVersion, kind)) return PatchSchema.unknown;
    return PatchSchema.fromDocument(schemas.get(apiVersion, kind), resolverFor(schemas));
  }

  /**
   * The root of a schema document; `$ref`s resolve against the built-in shared schemas (and the
   * document itself, when it carries an absolute `$id`).
   */
  static fromDocument(doc: SchemaDocument, resolver: SchemaResolver = new SchemaResolver()): PatchSchema {
    if (!knownShared.has(resolver)) {
      resolver.add(...Object.values(sharedSchemas));
      knownShared.add(resolver);
    }
    const id = typeof doc['$id'] === 'string' ? doc['$id'] : undefined;
    if (id) resolver.add(doc);
    return new PatchSchema(resolver, { schema: doc, base: id?.replace(/#$/, '') });
  }

  /** True when this position has a schema. */
  get known(): boolean {
    return this.loc !== undefined;
  }

  /** The schema of map member `key` with its patch annotations. */
  field(key: string): { schema: PatchSchema; meta: PatchMeta } {
    if (!this.resolver || !this.loc) return { schema: PatchSchema.unknown, meta: NO_META };
    const view = this.resolver.view(this.loc);
    const sub = view.properties.get(key) ?? (view.additional === true ? undefined : view.additional);
    if (!sub) return { schema: PatchSchema.unknown, meta: NO_META };
    return { schema: new PatchSchema(this.resolver, sub), meta: this.metaOf(sub) };
  }

  /** The schema of this list's items. */
  items(): PatchSchema {
    if (!this.resolver || !this.loc) return PatchSchema.unknown;
    const items = this.resolver.view(this.loc).items;
    return items ? new PatchSchema(this.resolver, items) : PatchSchema.unknown;
  }

  /** True when this map is free-form (`additionalProperties`, e.g. labels) rather than a struct. */
  get freeForm(): boolean {
    if (!this.resolver || !this.loc) return false;
    const view = this.resolver.view(this.loc);
    return view.additional !== undefined && view.properties.size === 0;
  }

  /** Collects the annotations on a node, through `$ref`s and `allOf`/`anyOf`/`oneOf`; the nearest wins. */
  private metaOf(loc: Located): PatchMeta {
    const found: { strategy?: string; mergeKey?: string; listType?: string; listMapKeys?: string[] } = {};
    const seen = new Set<SchemaDocument>();
    const visit = (node: Located, depth: number): void => {
      if (depth > 32 || seen.has(node.schema)) return;
      seen.add(node.schema);
      const s = node.schema;
      if (typeof s['x-kubernetes-patch-strategy'] === 'string') found.strategy ??= s['x-kubernetes-patch-strategy'];
      if (typeof s['x-kubernetes-patch-merge-key'] === 'string') found.mergeKey ??= s['x-kubernetes-patch-merge-key'];
      if (typeof s['x-kubernetes-list-type'] === 'string') found.listType ??= s['x-kubernetes-list-type'];
      const keys = s['x-kubernetes-list-map-keys'];
      if (Array.isArray(keys)) found.listMapKeys ??= keys.filter((k): k is string => typeof k === 'string');
      if (typeof s['$ref'] === 'string') {
        const target = this.resolver!.deref({ schema: { $ref: s['$ref'] }, base: node.base });
        visit(target, depth + 1);
      }
      for (const combinator of ['allOf', 'anyOf', 'oneOf'] as const) {
        const branches = s[combinator];
        if (Array.isArray(branches)) for (const b of branches) if (isObject(b)) visit({ schema: b, base: node.base }, depth + 1);
      }
    };
    visit(loc, 0);
    return {
      strategies: found.strategy ? found.strategy.split(',').map((x) => x.trim()).filter(Boolean) : [],
      mergeKey: found.mergeKey,
      listType: found.listType,
      listMapKeys: found.listMapKeys,
    };
  }
}

const knownShared = new WeakSet<SchemaResolver>();
const resolvers = new WeakMap<SchemaRegistry, SchemaResolver>();

function resolverFor(schemas: SchemaRegistry): SchemaResolver {
  let resolver = resolvers.get(schemas);
  if (!resolver) {
    resolver = new SchemaResolver();
    resolvers.set(schemas, resolver);
  }
  return resolver;
}
