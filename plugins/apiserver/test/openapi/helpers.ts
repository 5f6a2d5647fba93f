type Obj = Record<string, unknown>;
export const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Every `$ref` string anywhere in a JSON value. */
export function allRefs(value: unknown, out: string[] = []): string[] {
  if (Array.isArray(value)) for (const v of value) allRefs(v, out);
  else if (isObj(value)) {
    for (const [k, v] of Object.entries(value)) {
      if (k === '$ref' && typeof v === 'string') out.push(v);
      else allRefs(v, out);
    }
  }
  return out;
}

/** Every key used anywhere in schema positions (not property names). */
export function schemaKeywords(schema: unknown, out = new Set<string>()): Set<string> {
  if (Array.isArray(schema)) for (const s of schema) schemaKeywords(s, out);
  else if (isObj(schema)) {
    for (const [k, v] of Object.entries(schema)) {
      out.add(k);
      if (k.startsWith('x-') || k === 'enum' || k === 'default' || k === 'example' || k === 'required') continue;
      if (k === 'properties' && isObj(v)) for (const p of Object.values(v)) schemaKeywords(p, out);
      else schemaKeywords(v, out);
    }
  }
  return out;
}

export const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

/** [path, method, operation] of every operation of a document. */
export function operations(doc: Obj): [string, string, Obj][] {
  const out: [string, string, Obj][] = [];
  for (const [path, item] of Object.entries(doc['paths'] as Obj)) {
    for (const method of HTTP_METHODS) {
      const op = (item as Obj)[method];
      if (isObj(op)) out.push([path, method, op]);
    }
  }
  return out;
}

export interface GVK {
  group: string;
  version: string;
  kind: string;
}

const gvkMatches = (ext: unknown, gvk: GVK): boolean => isObj(ext) && ext['group'] === gvk.group && ext['version'] === gvk.version && ext['kind'] === gvk.kind;

/**
 * kubectl's `supportsQueryParamV3` (k8s.io/cli-runtime resource/query_param_verifier_v3.go): the
 * first PATCH operation carrying the GVK must list the parameter `in: query`.
 */
export function kubectlSupportsQueryParamV3(doc: Obj, gvk: GVK, param: string): boolean {
  for (const item of Object.values(doc['paths'] as Obj)) {
    const op = isObj(item) ? item['patch'] : undefined;
    if (!isObj(op) || !gvkMatches(op['x-kubernetes-group-version-kind'], gvk)) continue;
    return (op['parameters'] as Obj[]).some((p) => p['name'] === param && p['in'] === 'query');
  }
  return false;
}

/** kubectl's v2 `supportsQueryParam`: same, over Swagger 2.0 operations' (inline) parameters. */
export function kubectlSupportsQueryParamV2(doc: Obj, gvk: GVK, param: string): boolean {
  for (const item of Object.values(doc['paths'] as Obj)) {
    const op = isObj(item) ? item['patch'] : undefined;
    if (!isObj(op) || !gvkMatches(op['x-kubernetes-group-version-kind'], gvk)) continue;
    return (op['parameters'] as Obj[]).some((p) => p['name'] === param && p['in'] === 'query' && typeof p['type'] === 'string');
  }
  return false;
}

/** The name of the schema carrying the GVK in `x-kubernetes-group-version-kind`, as kubectl explain and apply look kinds up. */
export function schemaNameForGVK(schemas: Obj, gvk: GVK): string | undefined {
  const found = Object.entries(schemas).filter(([, s]) => isObj(s) && Array.isArray(s['x-kubernetes-group-version-kind']) && (s['x-kubernetes-group-version-kind'] as unknown[]).some((e) => gvkMatches(e, gvk)));
  return found.length === 1 ? found[0]?.[0] : undefined;
}

/**
 * Walks a field path like kubectl explain does: follows `$ref` (`#/components/schemas/…` or
 * `#/definitions/…`), single-element `allOf`, and array `items`; returns the schema reached.
 */
export function explainField(schemas: Obj, root: Obj, fieldPath: string[]): Obj | undefined {
  const resolve = (s: Obj): Obj => {
    let cur = s;
    for (let hops = 0; hops < 20; hops++) {
      if (typeof cur['$ref'] === 'string') {
        const name = cur['$ref'].replace(/^#\/(components\/schemas|definitions)\//, '');
        const next = schemas[name];
        if (!isObj(next)) throw new Error(`dangling ${cur['$ref']}`);
        cur = next;
      } else if (Array.isArray(cur['allOf']) && cur['allOf'].length === 1 && isObj(cur['allOf'][0])) {
        cur = cur['allOf'][0];
      } else if (cur['type'] === 'array' && isObj(cur['items'])) {
        cur = cur['items'];
      } else return cur;
    }
    return cur;
  };
  let cur: Obj | undefined = resolve(root);
  for (const field of fieldPath) {
    const props: unknown = cur?.['properties'];
    const next: unknown = isObj(props) ? props[field] : undefined;
    if (!isObj(next)) return undefined;
    cur = resolve(next);
  }
  return cur;
}
