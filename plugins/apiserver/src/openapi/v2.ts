import type { ResourceRegistry, SchemaRegistry } from '@skiff/core';
import { BEARER_TOKEN, collect, DEFAULT_INFO, slotRef, type OpenApiOptions, type ResolvedResource } from './build.js';
import { sortKeys } from './json.js';
import { PATCH_CONTENT_TYPES, type ParameterSpec } from './parameters.js';
import type { OperationSpec, PathSpec } from './paths.js';

const parameterV2 = (p: ParameterSpec): object => ({
  name: p.name,
  in: p.in,
  description: p.description,
  type: p.type,
  uniqueItems: true,
  ...(p.in === 'path' ? { required: true } : {}),
});

const PRODUCES = ['application/json', 'application/yaml'];

function operationV2(r: ResolvedResource, path: PathSpec, op: OperationSpec): object {
  const parameters: object[] = [];
  if (op.body) parameters.push({ name: 'body', in: 'body', required: op.body.required, schema: slotRef(r, path, op.body.slot) });
  parameters.push(...op.query.map(parameterV2));
  const responses: Record<string, object> = {};
  for (const [code, response] of Object.entries(op.responses)) {
    responses[code] = response.slot ? { description: response.description, schema: slotRef(r, path, response.slot) } : { description: response.description };
  }
  return {
    tags: [op.tag],
    description: op.description,
    operationId: op.operationId,
    consumes: op.body?.slot === 'patch' ? [...PATCH_CONTENT_TYPES] : ['*/*'],
    produces: op.action === 'list' ? [...PRODUCES, 'application/json;stream=watch'] : PRODUCES,
    schemes: ['https'],
    parameters,
    responses,
    'x-kubernetes-action': op.action,
    'x-kubernetes-group-version-kind': op.gvk,
  };
}

/**
 * The Swagger 2.0 document served at `/openapi/v2` (kubectl ≤ 1.26 reads only this; newer ones fall
 * back to it), covering every resource of `resources`.
 *
 * Contract: `definitions` named as in {@link openApiV3Document} (`$ref`s are `#/definitions/<name>`
 * and resolve within the document), in Swagger 2.0's subset of JSON Schema (no `anyOf`/`oneOf`/
 * `nullable`; int-or-string as `type: string, format: int-or-string`; `$ref` with only a
 * `description` beside it, as Kubernetes publishes it), kind definitions carrying
 * `x-kubernetes-group-version-kind`; `paths` as in v3, with all parameters inline on the operation
 * (`fieldValidation` on every POST, PUT and PATCH: kubectl's v2 check looks at the PATCH operation
 * of the kind). Pure, deterministic (key-sorted) and JSON-serialisable.
 */
export function openApiV2(resources: ResourceRegistry, schemas: SchemaRegistry, options: OpenApiOptions = {}): object {
  const { collector, resolved } = collect('v2', resources.all(), resources, schemas, options);
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of resolved) {
    for (const path of r.paths) {
      const item: Record<string, unknown> = {};
      if (path.parameters.length > 0) item['parameters'] = path.parameters.map(parameterV2);
      for (const op of path.operations) item[op.method] = operationV2(r, path, op);
      paths[path.path] = item;
    }
  }
  return sortKeys({
    swagger: '2.0',
    info: options.info ?? DEFAULT_INFO,
    paths,
    definitions: collector.schemas,
    securityDefinitions: BEARER_TOKEN,
    security: [{ BearerToken: [] }],
  }) as object;
}
