import type { KubeObject } from '../objects/types.js';
import { SkiffError } from '../errors.js';
import type { SchemaRegistry } from './registry.js';
import type { SchemaValidateOptions } from './types.js';

/**
 * Throws `SKIFF_ERR_SCHEMA_INVALID` (details: `causes`, `unknownFields`, `apiVersion`, `kind`,
 * `name`) unless the object is valid; the message reads like Kubernetes' ("Pod "web" is invalid:
 * spec.containers[0].image: Required value"). Unknown kinds throw `SKIFF_ERR_SCHEMA_UNKNOWN_KIND`.
 */
export function assertValid(registry: SchemaRegistry, object: unknown, options?: SchemaValidateOptions): asserts object is KubeObject {
  const result = registry.validate(object, options);
  if (result.valid) return;
  const obj = object as { apiVersion?: unknown; kind?: unknown; metadata?: { name?: unknown } };
  const name = typeof obj.metadata?.name === 'string' ? obj.metadata.name : '';
  const listed = result.causes.map((c) => `${c.field}: ${c.message}`);
  const summary = listed.length === 1 ? listed[0] : `[${listed.join(', ')}]`;
  throw new SkiffError('SKIFF_ERR_SCHEMA_INVALID', `${String(obj.kind)} "${name}" is invalid: ${summary}`, {
    causes: result.causes,
    unknownFields: result.unknownFields,
    apiVersion: obj.apiVersion,
    kind: obj.kind,
    name,
  });
}
