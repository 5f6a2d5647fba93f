import { isApiError, type Deployment, type DeploymentStatus, type Pod, type ReconcileResult, type ReplicaSet } from '@skiff/core';
import type { ControllerContext } from '@skiff/sdk';
import { canonicalJson } from '../shared/hash.js';
import { CONTROLLER_UID_INDEX, isControlledBy } from '../shared/owners.js';
import { isPodActive } from '../shared/pods.js';
import { newReplicaSetAnnotations, newReplicaSetFor } from './replica-sets.js';
import { calculateStatus, deploymentComplete, deploymentProgressing, deploymentTimedOut, hasProgressDeadline, msUntilDeadline } from './status.js';
import { ANNOTATIONS, CONDITIONS, POD_REF, REASONS } from './types.js';
import {
  activeReplicaSets,
  availableReplicas,
  byCreation,
  conditionOf,
  equalIgnoreHash,
  findNewReplicaSet,
  isRollingUpdate,
  maxSurge,
  maxUnavailable,
  newCondition,
  removeCondition,
  replicasOf,
  revisionOf,
  setCondition,
  specReplicas,
} from './util.js';

/** Per-run state of the Deployment controller (none yet beyond what the caches hold). */
export type DeploymentState = void;
type Ctx = ControllerContext<void, DeploymentState>;

/**
 * One sync of one Deployment (Kubernetes' `DeploymentController.syncDeployment` and the
 * `rolling.go`, `recreate.go`, `sync.go` and `progress.go` it calls). It holds the freshest copy
 * of the Deployment and of each ReplicaSet it has written, so several writes in one sync never
 * conflict with each other; a write from a stale cache fails its compare-and-swap and the whole
 * sync retries.
 */
export class DeploymentSync {
  private readonly rss = new Map<string, ReplicaSet>();
  private readonly now = Date.now();

  constructor(
    private readonly ctx: Ctx,
    private d: Deployment,
    replicaSets: ReplicaSet[],
  ) {
    for (const rs of replicaSets) this.rss.set(rs.metadata.uid ?? '', rs);
  }

  private get all(): ReplicaSet[] {
    return [...this.rss.values()];
  }

  private olds(newRS: ReplicaSet | undefined): ReplicaSet[] {
    return this.all.filter((rs) => rs.metadata.uid !== newRS?.metadata.uid);
  }

  private get name(): string {
    return this.d.metadata.name ?? '';
  }

  private get namespace(): string {
    return this.d.metadata.namespace ?? '';
  }

  private rsClient() {
    return this.ctx.client.resource('apps/v1', 'ReplicaSet');
  }

  private deployments() {
    return this.ctx.client.resource('apps/v1', 'Deployment');
  }

  // ---- entry points ----

  /** Only status (the Deployment is being deleted). */
  async syncStatusOnly(): Promise<ReconcileResult> {
    const newRS = await this.getAllReplicaSetsAndSyncRevision(false);
    await this.writeStatus(calculateStatus(this.d, this.all, newRS, this.now));
  }

  /** Kubernetes' `checkPausedConditions`: Progressing Unknown with DeploymentPaused / DeploymentResumed. */
  async checkPausedConditions(): Promise<void> {
    if (!hasProgressDeadline(this.d)) return;
    const cond = conditionOf(this.d, CONDITIONS.progressing);
    if (cond?.reason === REASONS.timedOut) return;
    const pausedExists = cond?.reason === REASONS.paused;
    let next: ReturnType<typeof newCondition> | undefined;
    if (this.d.spec?.paused && !pausedExists) next = newCondition(CONDITIONS.progressing, 'Unknown', REASONS.paused, 'Deployment is paused', this.now);
    else if (!this.d.spec?.paused && pausedExists) next = newCondition(CONDITIONS.progressing, 'Unknown', REASONS.resumed, 'Deployment is resumed', this.now);
    if (!next) return;
    await this.writeStatus({ ...(this.d.status ?? {}), conditions: setCondition(this.d.status?.conditions ?? [], next) });
  }

