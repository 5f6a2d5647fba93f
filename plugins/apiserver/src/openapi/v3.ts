import { apiVersionOf, createBuiltinSchemaRegistry, ResourceRegistry, type ResourceInfo, type SchemaRegistry } from '@skiff/core';
import { BEARER_TOKEN, collect, DEFAULT_INFO, slotRef, type OpenApiOptions, type ResolvedResource } from './build.js';
import { documentHash, sortKeys } from './json.js';
import { groupVersionPath, parseGroupVersionPath } from './names.js';
import { PATCH_CONTENT_TYPES, type ParameterSpec } from './parameters.js';
import type { OperationSpec, PathSpec } from './paths.js';

/** What `/openapi/v3` answers: one entry per group-version, `api/v1` or `apis/<group>/<version>`. */
export interface OpenApiV3Index {
  paths: Record<string, { serverRelativeURL: string }>;
}

const parameterV3 = (p: ParameterSpec): object => ({
  name: p.name,
  in: p.in,
  description: p.description,
  ...(p.in === 'path' ? { required: true } : {}),
  schema: { type: p.type, uniqueItems: true },
});

const RESPONSE_TYPES = ['application/json', 'application/yaml'];

function operationV3(r: ResolvedResource, path: PathSpec, op: OperationSpec): object {
  const responses: Record<string, object> = {};
  for (const [code, response] of Object.entries(op.responses)) {
    if (!response.slot) {
      responses[code] = { description: response.description };
      continue;
    }
    const schema = slotRef(r, path, response.slot);
    const types = op.action === 'list' ? [...RESPONSE_TYPES, 'application/json;stream=watch'] : RESPONSE_TYPES;
    responses[code] = { description: response.description, content: Object.fromEntries(types.map((t) => [t, { schema }])) };
  }
  const out: Record<string, unknown> = {
    tags: [op.tag],
    description: op.description,
    operationId: op.operationId,
    parameters: op.query.map(parameterV3),
    responses,
    'x-kubernetes-action': op.action,
    'x-kubernetes-group-version-kind': op.gvk,
  };
  if (op.body) {
    const schema = slotRef(r, path, op.body.slot);
    const types = op.body.slot === 'patch' ? PATCH_CONTENT_TYPES : ['*/*'];
    out['requestBody'] = { content: Object.fromEntries(types.map((t) => [t, { schema }])), required: op.body.required };
  }
  return out;
}

/**
 * The OpenAPI 3.0 document of one group-version, as served at `/openapi/v3/<groupVersionPath>`.
 *
 * Contract:
 * - `groupVersionPath` is `api/v1` or `apis/<group>/<version>` (a leading `/` is tolerated); the
 *   result is undefined when it is malformed or no resource of `resources` has that group-version.
 * - `components.schemas` holds, under Kubernetes-style names (`io.k8s.api.core.v1.Pod`,
 *   `io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta`, `com.example.v1.Widget` for custom groups),
 *   every schema the group-version's operations reach: each kind (from `schemas`, so kinds registered
 *   later — CRDs — appear; an open object when none is registered) with
 *   `x-kubernetes-group-version-kind`, its `<Kind>List`, Status, DeleteOptions, Patch and, with a
 *   scale subresource, `autoscaling/v1` Scale. Every `$ref` is `#/components/schemas/<name>` and
 *   resolves within the document.
 * - `paths` has per resource the collection, item, all-namespaces list (namespaced kinds) and
 *   `status`/`scale` subresource paths; every operation carries `x-kubernetes-action`,
 *   `x-kubernetes-group-version-kind` (an object) and responses; writes (POST, PUT, PATCH) list the
 *   `dryRun`, `fieldManager` and `fieldValidation` query parameters (kubectl ≥ 1.27 then leaves
 *   validation to the server); PATCH bodies accept JSON, merge, strategic-merge and apply patches.
 * - Pure and deterministic: equal inputs give equal (key-sorted) JSON-serialisable output; inputs are
 *   not modified.
 */
export function openApiV3Document(groupVersionPath: string, resources: ResourceRegistry, schemas: SchemaRegistry, options: OpenApiOptions = {}): object | undefined {
  const gv = parseGroupVersionPath(groupVersionPath);
  if (!gv) return undefined;
  const selected = resources.all().filter((r) => r.group === gv.group && r.version === gv.version);
  if (selected.length === 0) return undefined;
  const { collector, resolved } = collect('v3', selected, resources, schemas, options);
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of resolved) {
    for (const path of r.paths) {
      const item: Record<string, unknown> = {};
      if (path.parameters.length > 0) item['parameters'] = path.parameters.map(parameterV3);
      for (const op of path.operations) item[op.method] = operationV3(r, path, op);
      paths[path.path] = item;
    }
  }
  return sortKeys({
    openapi: '3.0.0',
    info: options.info ?? DEFAULT_INFO,
    paths,
    components: { schemas: collector.schemas, securitySchemes: BEARER_TOKEN },
    security: [{ BearerToken: [] }],
  }) as object;
}

/**
 * What `/openapi/v3` answers: for each group-version of `resources`, its key (`api/v1`,
 * `apis/apps/v1`) and `serverRelativeURL` `/openapi/v3/<key>?hash=<SHA-512 of the document>`.
 * The hash is computed from {@link openApiV3Document} with `schemas` (default: the built-in schema
 * registry), so pass the registry the documents are served from: the hash then changes exactly when
 * a document does, which is what clients cache on. The server should serve the document for any
 * `hash` value. Pure and deterministic; duplicate resources are ignored.
 */
export function openApiV3Index(resources: readonly ResourceInfo[], schemas?: SchemaRegistry, options: OpenApiOptions = {}): OpenApiV3Index {
  const registry = new ResourceRegistry([]);
  for (const res of resources) if (!registry.forKind(apiVersionOf(res), res.kind)) registry.add(res);
  return openApiV3All(registry, schemas ?? createBuiltinSchemaRegistry(), options).index;
}

/**
 * The index and every group-version document at once (each document is built once), for a server
 * that caches them until the served resources or schemas change: `documents` is keyed like
 * `index.paths` (`api/v1`, `apis/apps/v1`…), and each `index.paths[key].serverRelativeURL` carries
 * the hash of `documents[key]`. Same contracts as {@link openApiV3Index} and {@link openApiV3Document}.
 */
export function openApiV3All(resources: ResourceRegistry, schemas: SchemaRegistry, options: OpenApiOptions = {}): { index: OpenApiV3Index; documents: Record<string, object> } {
  const keys = [...new Set(resources.all().map(groupVersionPath))].sort();
  const paths: Record<string, { serverRelativeURL: string }> = {};
  const documents: Record<string, object> = {};
  for (const key of keys) {
    const doc = openApiV3Document(key, resources, schemas, options);
    if (!doc) continue;
    documents[key] = doc;
    paths[key] = { serverRelativeURL: `/openapi/v3/${key}?hash=${documentHash(doc)}` };
  }
  return { index: { paths }, documents };
}
