import type { ResourceInfo } from '@skiff/core';
import { urlPrefix, operationGroup, operationTag } from './names.js';
import { ACTION_PARAMETERS, PATH_PARAMETERS, type ParameterSpec, QUERY_PARAMETERS } from './parameters.js';

/** The group, version and kind an operation acts on (`x-kubernetes-group-version-kind`). */
export interface GVK {
  group: string;
  version: string;
  kind: string;
}

/** Which schema a request body or response refers to. */
export type SchemaSlot = 'object' | 'list' | 'scale' | 'status' | 'deleteOptions' | 'patch';

/** One operation of the Kubernetes REST API, independent of the OpenAPI flavour. */
export interface OperationSpec {
  method: 'get' | 'put' | 'post' | 'patch' | 'delete';
  /** `x-kubernetes-action`. */
  action: 'get' | 'list' | 'post' | 'put' | 'patch' | 'delete' | 'deletecollection';
  operationId: string;
  description: string;
  tag: string;
  gvk: GVK;
  query: ParameterSpec[];
  /** The request body's schema; `patch` bodies accept the four PATCH media types. */
  body?: { slot: SchemaSlot; required: boolean };
  /** Status code → the response schema (undefined for none). */
  responses: Record<string, { description: string; slot?: SchemaSlot }>;
}

/** One path with its path parameters and operations. */
export interface PathSpec {
  path: string;
  parameters: ParameterSpec[];
  operations: OperationSpec[];
  /** Which object schema `object` slots mean: the kind's, or `Scale` for the scale subresource. */
  objectSlot: 'object' | 'scale';
}

const query = (action: keyof typeof ACTION_PARAMETERS): ParameterSpec[] => [...ACTION_PARAMETERS[action], 'pretty' as const].sort().map((n) => QUERY_PARAMETERS[n]);

/**
 * The paths Kubernetes serves for a resource: the collection (list, create, deletecollection),
 * for namespaced kinds also the all-namespaces list, the item (read, replace, patch, delete) and,
 * when the resource has them, `/status` (read, replace, patch) and `/scale` (same, on
 * `autoscaling/v1 Scale`). Namespaced paths are `…/namespaces/{namespace}/<plural>[/{name}]`.
 */
export function resourcePaths(res: ResourceInfo): PathSpec[] {
  const prefix = urlPrefix(res);
  const gvk: GVK = { group: res.group, version: res.version, kind: res.kind };
  const scope = res.namespaced ? 'Namespaced' : '';
  const id = (verb: string, suffix = ''): string => `${verb}${operationGroup(res)}${scope}${res.kind}${suffix}`;
  const tag = operationTag(res);
  const base = res.namespaced ? `${prefix}/namespaces/{namespace}/${res.plural}` : `${prefix}/${res.plural}`;
  const scopeParams = res.namespaced ? [PATH_PARAMETERS.namespace] : [];
  const itemParams = [PATH_PARAMETERS.name, ...scopeParams];
  const ok = (slot: SchemaSlot) => ({ description: 'OK', slot });
  const unauthorized = { description: 'Unauthorized' };

  const paths: PathSpec[] = [
    {
      path: base,
      parameters: scopeParams,
      objectSlot: 'object',
      operations: [
        { method: 'get', action: 'list', operationId: id('list'), description: `list or watch objects of kind ${res.kind}`, tag, gvk, query: query('list'), responses: { '200': ok('list'), '401': unauthorized } },
        {
          method: 'post', action: 'post', operationId: id('create'), description: `create a ${res.kind}`, tag, gvk, query: query('create'),
          body: { slot: 'object', required: true },
          responses: { '200': ok('object'), '201': { description: 'Created', slot: 'object' }, '202': { description: 'Accepted', slot: 'object' }, '401': unauthorized },
        },
        {
          method: 'delete', action: 'deletecollection', operationId: `delete${operationGroup(res)}Collection${scope}${res.kind}`,
          description: `delete collection of ${res.kind}`, tag, gvk, query: query('deletecollection'),
          body: { slot: 'deleteOptions', required: false }, responses: { '200': ok('status'), '401': unauthorized },
        },
      ],
    },
    {
      path: `${base}/{name}`,
      parameters: itemParams,
      objectSlot: 'object',
      operations: [
        { method: 'get', action: 'get', operationId: id('read'), description: `read the specified ${res.kind}`, tag, gvk, query: query('get'), responses: { '200': ok('object'), '401': unauthorized } },
        {
          method: 'put', action: 'put', operationId: id('replace'), description: `replace the specified ${res.kind}`, tag, gvk, query: query('replace'),
          body: { slot: 'object', required: true }, responses: { '200': ok('object'), '201': { description: 'Created', slot: 'object' }, '401': unauthorized },
        },
        {
          method: 'patch', action: 'patch', operationId: id('patch'), description: `partially update the specified ${res.kind}`, tag, gvk, query: query('patch'),
          body: { slot: 'patch', required: true }, responses: { '200': ok('object'), '201': { description: 'Created', slot: 'object' }, '401': unauthorized },
        },
        {
          method: 'delete', action: 'delete', operationId: id('delete'), description: `delete a ${res.kind}`, tag, gvk, query: query('delete'),
          body: { slot: 'deleteOptions', required: false }, responses: { '200': ok('object'), '202': { description: 'Accepted', slot: 'object' }, '401': unauthorized },
        },
      ],
    },
  ];
  if (res.namespaced) {
    paths.push({
      path: `${prefix}/${res.plural}`,
      parameters: [],
      objectSlot: 'object',
      operations: [
        {
          method: 'get', action: 'list', operationId: `list${operationGroup(res)}${res.kind}ForAllNamespaces`, description: `list or watch objects of kind ${res.kind}`,
          tag, gvk, query: query('list'), responses: { '200': ok('list'), '401': unauthorized },
        },
      ],
    });
  }
  const subresource = (name: 'status' | 'scale', label: string, subGvk: GVK): PathSpec => ({
    path: `${base}/{name}/${name}`,
    parameters: itemParams,
    objectSlot: name === 'scale' ? 'scale' : 'object',
    operations: [
      { method: 'get', action: 'get', operationId: id('read', label), description: `read ${name} of the specified ${res.kind}`, tag, gvk: subGvk, query: query('get'), responses: { '200': ok('object'), '401': unauthorized } },
      {
        method: 'put', action: 'put', operationId: id('replace', label), description: `replace ${name} of the specified ${res.kind}`, tag, gvk: subGvk, query: query('replace'),
        body: { slot: 'object', required: true }, responses: { '200': ok('object'), '201': { description: 'Created', slot: 'object' }, '401': unauthorized },
      },
      {
        method: 'patch', action: 'patch', operationId: id('patch', label), description: `partially update ${name} of the specified ${res.kind}`, tag, gvk: subGvk, query: query('patch'),
        body: { slot: 'patch', required: true }, responses: { '200': ok('object'), '201': { description: 'Created', slot: 'object' }, '401': unauthorized },
      },
    ],
  });
  if (res.statusSubresource) paths.push(subresource('status', 'Status', gvk));
  if (res.scaleSubresource) paths.push(subresource('scale', 'Scale', { group: 'autoscaling', version: 'v1', kind: 'Scale' }));
  return paths;
}