  /** Kubernetes' `isScalingEvent`: an active ReplicaSet was sized for a different `replicas`. */
  async isScalingEvent(): Promise<boolean> {
    const newRS = await this.getAllReplicaSetsAndSyncRevision(false);
    const want = String(replicasOf(this.d));
    return activeReplicaSets([...this.olds(newRS), ...(newRS ? [newRS] : [])]).some((rs) => {
      const desired = rs.metadata.annotations?.[ANNOTATIONS.desiredReplicas];
      return desired !== undefined && desired !== want;
    });
  }

  /** Kubernetes' `sync`: scaling (and, while paused, history cleanup) without rolling out. */
  async sync(): Promise<ReconcileResult> {
    const newRS = await this.getAllReplicaSetsAndSyncRevision(false);
    await this.scale(newRS);
    if (this.d.spec?.paused) await this.cleanup(this.olds(newRS));
    await this.writeStatus(calculateStatus(this.d, this.all, this.current(newRS), this.now));
  }

  /** Kubernetes' `rolloutRolling`: one step of a rolling update, then status. */
  async rolloutRolling(): Promise<ReconcileResult> {
    let newRS = await this.getAllReplicaSetsAndSyncRevision(true);
    if (await this.reconcileNewReplicaSet(newRS)) return this.syncRolloutStatus(this.current(newRS));
    newRS = this.current(newRS);
    if (await this.reconcileOldReplicaSets(newRS)) return this.syncRolloutStatus(this.current(newRS));
    if (this.d.status && deploymentComplete(this.d, this.d.status)) await this.cleanup(this.olds(newRS));
    return this.syncRolloutStatus(this.current(newRS));
  }

  /** Kubernetes' `rolloutRecreate`: old ReplicaSets to 0, wait until their pods are gone, then the new one to `replicas`. */
  async rolloutRecreate(): Promise<ReconcileResult> {
    let newRS = await this.getAllReplicaSetsAndSyncRevision(false);
    let scaledDown = false;
    for (const rs of activeReplicaSets(this.olds(newRS))) {
      if (await this.scaleReplicaSet(rs, 0)) scaledDown = true;
    }
    if (scaledDown) return this.syncRolloutStatus(this.current(newRS));
    if (this.oldPodsRunning(newRS)) {
      const result = await this.syncRolloutStatus(this.current(newRS));
      // Pod deletions enqueue the Deployment; the requeue is only a safety net.
      return result && typeof result === 'object' && result.requeueAfterMs ? result : { requeueAfterMs: 1000 };
    }
    newRS ??= await this.getAllReplicaSetsAndSyncRevision(true);
    if (newRS) await this.scaleReplicaSet(newRS, replicasOf(this.d));
    if (this.d.status && deploymentComplete(this.d, this.d.status)) await this.cleanup(this.olds(this.current(newRS)));
    return this.syncRolloutStatus(this.current(newRS));
  }

  // ---- replica sets ----

  /** The freshest copy of `rs` this sync holds. */
  private current(rs: ReplicaSet | undefined): ReplicaSet | undefined {
    return rs ? (this.rss.get(rs.metadata.uid ?? '') ?? rs) : undefined;
  }

