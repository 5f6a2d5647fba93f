/** The parts of every object the core relies on. Kind-specific types are generated from the JSON Schemas. */
export interface OwnerReferenceLike {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
  blockOwnerDeletion?: boolean;
}

export interface ObjectMetaLike {
  name?: string;
  generateName?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: OwnerReferenceLike[];
  finalizers?: string[];
  creationTimestamp?: string;
  deletionTimestamp?: string;
  deletionGracePeriodSeconds?: number;
  managedFields?: unknown[];
}

/**
 * What every object has. Generic APIs take `T extends ObjectBase`, so generated kinds such as
 * `Pod` (interfaces without an index signature) fit.
 */
export interface ObjectBase {
  apiVersion: string;
  kind: string;
  metadata: ObjectMetaLike;
}

/** Any Kubernetes-shaped object: `apiVersion`, `kind`, `metadata`, and kind-specific fields. */
export interface KubeObject extends ObjectBase {
  [field: string]: unknown;
}
