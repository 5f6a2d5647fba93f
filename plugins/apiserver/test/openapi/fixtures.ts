import { createBuiltinSchemaRegistry, ResourceRegistry, type ResourceInfo, type SchemaDocument } from '@skiff/core';

/** A custom resource as a CRD would add it. */
export const widgetResource: ResourceInfo = {
  group: 'stable.example.com',
  version: 'v1',
  kind: 'Widget',
  plural: 'widgets',
  singular: 'widget',
  namespaced: true,
  shortNames: ['wd'],
  categories: [],
  statusSubresource: true,
  scaleSubresource: true,
};

/** A CRD-style OpenAPI v3 structural schema (no $id, no apiVersion/kind/metadata). */
export const widgetSchema: SchemaDocument = {
  type: 'object',
  properties: {
    spec: {
      type: 'object',
      required: ['size'],
      properties: {
        size: { type: 'integer', minimum: 1 },
        port: { anyOf: [{ type: 'integer' }, { type: 'string' }], 'x-kubernetes-int-or-string': true },
        note: { type: 'string', nullable: true },
        tags: { type: 'array', items: { type: 'string' }, 'x-kubernetes-list-type': 'set' },
        extra: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
      },
    },
    status: { type: 'object', properties: { replicas: { type: 'integer' } } },
  },
};

/** The built-in registries plus the Widget CRD, registered after the fact. */
export function withWidget(): { resources: ResourceRegistry; schemas: ReturnType<typeof createBuiltinSchemaRegistry> } {
  const resources = new ResourceRegistry();
  const schemas = createBuiltinSchemaRegistry();
  resources.add(widgetResource);
  schemas.register({ group: widgetResource.group, version: 'v1', kind: 'Widget' }, widgetSchema);
  return { resources, schemas };
}