  /**
   * Kubernetes' `getAllReplicaSetsAndSyncRevision`/`getNewReplicaSet`: finds the ReplicaSet whose
   * template is the Deployment's, brings its annotations (revision = max old revision + 1) and
   * minReadySeconds up to date, or (with `create`) creates it, named `<deployment>-<hash>`;
   * a name taken by a ReplicaSet with another template bumps `status.collisionCount` and retries.
   */
  private async getAllReplicaSetsAndSyncRevision(create: boolean): Promise<ReplicaSet | undefined> {
    const existing = findNewReplicaSet(this.d, this.all);
    const olds = this.olds(existing);
    const newRevision = Math.max(0, ...olds.map(revisionOf)) + 1;
    if (existing) {
      const annotations = newReplicaSetAnnotations(this.d, existing, newRevision, true);
      const minReady = this.d.spec?.minReadySeconds ?? 0;
      let rs = existing;
      if (annotations || (existing.spec?.minReadySeconds ?? 0) !== minReady) {
        rs = await this.rsClient().update({ ...existing, metadata: { ...existing.metadata, annotations: annotations ?? existing.metadata.annotations ?? {} }, spec: { ...existing.spec!, minReadySeconds: minReady } });
        this.rss.set(rs.metadata.uid ?? '', rs);
      }
      await this.syncDeploymentRevision(rs);
      if (!conditionOf(this.d, CONDITIONS.progressing) && hasProgressDeadline(this.d)) {
        const cond = newCondition(CONDITIONS.progressing, 'True', REASONS.foundNewRS, `Found new replica set "${rs.metadata.name}"`, this.now);
        await this.writeStatus({ ...(this.d.status ?? {}), conditions: setCondition(this.d.status?.conditions ?? [], cond) });
      }
      return rs;
    }
    if (!create) return undefined;
    const replicas = this.newRSNewReplicas(undefined, olds);
    const desired = newReplicaSetFor(this.d, replicas, newRevision);
    let created: ReplicaSet;
    try {
      created = await this.rsClient().create(desired);
    } catch (err) {
      if (isApiError(err, 409)) {
        const taken = await this.rsClient().get(desired.metadata.name ?? '', { namespace: this.namespace });
        if (isControlledBy(taken, this.d) && equalIgnoreHash(taken.spec?.template, this.d.spec?.template)) {
          this.rss.set(taken.metadata.uid ?? '', taken);
          return taken;
        }
        // A hash collision: another template owns the name. Count it so the next hash differs.
        await this.writeStatus({ ...(this.d.status ?? {}), collisionCount: (this.d.status?.collisionCount ?? 0) + 1 });
        throw new Error(`replica set name ${desired.metadata.name} is taken by another template; collisionCount raised`);
      }
      const message = `Failed to create new replica set "${desired.metadata.name}": ${err instanceof Error ? err.message : String(err)}`;
      this.ctx.events.event(this.d, 'Warning', 'FailedCreate', message);
      if (hasProgressDeadline(this.d)) {
        const cond = newCondition(CONDITIONS.progressing, 'False', REASONS.failedRSCreate, message, this.now);
        await this.writeStatus({ ...(this.d.status ?? {}), conditions: setCondition(this.d.status?.conditions ?? [], cond) }).catch(() => undefined);
      }
      throw err;
    }
    this.rss.set(created.metadata.uid ?? '', created);
    if (replicas > 0) this.ctx.events.event(this.d, 'Normal', 'ScalingReplicaSet', `Scaled up replica set ${created.metadata.name} from 0 to ${replicas}`);
    await this.syncDeploymentRevision(created);
    if (hasProgressDeadline(this.d)) {
      const cond = newCondition(CONDITIONS.progressing, 'True', REASONS.newRSCreated, `Created new replica set "${created.metadata.name}"`, this.now);
      await this.writeStatus({ ...(this.d.status ?? {}), conditions: setCondition(this.d.status?.conditions ?? [], cond) });
    }
    return created;
  }

  /** Copies the new ReplicaSet's revision to the Deployment's revision annotation (what `kubectl rollout history` shows). */
  private async syncDeploymentRevision(newRS: ReplicaSet): Promise<void> {
    const revision = newRS.metadata.annotations?.[ANNOTATIONS.revision];
    if (!revision || this.d.metadata.annotations?.[ANNOTATIONS.revision] === revision) return;
    this.d = await this.deployments().patch(this.name, { metadata: { annotations: { [ANNOTATIONS.revision]: revision }, resourceVersion: this.d.metadata.resourceVersion } }, { namespace: this.namespace });
  }

  /**
   * How many pods a ReplicaSet accounts for: its `spec.replicas`, or more while its controller has
   * not yet deleted the surplus (pods of a just scaled-down ReplicaSet still running).
   */
  private podCount(rs: ReplicaSet | undefined): number {
    if (!rs) return 0;
    const active = this.ctx.cache<Pod>(POD_REF).byIndex(CONTROLLER_UID_INDEX, rs.metadata.uid ?? '').filter(isPodActive).length;
    return Math.max(rs.spec?.replicas ?? 0, active);
  }

