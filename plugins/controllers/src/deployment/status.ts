import type { Deployment, DeploymentStatus, ReplicaSet } from '@skiff/core';
import { CONDITIONS, REASONS } from './types.js';
import { actualReplicas, conditionOf, maxUnavailable, newCondition, readyReplicas, replicasOf, setCondition } from './util.js';

const NO_DEADLINE = 2147483647;

/** True when `progressDeadlineSeconds` is set and not "never" (MaxInt32). */
export function hasProgressDeadline(d: Deployment): boolean {
  const s = d.spec?.progressDeadlineSeconds;
  return s !== undefined && s !== NO_DEADLINE;
}

/**
 * Kubernetes' `calculateStatus`: counts over every ReplicaSet, `updatedReplicas` from the new one,
 * and the Available condition (available ≥ replicas − maxUnavailable).
 */
export function calculateStatus(d: Deployment, all: ReplicaSet[], newRS: ReplicaSet | undefined, nowMs: number): DeploymentStatus {
  const available = all.reduce((n, rs) => n + (rs.status?.availableReplicas ?? 0), 0);
  const total = all.reduce((n, rs) => n + (rs.spec?.replicas ?? 0), 0);
  let conditions = [...(d.status?.conditions ?? [])];
  conditions =
    available >= replicasOf(d) - maxUnavailable(d)
      ? setCondition(conditions, newCondition(CONDITIONS.available, 'True', REASONS.minimumAvailable, 'Deployment has minimum availability.', nowMs))
      : setCondition(conditions, newCondition(CONDITIONS.available, 'False', REASONS.minimumUnavailable, 'Deployment does not have minimum availability.', nowMs));
  return {
    ...(d.metadata.generation !== undefined ? { observedGeneration: d.metadata.generation } : {}),
    replicas: actualReplicas(all),
    updatedReplicas: newRS ? actualReplicas([newRS]) : 0,
    readyReplicas: readyReplicas(all),
    availableReplicas: available,
    unavailableReplicas: Math.max(0, total - available),
    ...(d.status?.collisionCount !== undefined ? { collisionCount: d.status.collisionCount } : {}),
    conditions,
  };
}

/** Kubernetes' `DeploymentComplete`: every replica updated and available, and the latest generation observed. */
export function deploymentComplete(d: Deployment, s: DeploymentStatus): boolean {
  const want = replicasOf(d);
  return s.updatedReplicas === want && s.replicas === want && s.availableReplicas === want && (s.observedGeneration ?? 0) >= (d.metadata.generation ?? 0);
}

/** Kubernetes' `DeploymentProgressing`: more updated, ready or available pods, or fewer old ones, than the stored status says. */
export function deploymentProgressing(d: Deployment, s: DeploymentStatus): boolean {
  const old = d.status ?? {};
  const oldOld = (old.replicas ?? 0) - (old.updatedReplicas ?? 0);
  const newOld = (s.replicas ?? 0) - (s.updatedReplicas ?? 0);
  return (s.updatedReplicas ?? 0) > (old.updatedReplicas ?? 0) || newOld < oldOld || (s.readyReplicas ?? 0) > (old.readyReplicas ?? 0) || (s.availableReplicas ?? 0) > (old.availableReplicas ?? 0);
}

/** Kubernetes' `DeploymentTimedOut`: no progress reported for `progressDeadlineSeconds`. */
export function deploymentTimedOut(d: Deployment, s: DeploymentStatus, nowMs: number): boolean {
  if (!hasProgressDeadline(d)) return false;
  const cond = conditionOf({ status: s }, CONDITIONS.progressing);
  if (!cond) return false;
  if (cond.reason === REASONS.newRSAvailable) return false;
  if (cond.reason === REASONS.timedOut) return true;
  const from = Date.parse(cond.lastUpdateTime ?? '');
  return !Number.isNaN(from) && from + (d.spec?.progressDeadlineSeconds ?? 600) * 1000 < nowMs;
}

/** When to look again so a stalled rollout is marked ProgressDeadlineExceeded (Kubernetes' `requeueStuckDeployment`). */
export function msUntilDeadline(d: Deployment, s: DeploymentStatus, nowMs: number): number | undefined {
  if (!hasProgressDeadline(d)) return undefined;
  const cond = conditionOf({ status: s }, CONDITIONS.progressing);
  if (!cond || cond.status !== 'True' || cond.reason === REASONS.newRSAvailable || deploymentComplete(d, s)) return undefined;
  const from = Date.parse(cond.lastUpdateTime ?? '');
  if (Number.isNaN(from)) return undefined;
  return Math.max(0, from + (d.spec?.progressDeadlineSeconds ?? 600) * 1000 - nowMs) + 1000;
}
