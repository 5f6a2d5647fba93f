import type { ResourceInfo } from '@skiff/core';

export const CRD_GROUP = 'apiextensions.k8s.io';

/** How the API serves CustomResourceDefinitions themselves (cluster-scoped, short names crd/crds). */
export const crdResource: ResourceInfo = Object.freeze({
  group: CRD_GROUP,
  version: 'v1',
  kind: 'CustomResourceDefinition',
  plural: 'customresourcedefinitions',
  singular: 'customresourcedefinition',
  namespaced: false,
  shortNames: ['crd', 'crds'],
  categories: [],
  statusSubresource: true,
  scaleSubresource: false,
});

const names = {
  type: 'object',
  required: ['plural', 'kind'],
  properties: {
    plural: { type: 'string', minLength: 1 },
    singular: { type: 'string' },
    kind: { type: 'string', minLength: 1 },
    listKind: { type: 'string' },
    shortNames: { type: 'array', items: { type: 'string' } },
    categories: { type: 'array', items: { type: 'string' } },
  },
};

/** A faithful subset of apiextensions.k8s.io/v1 CustomResourceDefinition. */
export const crdSchema = {
  type: 'object',
  description: 'CustomResourceDefinition represents a resource that should be exposed on the API server.',
  required: ['apiVersion', 'kind', 'spec'],
  properties: {
    apiVersion: { type: 'string', enum: ['apiextensions.k8s.io/v1'] },
    kind: { type: 'string', enum: ['CustomResourceDefinition'] },
    spec: {
      type: 'object',
      required: ['group', 'names', 'scope', 'versions'],
      properties: {
        group: { type: 'string', minLength: 1 },
        names,
        scope: { type: 'string', enum: ['Namespaced', 'Cluster'] },
        versions: {
          type: 'array',
          minItems: 1,
          items: {
            type: 'object',
            required: ['name', 'served', 'storage'],
            properties: {
              name: { type: 'string', minLength: 1 },
              served: { type: 'boolean' },
              storage: { type: 'boolean' },
              deprecated: { type: 'boolean' },
              schema: { type: 'object', properties: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } },
              subresources: {
                type: 'object',
                properties: {
                  status: { type: 'object' },
                  scale: {
                    type: 'object',
                    properties: {
                      specReplicasPath: { type: 'string' },
                      statusReplicasPath: { type: 'string' },
                      labelSelectorPath: { type: 'string' },
                    },
                  },
                },
              },
              additionalPrinterColumns: {
                type: 'array',
                items: {
                  type: 'object',
                  required: ['name', 'type', 'jsonPath'],
                  properties: {
                    name: { type: 'string' },
                    type: { type: 'string' },
                    format: { type: 'string' },
                    description: { type: 'string' },
                    priority: { type: 'integer' },
                    jsonPath: { type: 'string' },
                  },
                },
              },
            },
          },
          'x-kubernetes-list-type': 'map',
          'x-kubernetes-list-map-keys': ['name'],
        },
        preserveUnknownFields: { type: 'boolean' },
      },
    },
    status: {
      type: 'object',
      properties: {
        conditions: {
          type: 'array',
          items: {
            type: 'object',
            required: ['type', 'status'],
            properties: {
              type: { type: 'string' },
              status: { type: 'string' },
              reason: { type: 'string' },
              message: { type: 'string' },
              lastTransitionTime: { type: 'string' },
            },
          },
          'x-kubernetes-list-type': 'map',
          'x-kubernetes-list-map-keys': ['type'],
        },
        acceptedNames: names,
        storedVersions: { type: 'array', items: { type: 'string' } },
      },
    },
  },
} as const;