  /**
   * Kubernetes' `NewRSNewReplicas`: how big the new ReplicaSet may be now (bounded by maxSurge for
   * RollingUpdate). Unlike Kubernetes, which sums `spec.replicas`, pods still running beyond their
   * ReplicaSet's spec count too, so the pods that exist never exceed `replicas + maxSurge`.
   */
  private newRSNewReplicas(newRS: ReplicaSet | undefined, others: ReplicaSet[]): number {
    const want = replicasOf(this.d);
    if (!isRollingUpdate(this.d)) return want;
    const newSize = newRS?.spec?.replicas ?? 0;
    const current = others.reduce((n, rs) => n + this.podCount(rs), 0) + Math.max(newSize, this.podCount(newRS));
    const maxTotal = want + maxSurge(this.d);
    if (current >= maxTotal) return newSize;
    return newSize + Math.max(0, Math.min(maxTotal - current, want - newSize));
  }

  /**
   * Sets `rs.spec.replicas` to `size` and its desired/max-replicas annotations (Kubernetes'
   * `scaleReplicaSetAndRecordEvent`), recording ScalingReplicaSet when the size changes. A
   * compare-and-swap update: a stale copy fails with 409. Resolves true when the size changed.
   */
  private async scaleReplicaSet(rs: ReplicaSet, size: number): Promise<boolean> {
    const from = rs.spec?.replicas ?? 0;
    const annotations = {
      ...(rs.metadata.annotations ?? {}),
      [ANNOTATIONS.desiredReplicas]: String(replicasOf(this.d)),
      [ANNOTATIONS.maxReplicas]: String(replicasOf(this.d) + maxSurge(this.d)),
    };
    const annotationsChanged = JSON.stringify(annotations) !== JSON.stringify(rs.metadata.annotations ?? {});
    if (from === size && !annotationsChanged) return false;
    const updated = await this.rsClient().update({ ...rs, metadata: { ...rs.metadata, annotations }, spec: { ...rs.spec!, replicas: size } });
    this.rss.set(updated.metadata.uid ?? '', updated);
    if (from !== size) {
      this.ctx.events.event(this.d, 'Normal', 'ScalingReplicaSet', `Scaled ${size > from ? 'up' : 'down'} replica set ${rs.metadata.name} from ${from} to ${size}`);
    }
    return from !== size;
  }

  /** Kubernetes' `reconcileNewReplicaSet`: grow (within maxSurge) or shrink the new ReplicaSet toward `replicas`. */
  private async reconcileNewReplicaSet(newRS: ReplicaSet | undefined): Promise<boolean> {
    if (!newRS) return false;
    const want = replicasOf(this.d);
    const size = newRS.spec?.replicas ?? 0;
    if (size === want) return false;
    if (size > want) return this.scaleReplicaSet(newRS, want);
    return this.scaleReplicaSet(newRS, this.newRSNewReplicas(newRS, this.olds(newRS)));
  }

  /**
   * Kubernetes' `reconcileOldReplicaSets`: scale old ReplicaSets down as far as
   * `replicas - maxUnavailable` available pods allow — first their unhealthy pods, then available
   * ones, oldest ReplicaSet first.
   */
  private async reconcileOldReplicaSets(newRS: ReplicaSet | undefined): Promise<boolean> {
    const olds = this.olds(newRS);
    if (specReplicas(olds) === 0) return false;
    const allPods = specReplicas(this.all);
    const minAvailable = replicasOf(this.d) - maxUnavailable(this.d);
    const newUnavailable = newRS ? Math.max(0, (newRS.spec?.replicas ?? 0) - (newRS.status?.availableReplicas ?? 0)) : 0;
    const maxScaledDown = allPods - minAvailable - newUnavailable;
    if (maxScaledDown <= 0) return false;
    // A ReplicaSet whose status lags its spec cannot tell how many of its pods are available: wait for it.
    if (this.all.some((rs) => (rs.status?.observedGeneration ?? 0) < (rs.metadata.generation ?? 0))) return false;

    let cleaned = 0;
    for (const rs of activeReplicaSets(olds).sort(byCreation)) {
      if (cleaned >= maxScaledDown) break;
      const size = rs.spec?.replicas ?? 0;
      const unhealthy = size - Math.min(size, rs.status?.availableReplicas ?? 0);
      if (unhealthy <= 0) continue;
      const count = Math.min(maxScaledDown - cleaned, unhealthy);
      await this.scaleReplicaSet(rs, size - count);
      cleaned += count;
    }

    const available = availableReplicas(this.all);
    let scaledDown = 0;
    if (available > minAvailable) {
      const total = available - minAvailable;
      for (const old of activeReplicaSets(this.olds(newRS)).sort(byCreation)) {
        if (scaledDown >= total) break;
        const rs = this.current(old)!;
        const size = rs.spec?.replicas ?? 0;
        if (size === 0) continue;
        const count = Math.min(size, total - scaledDown);
        await this.scaleReplicaSet(rs, size - count);
        scaledDown += count;
      }
    }
    return cleaned + scaledDown > 0;
  }

