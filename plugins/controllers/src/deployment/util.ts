import type { Deployment, DeploymentCondition, PodTemplateSpec, ReplicaSet } from '@skiff/core';
import { semanticJson } from '../shared/hash.js';
import { scaledValue } from '../shared/int-or-percent.js';
import { rfc3339 } from '../shared/time.js';
import { ANNOTATIONS, POD_TEMPLATE_HASH_LABEL } from './types.js';

export const replicasOf = (obj: Deployment | ReplicaSet): number => obj.spec?.replicas ?? 1;

/** Sum of `spec.replicas` (Kubernetes' `GetReplicaCountForReplicaSets`). */
export const specReplicas = (rss: ReplicaSet[]): number => rss.reduce((n, rs) => n + (rs.spec?.replicas ?? 0), 0);
/** Sum of `status.replicas` (`GetActualReplicaCountForReplicaSets`). */
export const actualReplicas = (rss: ReplicaSet[]): number => rss.reduce((n, rs) => n + (rs.status?.replicas ?? 0), 0);
/** Sum of `status.readyReplicas`. */
export const readyReplicas = (rss: ReplicaSet[]): number => rss.reduce((n, rs) => n + (rs.status?.readyReplicas ?? 0), 0);

/**
 * Sum of `status.availableReplicas` (`GetAvailableReplicaCountForReplicaSets`), each capped at the
 * ReplicaSet's `spec.replicas`: a ReplicaSet just scaled down may still report the pods it is
 * deleting as available; counting them could let a rolling update scale down below
 * `replicas - maxUnavailable`.
 */
export const availableReplicas = (rss: ReplicaSet[]): number =>
  rss.reduce((n, rs) => n + Math.min(rs.status?.availableReplicas ?? 0, rs.spec?.replicas ?? 0), 0);

/** Kubernetes' `ResolveFenceposts`: maxSurge rounded up, maxUnavailable rounded down; both 0 makes maxUnavailable 1. */
export function resolveFenceposts(d: Deployment): { maxSurge: number; maxUnavailable: number } {
  const desired = replicasOf(d);
  const ru = d.spec?.strategy?.rollingUpdate;
  const maxSurge = scaledValue(ru?.maxSurge ?? '25%', desired, true);
  let maxUnavailable = scaledValue(ru?.maxUnavailable ?? '25%', desired, false);
  if (maxSurge === 0 && maxUnavailable === 0) maxUnavailable = 1;
  return { maxSurge, maxUnavailable };
}

export const isRollingUpdate = (d: Deployment): boolean => (d.spec?.strategy?.type ?? 'RollingUpdate') === 'RollingUpdate';

/** Kubernetes' `MaxUnavailable`: 0 for Recreate or 0 replicas; else the resolved value, at most `replicas`. */
export function maxUnavailable(d: Deployment): number {
  if (!isRollingUpdate(d) || replicasOf(d) === 0) return 0;
  return Math.min(resolveFenceposts(d).maxUnavailable, replicasOf(d));
}

/** Kubernetes' `MaxSurge`: 0 for Recreate. */
export function maxSurge(d: Deployment): number {
  return isRollingUpdate(d) ? resolveFenceposts(d).maxSurge : 0;
}

/** The ReplicaSet's revision annotation as a number (0 when absent or malformed). */
export function revisionOf(obj: { metadata: { annotations?: Record<string, string> } }): number {
  const v = Number(obj.metadata.annotations?.[ANNOTATIONS.revision] ?? '0');
  return Number.isInteger(v) && v > 0 ? v : 0;
}

/** Creation time, then name: Kubernetes' `ReplicaSetsByCreationTimestamp` (oldest first). */
export function byCreation(a: ReplicaSet, b: ReplicaSet): number {
  const ta = Date.parse(a.metadata.creationTimestamp ?? '') || 0;
  const tb = Date.parse(b.metadata.creationTimestamp ?? '') || 0;
  if (ta !== tb) return ta - tb;
  return (a.metadata.name ?? '') < (b.metadata.name ?? '') ? -1 : 1;
}

/** A copy of the template without the pod-template-hash label (and without an empty label map). */
function withoutHash(template: PodTemplateSpec | undefined): unknown {
  const copy = structuredClone(template ?? {}) as PodTemplateSpec;
  if (copy.metadata?.labels) {
    delete copy.metadata.labels[POD_TEMPLATE_HASH_LABEL];
    if (Object.keys(copy.metadata.labels).length === 0) delete copy.metadata.labels;
  }
  if (copy.metadata && Object.keys(copy.metadata).length === 0) delete copy.metadata;
  return copy;
}

/** Kubernetes' `EqualIgnoreHash`: the templates are semantically equal apart from the pod-template-hash label. */
export function equalIgnoreHash(a: PodTemplateSpec | undefined, b: PodTemplateSpec | undefined): boolean {
  return semanticJson(withoutHash(a)) === semanticJson(withoutHash(b));
}

/** Kubernetes' `FindNewReplicaSet`: the oldest ReplicaSet whose template equals the Deployment's (ignoring the hash). */
export function findNewReplicaSet(d: Deployment, rss: ReplicaSet[]): ReplicaSet | undefined {
  return [...rss].sort(byCreation).find((rs) => equalIgnoreHash(rs.spec?.template, d.spec?.template));
}

/** ReplicaSets with `spec.replicas > 0` (`FilterActiveReplicaSets`). */
export const activeReplicaSets = (rss: ReplicaSet[]): ReplicaSet[] => rss.filter((rs) => (rs.spec?.replicas ?? 0) > 0);

/** A deployment condition of `type`, if present. */
export const conditionOf = (d: { status?: { conditions?: DeploymentCondition[] } }, type: string): DeploymentCondition | undefined =>
  d.status?.conditions?.find((c) => c.type === type);

/** A new condition stamped now. */
export function newCondition(type: string, status: 'True' | 'False' | 'Unknown', reason: string, message: string, nowMs: number): DeploymentCondition {
  const t = rfc3339(nowMs);
  return { type, status, lastUpdateTime: t, lastTransitionTime: t, reason, message };
}

/**
 * Kubernetes' `SetDeploymentCondition`: replaces the condition of the same type, keeping its
 * `lastTransitionTime` when the status did not change; a condition with the same status and
 * reason is left as is.
 */
export function setCondition(conditions: DeploymentCondition[], cond: DeploymentCondition): DeploymentCondition[] {
  const current = conditions.find((c) => c.type === cond.type);
  if (current && current.status === cond.status && current.reason === cond.reason) return conditions;
  const next = current && current.status === cond.status ? { ...cond, lastTransitionTime: current.lastTransitionTime ?? cond.lastTransitionTime } : cond;
  return [...conditions.filter((c) => c.type !== cond.type), next];
}

/** Without the condition of `type`. */
export const removeCondition = (conditions: DeploymentCondition[], type: string): DeploymentCondition[] => conditions.filter((c) => c.type !== type);
