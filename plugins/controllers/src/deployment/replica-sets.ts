import { isApiError, selectorFromLabelSelector, type Deployment, type ReplicaSet, type Selector } from '@skiff/core';
import type { Client } from '@skiff/sdk';
import { computeHash } from '../shared/hash.js';
import { controllerOf, controllerRef, isControlledBy } from '../shared/owners.js';
import { ANNOTATIONS, DEPLOYMENT_REF, POD_TEMPLATE_HASH_LABEL, REPLICA_SET_REF, SKIP_COPY_ANNOTATIONS } from './types.js';
import { maxSurge, replicasOf, revisionOf } from './util.js';

/**
 * Kubernetes' `getReplicaSetsForDeployment` (`ClaimReplicaSets`): of the Deployment's own
 * ReplicaSets and the orphans in its namespace, keep owned ones its selector matches, release owned
 * ones it no longer matches and adopt matching orphans (after re-reading the Deployment, so a
 * deleted one never adopts). Writes are merge patches carrying the resourceVersion.
 */
export async function claimReplicaSets(client: Client, d: Deployment, selector: Selector, candidates: ReplicaSet[]): Promise<ReplicaSet[]> {
  const rsClient = client.resource('apps/v1', 'ReplicaSet');
  const ns = d.metadata.namespace ?? '';
  let adoptable: Promise<boolean> | undefined;
  const canAdopt = () =>
    (adoptable ??= client
      .resource('apps/v1', 'Deployment')
      .get(d.metadata.name ?? '', { namespace: ns })
      .then((fresh) => fresh.metadata.uid === d.metadata.uid && !fresh.metadata.deletionTimestamp)
      .catch(() => false));
  const claimed: ReplicaSet[] = [];
  await Promise.all(
    candidates.map(async (rs) => {
      const matches = selector.matches(rs.metadata.labels ?? {});
      if (isControlledBy(rs, d)) {
        if (matches) claimed.push(rs);
        else if (!d.metadata.deletionTimestamp) {
          const refs = (rs.metadata.ownerReferences ?? []).filter((r) => r.uid !== d.metadata.uid);
          await rsClient.patch(rs.metadata.name ?? '', { metadata: { ownerReferences: refs, resourceVersion: rs.metadata.resourceVersion } }, { namespace: ns }).catch(ignore404);
        }
        return;
      }
      if (controllerOf(rs) || !matches || d.metadata.deletionTimestamp || rs.metadata.deletionTimestamp || !(await canAdopt())) return;
      const refs = [...(rs.metadata.ownerReferences ?? []), controllerRef(d, DEPLOYMENT_REF)];
      const adopted = await rsClient.patch(rs.metadata.name ?? '', { metadata: { ownerReferences: refs, resourceVersion: rs.metadata.resourceVersion } }, { namespace: ns }).catch(ignore404);
      if (adopted) claimed.push(adopted);
    }),
  );
  return claimed;
}

function ignore404(err: unknown): undefined {
  if (isApiError(err, 404)) return undefined;
  throw err;
}

/** The Deployment's selector, or undefined when invalid or empty. */
export function deploymentSelector(d: Deployment): Selector | undefined {
  try {
    const sel = selectorFromLabelSelector(d.spec?.selector);
    return sel.empty() ? undefined : sel;
  } catch {
    return undefined;
  }
}

/** Kubernetes' pod-template hash of the Deployment's template (with its collision count). */
export function podTemplateHash(d: Deployment): string {
  return computeHash(d.spec?.template ?? {}, d.status?.collisionCount);
}

/**
 * Kubernetes' `SetNewReplicaSetAnnotations` plus `SetReplicasAnnotations`: the ReplicaSet's
 * annotations with the Deployment's copied over, its revision raised to `newRevision` (the old one
 * appended to `revision-history`), and, for a ReplicaSet about to be created, desired/max replicas.
 * Returns undefined when nothing changes.
 */
export function newReplicaSetAnnotations(d: Deployment, rs: ReplicaSet, newRevision: number, exists: boolean): Record<string, string> | undefined {
  const current = rs.metadata.annotations ?? {};
  const next: Record<string, string> = { ...current };
  for (const [k, v] of Object.entries(d.metadata.annotations ?? {})) if (!SKIP_COPY_ANNOTATIONS.has(k)) next[k] = v;
  const oldRevision = revisionOf(rs);
  if (oldRevision < newRevision) {
    next[ANNOTATIONS.revision] = String(newRevision);
    if (oldRevision > 0) {
      const history = current[ANNOTATIONS.revisionHistory];
      next[ANNOTATIONS.revisionHistory] = history ? `${history},${oldRevision}` : String(oldRevision);
    }
  }
  if (!exists) {
    next[ANNOTATIONS.desiredReplicas] = String(replicasOf(d));
    next[ANNOTATIONS.maxReplicas] = String(replicasOf(d) + maxSurge(d));
  }
  return JSON.stringify(next) === JSON.stringify(current) ? undefined : next;
}

/** The new ReplicaSet for the Deployment's current template, before it is created (Kubernetes' `getNewReplicaSet`, create branch). */
export function newReplicaSetFor(d: Deployment, replicas: number, revision: number): ReplicaSet {
  const hash = podTemplateHash(d);
  const template = structuredClone(d.spec!.template);
  template.metadata = { ...(template.metadata ?? {}), labels: { ...(template.metadata?.labels ?? {}), [POD_TEMPLATE_HASH_LABEL]: hash } };
  const selector = structuredClone(d.spec!.selector);
  selector.matchLabels = { ...(selector.matchLabels ?? {}), [POD_TEMPLATE_HASH_LABEL]: hash };
  const rs: ReplicaSet = {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: {
      name: `${d.metadata.name}-${hash}`,
      namespace: d.metadata.namespace ?? '',
      labels: { ...(template.metadata.labels ?? {}) },
      ownerReferences: [controllerRef(d, DEPLOYMENT_REF)],
    },
    spec: { replicas, minReadySeconds: d.spec?.minReadySeconds ?? 0, selector, template },
  };
  rs.metadata.annotations = newReplicaSetAnnotations(d, rs, revision, false) ?? {};
  return rs;
}

export { REPLICA_SET_REF };
