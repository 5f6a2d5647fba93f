import { OBJECT_META_SCHEMA_ID, SCHEMA_BASE_URI } from './documents.js';
import { isObject } from './resolver.js';
import type { SchemaDocument, SchemaGVK } from './types.js';

const DRAFT_07 = 'http://json-schema.org/draft-07/schema#';

/** Deep copy; drops `nullable` where there is no `type` (ajv rejects it; an untyped schema accepts null anyway). */
function copy(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(copy);
  if (!isObject(node)) return node;
  const out: SchemaDocument = {};
  for (const [k, v] of Object.entries(node)) out[k] = copy(v);
  if ('nullable' in out && out['type'] === undefined) delete out['nullable'];
  return out;
}

/**
 * The schema a registry compiles for a kind: a copy of the given one with an `$id` (a synthetic one
 * under `registered/` when it has none), and `apiVersion`, `kind` and `metadata` declared when the
 * schema leaves them out, as Kubernetes implies them for CRD schemas.
 */
export function prepareSchema(schema: SchemaDocument, gvk: SchemaGVK, apiVersion: string): SchemaDocument {
  const prepared = copy(schema) as SchemaDocument;
  if (typeof prepared['$id'] !== 'string') {
    prepared['$id'] = `${SCHEMA_BASE_URI}registered/${gvk.group || 'core'}/${gvk.version}/${gvk.kind}.json`;
  }
  if (prepared['$schema'] !== undefined && prepared['$schema'] !== DRAFT_07) delete prepared['$schema'];
  const properties = isObject(prepared['properties']) ? prepared['properties'] : {};
  properties['apiVersion'] ??= { type: 'string', const: apiVersion };
  properties['kind'] ??= { type: 'string', const: gvk.kind };
  const metadata = properties['metadata'];
  const objectMeta = { $ref: OBJECT_META_SCHEMA_ID };
  if (metadata === undefined) properties['metadata'] = objectMeta;
  else if (!isObject(metadata) || metadata['$ref'] === undefined) properties['metadata'] = { allOf: [objectMeta, metadata] };
  prepared['properties'] = properties;
  return prepared;
}
