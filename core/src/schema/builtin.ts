import { builtinSchemas } from './documents.js';
import { SchemaRegistry } from './registry.js';

/**
 * A {@link SchemaRegistry} with every built-in kind of {@link builtinSchemas} registered (list-type
 * uniqueness not enforced, as for Kubernetes' built-in types). Each call returns a new registry.
 */
export function createBuiltinSchemaRegistry(): SchemaRegistry {
  const registry = new SchemaRegistry();
  for (const schema of Object.values(builtinSchemas)) {
    const [gvk] = schema['x-kubernetes-group-version-kind'] as { group: string; version: string; kind: string }[];
    if (gvk) registry.register(gvk, schema, { enforceListTypes: false });
  }
  return registry;
}
