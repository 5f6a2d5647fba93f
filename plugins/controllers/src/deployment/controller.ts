import { NAMESPACE_INDEX, TerminalError, requestForObject, requestKey, type Deployment, type ObjectBase, type Pod, type ReconcileResult, type ReplicaSet, type Request } from '@skiff/core';
import { defineController, type ControllerContext, type ControllerFactory } from '@skiff/sdk';
import { CONTROLLER_UID_INDEX, ORPHAN_INDEX, controllerOf, ownerIndexers } from '../shared/owners.js';
import { claimReplicaSets, deploymentSelector } from './replica-sets.js';
import { DeploymentSync, type DeploymentState } from './sync.js';
import { DEPLOYMENT_REF, POD_REF, REPLICA_SET_REF } from './types.js';

/** How many Deployments sync at once (Kubernetes' `--concurrent-deployment-syncs`). */
export const DEPLOYMENT_WORKERS = 5;

/** The Deployment controlling `rs`, as a request, if any. */
function deploymentOf(rs: ObjectBase): Request[] {
  const ref = controllerOf(rs);
  return ref && ref.kind === 'Deployment' ? [{ name: ref.name, namespace: rs.metadata.namespace ?? '' }] : [];
}

/**
 * The Deployment controller (Kubernetes' `DeploymentController`): one ReplicaSet per pod template
 * (named `<deployment>-<pod-template-hash>`), rolled out with RollingUpdate (maxSurge /
 * maxUnavailable) or Recreate, with revisions, history cleanup, rollback by template, pause, and the
 * Progressing / Available conditions.
 */
export const deploymentController: ControllerFactory<void, DeploymentState> = defineController<void, DeploymentState>({
  name: 'Deployment',
  component: 'deployment-controller',
  for: DEPLOYMENT_REF,
  owns: [REPLICA_SET_REF],
  maxConcurrentReconciles: DEPLOYMENT_WORKERS,
  watches: [
    {
      // Recreate waits for old pods to finish: a pod going away enqueues its Deployment.
      ...POD_REF,
      map(obj, { cache }) {
        const pod = obj as Pod;
        if (!pod.metadata.deletionTimestamp && pod.status?.phase !== 'Failed' && pod.status?.phase !== 'Succeeded') return [];
        const ref = controllerOf(pod);
        if (!ref || ref.kind !== 'ReplicaSet') return [];
        const rs = cache<ReplicaSet>(REPLICA_SET_REF).get(`${pod.metadata.namespace}/${ref.name}`);
        return rs ? deploymentOf(rs) : [];
      },
    },
  ],
  setup(ctx) {
    ctx.addIndexers<ReplicaSet>(REPLICA_SET_REF, ownerIndexers);
    ctx.addIndexers<Pod>(POD_REF, ownerIndexers);
    // An orphaned ReplicaSet (or one whose labels changed) enqueues every Deployment that selects it (adoption).
    const enqueueSelecting = (rs: ReplicaSet) => {
      if (controllerOf(rs)) return;
      for (const d of ctx.cache<Deployment>(DEPLOYMENT_REF).byIndex(NAMESPACE_INDEX, rs.metadata.namespace ?? '')) {
        if (deploymentSelector(d)?.matches(rs.metadata.labels ?? {})) ctx.enqueue(requestForObject(d));
      }
    };
    ctx.on<ReplicaSet>(REPLICA_SET_REF, { add: enqueueSelecting, update: (_old, rs) => enqueueSelecting(rs) });
  },
  reconcile: (ctx, req) => syncDeployment(ctx, req),
});

async function syncDeployment(ctx: ControllerContext<void, DeploymentState>, req: Request): Promise<ReconcileResult> {
  const key = requestKey(req);
  const d = ctx.cache<Deployment>(DEPLOYMENT_REF).get(key);
  if (!d) return;
  const selector = deploymentSelector(d);
  if (!selector) throw new TerminalError(`Deployment ${key} has an invalid or empty selector`, { details: { key } });
  const rsCache = ctx.cache<ReplicaSet>(REPLICA_SET_REF);
  const candidates = [...rsCache.byIndex(CONTROLLER_UID_INDEX, d.metadata.uid ?? ''), ...rsCache.byIndex(ORPHAN_INDEX, d.metadata.namespace ?? '')];
  const rsList = await claimReplicaSets(ctx.client, d, selector, candidates);
  const sync = new DeploymentSync(ctx, d, rsList);
  if (d.metadata.deletionTimestamp) return sync.syncStatusOnly();
  await sync.checkPausedConditions();
  if (d.spec?.paused) return sync.sync();
  if (await sync.isScalingEvent()) return sync.sync();
  return (d.spec?.strategy?.type ?? 'RollingUpdate') === 'Recreate' ? sync.rolloutRecreate() : sync.rolloutRolling();
}

