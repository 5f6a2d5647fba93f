/**
 * Skiff's own descriptions of `coordination.k8s.io/v1`, `policy/v1` (Eviction) and
 * `authorization.k8s.io/v1` (SelfSubjectAccessReview, sent by `kubectl auth can-i`) messages, with
 * field numbers matching Kubernetes' `generated.proto`.
 */
import { bool, i32, microTime, msg, objectMeta, str, type PackageDef } from '../fields.js';

/** `k8s.io.api.coordination.v1`. */
export const coordination: PackageDef = {
  Lease: { metadata: objectMeta(), spec: msg(2, 'coordination.LeaseSpec') },
  LeaseSpec: {
    holderIdentity: str(1, true),
    leaseDurationSeconds: i32(2, true),
    acquireTime: microTime(3),
    renewTime: microTime(4),
    leaseTransitions: i32(5, true),
    strategy: str(6, true),
    preferredHolder: str(7, true),
  },
};

/** `k8s.io.api.policy.v1`: the body `kubectl drain` POSTs to `pods/<name>/eviction`. */
export const policy: PackageDef = {
  Eviction: { metadata: objectMeta(), deleteOptions: msg(2, 'meta.DeleteOptions') },
};

/** `k8s.io.api.authorization.v1`: the review `kubectl auth can-i` creates. */
export const authorization: PackageDef = {
  SelfSubjectAccessReview: {
    metadata: objectMeta(),
    spec: msg(2, 'authorization.SelfSubjectAccessReviewSpec'),
    status: msg(3, 'authorization.SubjectAccessReviewStatus'),
  },
  SelfSubjectAccessReviewSpec: {
    resourceAttributes: msg(1, 'authorization.ResourceAttributes'),
    nonResourceAttributes: msg(2, 'authorization.NonResourceAttributes'),
  },
  ResourceAttributes: {
    namespace: str(1),
    verb: str(2),
    group: str(3),
    version: str(4),
    resource: str(5),
    subresource: str(6),
    name: str(7),
  },
  NonResourceAttributes: { path: str(1), verb: str(2) },
  SubjectAccessReviewStatus: { allowed: bool(1, true), reason: str(2), evaluationError: str(3), denied: bool(4) },
};

