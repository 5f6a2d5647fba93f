import { apiVersionOf, OBJECT_META_SCHEMA_ID, SCHEMA_BASE_URI, type ResourceInfo, type SchemaDocument, type SchemaRegistry } from '@skiff/core';
import { META_V1, schemaPackage, type DocumentNamingArgs } from './names.js';

/** Base of the `$id`s of the documents this module synthesises (lists, Scale, DeleteOptions, Patch). */
const OPENAPI_BASE = `${SCHEMA_BASE_URI}openapi/`;

export const PATCH_SCHEMA_ID = `${OPENAPI_BASE}patch.json`;
export const DELETE_OPTIONS_SCHEMA_ID = `${OPENAPI_BASE}delete-options.json`;
export const SCALE_SCHEMA_ID = `${OPENAPI_BASE}scale.json`;
export const STATUS_SCHEMA_ID = `${SCHEMA_BASE_URI}status.json`;
const LIST_META_SCHEMA_ID = `${SCHEMA_BASE_URI}list-meta.json`;

const typeMeta = {
  apiVersion: {
    description:
      'APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values.',
    type: 'string',
  },
  kind: {
    description: 'Kind is a string value representing the REST resource this object represents. In CamelCase.',
    type: 'string',
  },
};

/** A synthesised document with the name it gets in OpenAPI documents. */
export interface NamedDocument {
  doc: SchemaDocument;
  naming: DocumentNamingArgs;
}

/** `meta/v1` `Patch`: the request body of every PATCH. */
export const patchDocument: NamedDocument = {
  doc: {
    $id: PATCH_SCHEMA_ID,
    description: 'Patch is provided to give a concrete name and type to the Kubernetes PATCH request body.',
    type: 'object',
  },
  naming: { pkg: META_V1, rootName: `${META_V1}.Patch` },
};

/** `meta/v1` `DeleteOptions`: the optional request body of DELETE. */
export const deleteOptionsDocument: NamedDocument = {
  doc: {
    $id: DELETE_OPTIONS_SCHEMA_ID,
    description: 'DeleteOptions may be provided when deleting an API object.',
    type: 'object',
    properties: {
      ...typeMeta,
      dryRun: {
        description: 'When present, indicates that modifications should not be persisted. The only valid value is "All".',
        type: 'array',
        items: { type: 'string' },
        'x-kubernetes-list-type': 'atomic',
      },
      gracePeriodSeconds: {
        description: 'The duration in seconds before the object should be deleted. Zero means delete immediately.',
        type: 'integer',
        format: 'int64',
      },
      orphanDependents: {
        description: 'Deprecated: use propagationPolicy. Whether the dependent objects should be orphaned.',
        type: 'boolean',
      },
      preconditions: { $ref: '#/definitions/Preconditions' },
      propagationPolicy: {
        description: "Whether and how garbage collection will be performed: 'Orphan', 'Background' or 'Foreground'.",
        type: 'string',
      },
    },
    'x-kubernetes-group-version-kind': [{ group: '', kind: 'DeleteOptions', version: 'v1' }],
    definitions: {
      Preconditions: {
        description: 'Preconditions must be fulfilled before an operation (update, delete, etc.) is carried out.',
        type: 'object',
        properties: {
          resourceVersion: { description: 'Specifies the target ResourceVersion', type: 'string' },
          uid: { description: 'Specifies the target UID.', type: 'string' },
        },
      },
    },
  },
  naming: { pkg: META_V1, rootName: `${META_V1}.DeleteOptions` },
};

/** `autoscaling/v1` `Scale`: what the `scale` subresource reads and writes. */
export const scaleDocument: NamedDocument = {
  doc: {
    $id: SCALE_SCHEMA_ID,
    description: 'Scale represents a scaling request for a resource.',
    type: 'object',
    properties: {
      ...typeMeta,
      metadata: { description: 'Standard object metadata.', allOf: [{ $ref: OBJECT_META_SCHEMA_ID }] },
      spec: { description: 'Defines the behavior of the scale.', allOf: [{ $ref: '#/definitions/ScaleSpec' }] },
      status: { description: 'The current status of the scale. Read-only.', allOf: [{ $ref: '#/definitions/ScaleStatus' }] },
    },
    'x-kubernetes-group-version-kind': [{ group: 'autoscaling', kind: 'Scale', version: 'v1' }],
    definitions: {
      ScaleSpec: {
        description: 'ScaleSpec describes the attributes of a scale subresource.',
        type: 'object',
        properties: { replicas: { description: 'The desired number of instances for the scaled object.', type: 'integer', format: 'int32' } },
      },
      ScaleStatus: {
        description: 'ScaleStatus represents the current status of a scale subresource.',
        type: 'object',
        required: ['replicas'],
        properties: {
          replicas: { description: 'The actual number of observed instances of the scaled object.', type: 'integer', format: 'int32' },
          selector: { description: 'Label query over pods that should match the replicas count, in the string form.', type: 'string' },
        },
      },
    },
  },
  naming: { pkg: 'io.k8s.api.autoscaling.v1', rootName: 'io.k8s.api.autoscaling.v1.Scale' },
};

