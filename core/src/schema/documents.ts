import type { SchemaDocument } from './types.js';
import affinitySchema from '../../schemas/affinity.json' with { type: 'json' };
import conditionSchema from '../../schemas/condition.json' with { type: 'json' };
import configMapSchema from '../../schemas/config-map.json' with { type: 'json' };
import containerSchema from '../../schemas/container.json' with { type: 'json' };
import daemonSetSchema from '../../schemas/daemon-set.json' with { type: 'json' };
import deploymentSchema from '../../schemas/deployment.json' with { type: 'json' };
import endpointsSchema from '../../schemas/endpoints.json' with { type: 'json' };
import eventSchema from '../../schemas/event.json' with { type: 'json' };
import jobSchema from '../../schemas/job.json' with { type: 'json' };
import labelSelectorSchema from '../../schemas/label-selector.json' with { type: 'json' };
import leaseSchema from '../../schemas/lease.json' with { type: 'json' };
import listMetaSchema from '../../schemas/list-meta.json' with { type: 'json' };
import listSchema from '../../schemas/list.json' with { type: 'json' };
import namespaceSchema from '../../schemas/namespace.json' with { type: 'json' };
import nodeSchema from '../../schemas/node.json' with { type: 'json' };
import objectMetaSchema from '../../schemas/object-meta.json' with { type: 'json' };
import objectReferenceSchema from '../../schemas/object-reference.json' with { type: 'json' };
import ownerReferenceSchema from '../../schemas/owner-reference.json' with { type: 'json' };
import podSpecSchema from '../../schemas/pod-spec.json' with { type: 'json' };
import podTemplateSpecSchema from '../../schemas/pod-template-spec.json' with { type: 'json' };
import podSchema from '../../schemas/pod.json' with { type: 'json' };
import probeSchema from '../../schemas/probe.json' with { type: 'json' };
import quantitySchema from '../../schemas/quantity.json' with { type: 'json' };
import replicaSetSchema from '../../schemas/replica-set.json' with { type: 'json' };
import replicationControllerSchema from '../../schemas/replication-controller.json' with { type: 'json' };
import resourceRequirementsSchema from '../../schemas/resource-requirements.json' with { type: 'json' };
import secretSchema from '../../schemas/secret.json' with { type: 'json' };
import securityContextSchema from '../../schemas/security-context.json' with { type: 'json' };
import serviceSchema from '../../schemas/service.json' with { type: 'json' };
import statusSchema from '../../schemas/status.json' with { type: 'json' };
import taintSchema from '../../schemas/taint.json' with { type: 'json' };
import tolerationSchema from '../../schemas/toleration.json' with { type: 'json' };
import volumeSchema from '../../schemas/volume.json' with { type: 'json' };

/** The base URI of the built-in schema documents' `$id`s, e.g. `https://skiff.dev/schemas/pod.json`. */
export const SCHEMA_BASE_URI = 'https://skiff.dev/schemas/';

/** `$id` of the ObjectMeta schema; registered kinds without `metadata` get it. */
export const OBJECT_META_SCHEMA_ID = `${SCHEMA_BASE_URI}object-meta.json`;

const kindDocuments: SchemaDocument[] = [
  namespaceSchema,
  podSchema,
  nodeSchema,
  serviceSchema,
  endpointsSchema,
  replicationControllerSchema,
  replicaSetSchema,
  deploymentSchema,
  daemonSetSchema,
  jobSchema,
  eventSchema,
  leaseSchema,
  configMapSchema,
  secretSchema,
];

const shapeDocuments: SchemaDocument[] = [
  affinitySchema,
  conditionSchema,
  containerSchema,
  labelSelectorSchema,
  listMetaSchema,
  listSchema,
  objectMetaSchema,
  objectReferenceSchema,
  ownerReferenceSchema,
  podSpecSchema,
  podTemplateSpecSchema,
  probeSchema,
  quantitySchema,
  resourceRequirementsSchema,
  securityContextSchema,
  statusSchema,
  taintSchema,
  tolerationSchema,
  volumeSchema,
];

function keyOf(doc: SchemaDocument): string {
  const gvk = (doc['x-kubernetes-group-version-kind'] as { group: string; version: string; kind: string }[])[0];
  if (!gvk) throw new Error(`schema ${String(doc['$id'])} has no x-kubernetes-group-version-kind`);
  return `${gvk.group ? `${gvk.group}/` : ''}${gvk.version}/${gvk.kind}`;
}

/**
 * The JSON Schema of every built-in kind, keyed by `"<apiVersion>/<kind>"`, e.g. `"v1/Pod"` or
 * `"apps/v1/Deployment"`. The documents are draft-07 with `$ref`s to {@link sharedSchemas}, relative
 * to their `$id`. Treat them as read-only.
 */
export const builtinSchemas: Readonly<Record<string, SchemaDocument>> = Object.freeze(
  Object.fromEntries(kindDocuments.map((doc) => [keyOf(doc), doc])),
);

/**
 * The shared shapes the kinds reference (ObjectMeta, PodSpec, Container, LabelSelector, Status,
 * ListMeta, List…), keyed by their `title`. Each is a document with its own `$id`; shapes that only
 * make sense inside another (ContainerPort, PodStatus…) live in their document's `definitions`.
 */
export const sharedSchemas: Readonly<Record<string, SchemaDocument>> = Object.freeze(
  Object.fromEntries(shapeDocuments.map((doc) => [String(doc['title']), doc])),
);
