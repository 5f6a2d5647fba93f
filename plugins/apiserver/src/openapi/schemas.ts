import type { SchemaDocument } from '@skiff/core';
import { SHARED_PACKAGES, type DocumentNamingArgs as DocumentNaming } from './names.js';

/** Which dialect converted schemas follow: OpenAPI 3.0 Schema Objects, or Swagger 2.0 (kubectl ≤ 1.27). */
export type Flavour = 'v3' | 'v2';

export type { DocumentNamingArgs as DocumentNaming } from './names.js';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Keywords an OpenAPI 3.0 Schema Object may carry whose values are copied as they are. */
const V3_PLAIN = new Set([
  'title', 'description', 'format', 'default', 'enum', 'example', 'multipleOf', 'maximum', 'minimum', 'maxLength',
  'minLength', 'pattern', 'maxItems', 'minItems', 'uniqueItems', 'maxProperties', 'minProperties', 'required',
  'nullable', 'readOnly', 'writeOnly', 'deprecated',
]);
/** The same for Swagger 2.0 (gnostic rejects any other keyword, so this list is strict). */
const V2_PLAIN = new Set([
  'title', 'description', 'format', 'default', 'enum', 'example', 'multipleOf', 'maximum', 'minimum', 'maxLength',
  'minLength', 'pattern', 'maxItems', 'minItems', 'uniqueItems', 'maxProperties', 'minProperties', 'required', 'readOnly',
]);

function decodePointer(pointer: string): string[] {
  if (pointer === '' || pointer === '/') return pointer === '/' ? [''] : [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => decodeURIComponent(s).replace(/~1/g, '/').replace(/~0/g, '~'));
}

function splitUri(uri: string): { url: string; pointer: string } {
  const hash = uri.indexOf('#');
  return hash < 0 ? { url: uri, pointer: '' } : { url: uri.slice(0, hash), pointer: uri.slice(hash + 1) };
}

function resolveUri(ref: string, base: string | undefined): string | undefined {
  try {
    return base ? new URL(ref, base).href : new URL(ref).href;
  } catch {
    return undefined;
  }
}

const deepCopy = (v: unknown): unknown => (v === undefined ? undefined : JSON.parse(JSON.stringify(v)));

/**
 * Collects JSON Schema documents (draft-07 with `$id`s and relative `$ref`s across files, or
 * OpenAPI v3 structural schemas) into one flat map of named, self-contained schemas, as an
 * OpenAPI document's `components.schemas` (v3) or `definitions` (v2) needs them.
 *
 * - A document root and each of its `definitions/<Key>` become named schemas (`<pkg>.<Key>`,
 *   the root `rootName`, see {@link DocumentNaming}); `$ref`s to them are rewritten to
 *   `#/components/schemas/<name>` (v3) or `#/definitions/<name>` (v2). Only what is reachable from
 *   the schemas asked for via {@link ref} is emitted.
 * - `$ref`s to other locations are inlined (a cycle becomes `{}`); unresolvable ones become `{}`.
 * - Keywords are converted to the flavour: `const` → `enum`, `type` arrays → one type (+ `nullable`
 *   in v3), numeric `exclusiveMinimum` → `minimum` + `true`; keywords the flavour lacks are dropped;
 *   `x-*` extensions are kept. In v2 `allOf: [ref]` and `$ref` with siblings become `$ref` +
 *   `description` (as Kubernetes' Swagger does), and int-or-string `anyOf` becomes
 *   `type: string, format: int-or-string`; in v3 `$ref` with siblings becomes `allOf: [ref]` + siblings.
 * - Names are unique: a clash gets a `_2`, `_3`… suffix in the order schemas are first reached.
 */
export class SchemaCollector {
  private readonly docs = new Map<string, SchemaDocument>();
  private readonly naming = new Map<string, DocumentNaming>();
  private readonly nameOfUri = new Map<string, string>();
  private readonly usedNames = new Set<string>();
  private readonly inlining = new Set<string>();
  /** The named schemas emitted so far. */
  readonly schemas: Record<string, unknown> = {};

  constructor(readonly flavour: Flavour) {}

  private get prefix(): string {
    return this.flavour === 'v3' ? '#/components/schemas/' : '#/definitions/';
  }

  /** The `$ref` string pointing at a schema name. */
  refString(name: string): string {
    return `${this.prefix}${name}`;
  }

  /**
   * Adds a document (it must carry an absolute `$id`); `naming` overrides the default naming
   * (`SHARED_PACKAGES[title]` or `io.k8s.api.core.v1`, root named after the `title`). A document
   * already added under the same `$id` is kept unless `replace`.
   */
  addDocument(doc: SchemaDocument, naming?: DocumentNaming, replace = false): void {
    const id = doc['$id'];
    if (typeof id !== 'string') throw new Error('schema documents need an absolute $id');
    const url = splitUri(resolveUri(id, undefined) ?? id).url;
    if (this.docs.has(url) && !replace) return;
    this.docs.set(url, doc);
    if (naming) this.naming.set(url, naming);
  }

  private namingOf(url: string, doc: SchemaDocument): DocumentNaming {
    const explicit = this.naming.get(url);
    if (explicit) return explicit;
    const title = typeof doc['title'] === 'string' ? doc['title'] : (url.split('/').at(-1) ?? 'Schema').replace(/\.json$/, '');
    const pkg = SHARED_PACKAGES[title] ?? 'io.k8s.api.core.v1';
    return { pkg, rootName: `${pkg}.${title}` };
  }

  private assignName(uri: string, candidate: string): string {
    const known = this.nameOfUri.get(uri);
    if (known) return known;
    let name = candidate;
    for (let n = 2; this.usedNames.has(name); n++) name = `${candidate}_${n}`;
    this.usedNames.add(name);
    this.nameOfUri.set(uri, name);
    return name;
  }