/** The `$id` a kind's schema document has (or is given, like `SchemaRegistry` does, when it has none). */
export function kindSchemaId(res: ResourceInfo, doc: SchemaDocument | undefined): string {
  const id = doc?.['$id'];
  return typeof id === 'string' ? id : `${SCHEMA_BASE_URI}registered/${res.group || 'core'}/${res.version}/${res.kind}.json`;
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The schema document of a served kind, from the registry (or an open object when none is
 * registered), made to look like Kubernetes publishes kinds: an `$id`, `apiVersion`/`kind`/`metadata`
 * declared (metadata as ObjectMeta), and `x-kubernetes-group-version-kind`. Never modifies the
 * registered document.
 */
export function kindDocument(res: ResourceInfo, schemas: SchemaRegistry): NamedDocument {
  const apiVersion = apiVersionOf(res);
  const registered = schemas.has(apiVersion, res.kind) ? schemas.get(apiVersion, res.kind) : undefined;
  const doc: SchemaDocument = registered
    ? { ...registered }
    : { description: `${res.kind} (no schema is registered; any fields are accepted).`, type: 'object', 'x-kubernetes-preserve-unknown-fields': true };
  doc['$id'] = kindSchemaId(res, registered);
  doc['type'] ??= 'object';
  const properties: Record<string, unknown> = isObj(doc['properties']) ? { ...doc['properties'] } : {};
  properties['apiVersion'] ??= typeMeta.apiVersion;
  properties['kind'] ??= typeMeta.kind;
  const metadata = properties['metadata'];
  const metaRef = { $ref: OBJECT_META_SCHEMA_ID };
  const refersToMeta = (m: unknown): boolean =>
    isObj(m) && (typeof m['$ref'] === 'string' || (Array.isArray(m['allOf']) && m['allOf'].some((b) => isObj(b) && typeof b['$ref'] === 'string')));
  if (!refersToMeta(metadata)) {
    const description = isObj(metadata) && typeof metadata['description'] === 'string' ? metadata['description'] : "Standard object's metadata.";
    properties['metadata'] = { description, allOf: [metaRef] };
  }
  doc['properties'] = properties;
  const gvk = { group: res.group, kind: res.kind, version: res.version };
  const existing = Array.isArray(doc['x-kubernetes-group-version-kind']) ? doc['x-kubernetes-group-version-kind'] : [];
  const hasGvk = existing.some((e) => isObj(e) && e['group'] === gvk.group && e['version'] === gvk.version && e['kind'] === gvk.kind);
  if (!hasGvk) doc['x-kubernetes-group-version-kind'] = [...existing, gvk];
  const pkg = schemaPackage(res);
  return { doc, naming: { pkg, rootName: `${pkg}.${res.kind}` } };
}

/** The `<Kind>List` document of a served kind (items referring to the kind's document). */
export function listDocument(res: ResourceInfo, kindId: string): NamedDocument {
  const pkg = schemaPackage(res);
  return {
    doc: {
      $id: `${OPENAPI_BASE}lists/${res.group || 'core'}/${res.version}/${res.kind}List.json`,
      description: `${res.kind}List is a list of ${res.kind} objects.`,
      type: 'object',
      required: ['items'],
      properties: {
        ...typeMeta,
        items: { description: `List of ${res.plural}.`, type: 'array', items: { $ref: kindId } },
        metadata: { description: "Standard list metadata.", allOf: [{ $ref: LIST_META_SCHEMA_ID }] },
      },
      'x-kubernetes-group-version-kind': [{ group: res.group, kind: `${res.kind}List`, version: res.version }],
    },
    naming: { pkg, rootName: `${pkg}.${res.kind}List` },
  };
}