  /** Kubernetes' `oldPodsRunning`: an old ReplicaSet still reports pods, or one of its pods is not finished. */
  private oldPodsRunning(newRS: ReplicaSet | undefined): boolean {
    const olds = this.olds(newRS);
    if (olds.some((rs) => (rs.status?.replicas ?? 0) > 0)) return true;
    const pods = this.ctx.cache<Pod>(POD_REF);
    return olds.some((rs) =>
      pods.byIndex(CONTROLLER_UID_INDEX, rs.metadata.uid ?? '').some((p) => p.status?.phase !== 'Failed' && p.status?.phase !== 'Succeeded'),
    );
  }

  /**
   * Kubernetes' `scale`: a Deployment whose `replicas` changed resizes its only active (or latest)
   * ReplicaSet; with several active during a rolling update, the change is spread over them in
   * proportion to their size (bounded by maxSurge).
   */
  private async scale(newRS: ReplicaSet | undefined): Promise<void> {
    const want = replicasOf(this.d);
    const olds = this.olds(newRS);
    const active = activeReplicaSets([...olds, ...(newRS ? [newRS] : [])]);
    const target = active.length === 1 ? active[0] : active.length === 0 ? (newRS ?? [...olds].sort(byCreation).at(-1)) : undefined;
    if (target) {
      if ((target.spec?.replicas ?? 0) !== want) await this.scaleReplicaSet(target, want);
      return;
    }
    if (newRS && this.isSaturated(newRS)) {
      for (const rs of activeReplicaSets(olds)) await this.scaleReplicaSet(rs, 0);
      return;
    }
    if (!isRollingUpdate(this.d)) return;
    const total = specReplicas(active);
    const allowed = want > 0 ? want + maxSurge(this.d) : 0;
    const toAdd = allowed - total;
    if (toAdd === 0) return;
    // Largest first; ties: newer first when growing, older first when shrinking.
    const sorted = [...active].sort((a, b) => {
      const diff = (b.spec?.replicas ?? 0) - (a.spec?.replicas ?? 0);
      if (diff !== 0) return diff;
      return toAdd > 0 ? -byCreation(a, b) : byCreation(a, b);
    });
    const sizes = new Map<string, number>();
    let added = 0;
    for (const rs of sorted) {
      const proportion = this.proportion(rs, toAdd, added);
      sizes.set(rs.metadata.uid ?? '', (rs.spec?.replicas ?? 0) + proportion);
      added += proportion;
    }
    const first = sorted[0];
    if (first) {
      const uid = first.metadata.uid ?? '';
      sizes.set(uid, Math.max(0, (sizes.get(uid) ?? 0) + toAdd - added));
    }
    for (const rs of sorted) await this.scaleReplicaSet(this.current(rs)!, sizes.get(rs.metadata.uid ?? '') ?? 0);
  }

  /** Kubernetes' `getProportion` with `getReplicaSetFraction`. */
  private proportion(rs: ReplicaSet, toAdd: number, added: number): number {
    const size = rs.spec?.replicas ?? 0;
    if (size === 0 || toAdd === 0 || toAdd === added) return 0;
    const want = replicasOf(this.d);
    let fraction: number;
    if (want === 0) fraction = -size;
    else {
      const deploymentReplicas = want + maxSurge(this.d);
      const annotated = Number(rs.metadata.annotations?.[ANNOTATIONS.maxReplicas] ?? this.d.status?.replicas ?? 0);
      fraction = annotated > 0 ? Math.round((size * deploymentReplicas) / annotated) - size : 0;
    }
    const allowed = toAdd - added;
    return toAdd > 0 ? Math.min(fraction, allowed) : Math.max(fraction, allowed);
  }