  /**
   * A `$ref` object for the schema at an absolute URI (`https://…/pod.json`,
   * `…/pod.json#/definitions/PodStatus`), emitting it (and what it references) under its name;
   * undefined when the URI names no document root or definition.
   */
  ref(uri: string): { $ref: string } | undefined {
    const { url, pointer } = splitUri(uri);
    const doc = this.docs.get(url);
    if (!doc) return undefined;
    const segments = decodePointer(pointer);
    const naming = this.namingOf(url, doc);
    let node: unknown;
    let candidate: string;
    if (segments.length === 0) {
      node = doc;
      candidate = naming.rootName;
    } else if (segments.length === 2 && segments[0] === 'definitions') {
      node = isObj(doc['definitions']) ? doc['definitions'][segments[1] as string] : undefined;
      candidate = `${naming.pkg}.${segments[1] as string}`;
    } else {
      return undefined;
    }
    if (!isObj(node)) return undefined;
    const canonical = segments.length === 0 ? url : `${url}#/definitions/${segments[1] as string}`;
    const seen = this.nameOfUri.has(canonical);
    const name = this.assignName(canonical, candidate);
    if (!seen) {
      this.schemas[name] = {};
      this.schemas[name] = this.convert(node, url);
    }
    return { $ref: this.refString(name) };
  }

  /** Resolves a `$ref` found in a document at `base`: a named `$ref`, an inlined copy, or `{}`. */
  private follow(ref: string, base: string): Obj {
    const uri = resolveUri(ref, base);
    if (!uri) return {};
    const named = this.ref(uri);
    if (named) return named;
    const { url, pointer } = splitUri(uri);
    let node: unknown = this.docs.get(url);
    for (const segment of decodePointer(pointer)) node = isObj(node) ? node[segment] : Array.isArray(node) ? node[Number(segment)] : undefined;
    if (!isObj(node) || this.inlining.has(uri)) return {};
    this.inlining.add(uri);
    try {
      return this.convert(node, url);
    } finally {
      this.inlining.delete(uri);
    }
  }

  /** Converts one schema node found in the document at `base` to the collector's flavour. */
  convert(node: unknown, base: string): Obj {
    if (!isObj(node)) return {};
    const v3 = this.flavour === 'v3';
    const out: Obj = {};
    const sub = (v: unknown): Obj => this.convert(v, base);
    for (const [key, value] of Object.entries(node)) {
      if (key.startsWith('x-')) {
        out[key] = deepCopy(value);
        continue;
      }
      switch (key) {
        case '$ref':
          break;
        case 'type':
          if (typeof value === 'string') {
            if (value !== 'null') out['type'] = value;
          } else if (Array.isArray(value)) {
            const types = value.filter((t): t is string => typeof t === 'string' && t !== 'null');
            if (types.length === 1) out['type'] = types[0];
            if (v3 && value.includes('null')) out['nullable'] = true;
          }
          break;
        case 'const':
          if (node['enum'] === undefined) out['enum'] = [deepCopy(value)];
          break;
        case 'exclusiveMinimum':
        case 'exclusiveMaximum': {
          const bound = key === 'exclusiveMinimum' ? 'minimum' : 'maximum';
          if (typeof value === 'number') {
            out[bound] = value;
            out[key] = true;
          } else if (typeof value === 'boolean') out[key] = value;
          break;
        }
        case 'properties':
          if (isObj(value)) out['properties'] = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, sub(v)]));
          break;
        case 'additionalProperties':
          if (typeof value === 'boolean') out[key] = value;
          else if (isObj(value)) out[key] = sub(value);
          break;
        case 'items':
          out['items'] = isObj(value) ? sub(value) : {};
          break;
        case 'allOf':
        case 'anyOf':
        case 'oneOf':
          if (Array.isArray(value) && (v3 || key === 'allOf')) out[key] = value.map(sub);
          break;
        case 'not':
          if (v3 && isObj(value)) out['not'] = sub(value);
          break;
        default:
          if ((v3 ? V3_PLAIN : V2_PLAIN).has(key)) out[key] = deepCopy(value);
      }
    }
    if (!v3 && node['x-kubernetes-int-or-string'] === true && out['type'] === undefined) {
      out['type'] = 'string';
      out['format'] = 'int-or-string';
    }
    if (!v3 && 'nullable' in out) delete out['nullable'];
    const ref = typeof node['$ref'] === 'string' ? this.follow(node['$ref'], base) : undefined;
    if (!v3) return this.flattenV2(out, ref);
    if (ref === undefined) return out;
    if (Object.keys(out).length === 0) return ref;
    const allOf = Array.isArray(out['allOf']) ? out['allOf'] : [];
    return { ...out, allOf: [ref, ...allOf] };
  }

  /** Swagger 2.0 as Kubernetes writes it: `$ref` plus at most a `description`; single-`$ref` `allOf`s flattened. */
  private flattenV2(out: Obj, ref: Obj | undefined): Obj {
    let target = ref;
    const allOf = out['allOf'];
    if (target === undefined && Array.isArray(allOf) && allOf.length === 1 && isObj(allOf[0]) && typeof allOf[0]['$ref'] === 'string') {
      target = allOf[0];
      delete out['allOf'];
    }
    if (target === undefined) return out;
    if (typeof target['$ref'] !== 'string') {
      // An inlined target: merge it under the node's own keywords.
      return { ...target, ...out };
    }
    const result: Obj = { $ref: target['$ref'] };
    if (typeof out['description'] === 'string') result['description'] = out['description'];
    return result;
  }
}
