import type { Deployment, ReplicaSet } from '@skiff/core';
import type { KindRef } from '@skiff/sdk';

export const DEPLOYMENT_REF: KindRef = { apiVersion: 'apps/v1', kind: 'Deployment' };
export const REPLICA_SET_REF: KindRef = { apiVersion: 'apps/v1', kind: 'ReplicaSet' };
export const POD_REF: KindRef = { apiVersion: 'v1', kind: 'Pod' };

/** The label that tells a Deployment's ReplicaSets (and their pods) apart: the hash of the pod template. */
export const POD_TEMPLATE_HASH_LABEL = 'pod-template-hash';

/** Annotations the Deployment controller keeps on its ReplicaSets (and the revision on the Deployment), as Kubernetes names them. */
export const ANNOTATIONS = {
  revision: 'deployment.kubernetes.io/revision',
  revisionHistory: 'deployment.kubernetes.io/revision-history',
  desiredReplicas: 'deployment.kubernetes.io/desired-replicas',
  maxReplicas: 'deployment.kubernetes.io/max-replicas',
} as const;

/** Deployment annotations never copied to its ReplicaSets (Kubernetes' `skipCopyAnnotation`). */
export const SKIP_COPY_ANNOTATIONS = new Set<string>([
  'kubectl.kubernetes.io/last-applied-configuration',
  'deprecated.deployment.rollback.to',
  ANNOTATIONS.revision,
  ANNOTATIONS.revisionHistory,
  ANNOTATIONS.desiredReplicas,
  ANNOTATIONS.maxReplicas,
]);

/** Condition types and reasons of a Deployment, as Kubernetes names them. */
export const CONDITIONS = {
  available: 'Available',
  progressing: 'Progressing',
  replicaFailure: 'ReplicaFailure',
} as const;

export const REASONS = {
  newRSCreated: 'NewReplicaSetCreated',
  foundNewRS: 'FoundNewReplicaSet',
  rsUpdated: 'ReplicaSetUpdated',
  newRSAvailable: 'NewReplicaSetAvailable',
  timedOut: 'ProgressDeadlineExceeded',
  paused: 'DeploymentPaused',
  resumed: 'DeploymentResumed',
  failedRSCreate: 'ReplicaSetCreateError',
  minimumAvailable: 'MinimumReplicasAvailable',
  minimumUnavailable: 'MinimumReplicasUnavailable',
} as const;

export type { Deployment, ReplicaSet };
