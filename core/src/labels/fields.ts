import type { KubeObject } from '../objects/types.js';

/** The fields every kind supports in field selectors. */
const METADATA_FIELDS = ['metadata.name', 'metadata.namespace'] as const;

/** Kind-specific selectable fields, from each kind's `ToSelectableFields` in Kubernetes. */
const KIND_FIELDS: ReadonlyMap<string, readonly string[]> = new Map<string, readonly string[]>([
  ['Pod', ['spec.nodeName', 'spec.restartPolicy', 'spec.schedulerName', 'spec.serviceAccountName', 'spec.hostNetwork', 'status.phase', 'status.podIP', 'status.nominatedNodeName']],
  ['Event', ['involvedObject.kind', 'involvedObject.namespace', 'involvedObject.name', 'involvedObject.uid', 'involvedObject.apiVersion', 'involvedObject.resourceVersion', 'involvedObject.fieldPath', 'reason', 'reportingComponent', 'source', 'type']],
  ['Secret', ['type']],
  ['Node', ['spec.unschedulable']],
  ['Namespace', ['status.phase']],
  ['ReplicaSet', ['status.replicas']],
  ['ReplicationController', ['status.replicas']],
  ['Job', ['status.successful']],
]);

const SUPPORTED = new Map<string, readonly string[]>(
  [...KIND_FIELDS].map(([kind, fields]) => [kind, Object.freeze([...METADATA_FIELDS, ...fields])]),
);
const METADATA_ONLY: readonly string[] = Object.freeze([...METADATA_FIELDS]);

/**
 * The fields a field selector may name for `kind` (case-sensitive, e.g. `Pod`), as the Kubernetes
 * API server allows them: `metadata.name` and `metadata.namespace` for every kind, plus the kind's
 * own fields for Pod, Event, Secret, Node, Namespace, ReplicaSet, ReplicationController and Job.
 * Any other kind (custom resources included) gets only the two metadata fields. Frozen.
 */
export function supportedFieldsForKind(kind: string): readonly string[] {
  return SUPPORTED.get(kind) ?? METADATA_ONLY;
}

/** Reads a dotted path; undefined when any step is missing or not an object. */
function readPath(object: unknown, path: string): unknown {
  let current: unknown = object;
  for (const step of path.split('.')) {
    if (current === null || typeof current !== 'object' || !Object.prototype.hasOwnProperty.call(current, step)) return undefined;
    current = (current as Record<string, unknown>)[step];
  }
  return current;
}

/** A scalar as the API server prints it into a field set; anything else is the empty string. */
function scalar(value: unknown, fallback = ''): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value === 'bigint') return String(value);
  return fallback;
}

type Accessor = (object: KubeObject) => string;

/**
 * Fields whose Kubernetes value is not simply "the JSON at that path": Go zero values for booleans
 * and counters (a missing `spec.unschedulable` selects as `false`), renamed fields
 * (`status.successful` is `status.succeeded`) and fallbacks (Event `source`).
 */
const ACCESSORS: ReadonlyMap<string, ReadonlyMap<string, Accessor>> = new Map([
  ['Pod', new Map<string, Accessor>([
    ['spec.hostNetwork', (o) => scalar(readPath(o, 'spec.hostNetwork'), 'false')],
    ['status.podIP', (o) => scalar(readPath(o, 'status.podIP')) || scalar(readPath(readPath(o, 'status.podIPs'), '0.ip'))],
  ])],
  ['Node', new Map<string, Accessor>([['spec.unschedulable', (o) => scalar(readPath(o, 'spec.unschedulable'), 'false')]])],
  ['ReplicaSet', new Map<string, Accessor>([['status.replicas', (o) => scalar(readPath(o, 'status.replicas'), '0')]])],
  ['ReplicationController', new Map<string, Accessor>([['status.replicas', (o) => scalar(readPath(o, 'status.replicas'), '0')]])],
  ['Job', new Map<string, Accessor>([['status.successful', (o) => scalar(readPath(o, 'status.succeeded'), '0')]])],
  ['Event', new Map<string, Accessor>([['source', (o) => scalar(readPath(o, 'source.component')) || scalar(readPath(o, 'reportingComponent'))]])],
]);

/**
 * The string a field selector compares for `field` on `object`: the kind-specific value for the
 * fields Kubernetes derives specially (see above, chosen by `object.kind`), otherwise the value at
 * the dotted path, with booleans as `true`/`false`, numbers in decimal, and anything missing or
 * non-scalar as the empty string. Internal to the labels module.
 */
export function fieldValue(object: KubeObject, field: string): string {
  const accessor = ACCESSORS.get(object.kind)?.get(field);
  return accessor ? accessor(object) : scalar(readPath(object, field));
}