  /** Kubernetes' `IsSaturated`: the new ReplicaSet has every replica, all available. */
  private isSaturated(rs: ReplicaSet): boolean {
    const want = replicasOf(this.d);
    return rs.metadata.annotations?.[ANNOTATIONS.desiredReplicas] === String(want) && rs.spec?.replicas === want && rs.status?.availableReplicas === want;
  }

  /** Kubernetes' `cleanupDeployment`: deletes the oldest idle old ReplicaSets beyond `revisionHistoryLimit`. */
  private async cleanup(olds: ReplicaSet[]): Promise<void> {
    const limit = this.d.spec?.revisionHistoryLimit;
    if (limit === undefined) return;
    const cleanable = olds.filter((rs) => !rs.metadata.deletionTimestamp);
    const diff = cleanable.length - limit;
    if (diff <= 0) return;
    cleanable.sort((a, b) => revisionOf(a) - revisionOf(b) || byCreation(a, b));
    for (const rs of cleanable.slice(0, diff)) {
      if ((rs.status?.replicas ?? 0) !== 0 || (rs.spec?.replicas ?? 0) !== 0 || (rs.metadata.generation ?? 0) > (rs.status?.observedGeneration ?? 0)) continue;
      try {
        await this.rsClient().delete(rs.metadata.name ?? '', { namespace: this.namespace, preconditions: { uid: rs.metadata.uid ?? '' } });
        this.rss.delete(rs.metadata.uid ?? '');
      } catch (err) {
        if (!isApiError(err, 404)) throw err;
      }
    }
  }

  // ---- status ----

  /** Kubernetes' `syncRolloutStatus`: status plus the Progressing condition, and a requeue for the progress deadline. */
  private async syncRolloutStatus(newRS: ReplicaSet | undefined): Promise<ReconcileResult> {
    const status = calculateStatus(this.d, this.all, newRS, this.now);
    let conditions = status.conditions ?? [];
    if (!hasProgressDeadline(this.d)) conditions = removeCondition(conditions, CONDITIONS.progressing);
    const current = conditionOf({ status: { conditions } }, CONDITIONS.progressing);
    const complete = status.replicas === status.updatedReplicas && current?.reason === REASONS.newRSAvailable;
    if (hasProgressDeadline(this.d) && !complete) {
      const rsName = newRS?.metadata.name;
      if (deploymentComplete(this.d, status)) {
        conditions = setCondition(conditions, newCondition(CONDITIONS.progressing, 'True', REASONS.newRSAvailable, rsName ? `ReplicaSet "${rsName}" has successfully progressed.` : 'Deployment has successfully progressed.', this.now));
      } else if (deploymentProgressing(this.d, status)) {
        const cond = newCondition(CONDITIONS.progressing, 'True', REASONS.rsUpdated, rsName ? `ReplicaSet "${rsName}" is progressing.` : 'Deployment is progressing.', this.now);
        if (current?.status === 'True' && current.lastTransitionTime) cond.lastTransitionTime = current.lastTransitionTime;
        conditions = [...removeCondition(conditions, CONDITIONS.progressing), cond];
      } else if (deploymentTimedOut(this.d, { ...status, conditions }, this.now)) {
        conditions = setCondition(conditions, newCondition(CONDITIONS.progressing, 'False', REASONS.timedOut, rsName ? `ReplicaSet "${rsName}" has timed out progressing.` : 'Deployment has timed out progressing.', this.now));
      }
    }
    const failure = this.all.map((rs) => rs.status?.conditions?.find((c) => c.type === CONDITIONS.replicaFailure && c.status === 'True')).find(Boolean);
    conditions = failure ? setCondition(conditions, { ...failure }) : removeCondition(conditions, CONDITIONS.replicaFailure);
    const next = { ...status, conditions };
    await this.writeStatus(next);
    const wait = msUntilDeadline(this.d, next, this.now);
    return wait !== undefined ? { requeueAfterMs: wait } : undefined;
  }

  /** Writes `status` through the status subresource unless unchanged (compare-and-swap on the freshest copy). */
  private async writeStatus(status: DeploymentStatus): Promise<void> {
    if (canonicalJson(status) === canonicalJson(this.d.status ?? {})) return;
    this.d = await this.deployments().updateStatus({ ...this.d, status });
  }
}
