/**
 * Skiff's own descriptions of apimachinery messages (`meta/v1`, `runtime`, `intstr`,
 * `resource`), with field numbers matching Kubernetes' `generated.proto`.
 */
import { bool, bytes, i32, i64, list, msg, str, strMap, strs, time, type PackageDef } from '../fields.js';

/** `k8s.io.apimachinery.pkg.runtime`: the envelope every protobuf body is wrapped in. */
export const runtime: PackageDef = {
  TypeMeta: { apiVersion: str(1), kind: str(2) },
  Unknown: { typeMeta: msg(1, 'runtime.TypeMeta'), raw: bytes(2), contentEncoding: str(3), contentType: str(4) },
};

/** `k8s.io.apimachinery.pkg.util.intstr`. */
export const intstr: PackageDef = {
  IntOrString: { type: i64(1), intVal: i32(2), strVal: str(3) },
};

/** `k8s.io.apimachinery.pkg.api.resource`. */
export const resource: PackageDef = {
  Quantity: { string: str(1) },
};

/** `k8s.io.apimachinery.pkg.apis.meta.v1`. */
export const meta: PackageDef = {
  Time: { seconds: i64(1), nanos: i32(2) },
  MicroTime: { seconds: i64(1), nanos: i32(2) },
  FieldsV1: { Raw: bytes(1) },
  ObjectMeta: {
    name: str(1),
    generateName: str(2),
    namespace: str(3),
    selfLink: str(4),
    uid: str(5),
    resourceVersion: str(6),
    generation: i64(7),
    creationTimestamp: time(8),
    deletionTimestamp: time(9),
    deletionGracePeriodSeconds: i64(10, true),
    labels: strMap(11),
    annotations: strMap(12),
    ownerReferences: list(13, 'meta.OwnerReference'),
    finalizers: strs(14),
    managedFields: list(17, 'meta.ManagedFieldsEntry'),
  },
  OwnerReference: {
    kind: str(1, true),
    name: str(3, true),
    uid: str(4, true),
    apiVersion: str(5, true),
    controller: bool(6, true),
    blockOwnerDeletion: bool(7, true),
  },
  ManagedFieldsEntry: {
    manager: str(1),
    operation: str(2),
    apiVersion: str(3),
    time: time(4),
    fieldsType: str(6),
    fieldsV1: msg(7, 'meta.FieldsV1'),
    subresource: str(8),
  },
  LabelSelector: { matchLabels: strMap(1), matchExpressions: list(2, 'meta.LabelSelectorRequirement') },
  LabelSelectorRequirement: { key: str(1, true), operator: str(2, true), values: strs(3) },
  Condition: {
    type: str(1, true),
    status: str(2, true),
    observedGeneration: i64(3),
    lastTransitionTime: time(4),
    reason: str(5, true),
    message: str(6, true),
  },
  Preconditions: { uid: str(1, true), resourceVersion: str(2, true) },
  DeleteOptions: {
    gracePeriodSeconds: i64(1, true),
    preconditions: msg(2, 'meta.Preconditions'),
    orphanDependents: bool(3, true),
    propagationPolicy: str(4, true),
    dryRun: strs(5),
    ignoreStoreReadErrorWithClusterBreakingPotential: bool(6, true),
  },
};
