import { createHash } from 'node:crypto';
import type { DaemonSet, Pod, PodTemplateSpec } from '@skiff/core';
import { daemonPodTolerations } from './node-eligibility.js';

/** The label holding the hash of the template a daemon pod was made from. */
export const REVISION_HASH_LABEL = 'controller-revision-hash';

/** JSON with object keys sorted, so equal templates hash equally. */
function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${stableJson((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

/** A short hash of a pod template (the DaemonSet's current revision). */
export function templateHash(template: PodTemplateSpec | undefined): string {
  return createHash('sha256').update(stableJson(template ?? {})).digest('hex').slice(0, 10);
}

/** The node a daemon pod is for: its `spec.nodeName`, or the `metadata.name` its required affinity pins. */
export function podNodeName(pod: Pod): string | undefined {
  if (pod.spec?.nodeName) return pod.spec.nodeName;
  for (const term of pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms ?? []) {
    for (const f of term.matchFields ?? []) if (f.key === 'metadata.name' && f.operator === 'In' && f.values?.length === 1) return f.values[0];
  }
  return undefined;
}

/** The name of the daemon pod for a node and revision: stable, so a repeated create is a harmless 409. */
export function daemonPodName(ds: DaemonSet, nodeName: string, hash: string): string {
  const suffix = createHash('sha256').update(`${nodeName}/${hash}`).digest('hex').slice(0, 5);
  return `${ds.metadata.name}-${suffix}`;
}

/**
 * The pod a DaemonSet runs on `nodeName`: its template, the revision hash label, a controller
 * ownerReference, the DaemonSet default tolerations, and required node affinity replaced by
 * `matchFields metadata.name In [node]` (Kubernetes' `ReplaceDaemonSetPodNodeNameNodeAffinity`),
 * so the default scheduler binds it to that node.
 */
export function daemonPod(ds: DaemonSet, nodeName: string, hash: string): Pod {
  const template = ds.spec?.template ?? {};
  const spec = structuredClone(template.spec ?? { containers: [] });
  spec.affinity = {
    ...(spec.affinity ?? {}),
    nodeAffinity: {
      ...(spec.affinity?.nodeAffinity ?? {}),
      requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: [nodeName] }] }] },
    },
  };
  spec.tolerations = daemonPodTolerations(template.spec);
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: daemonPodName(ds, nodeName, hash),
      namespace: ds.metadata.namespace!,
      labels: { ...(template.metadata?.labels ?? {}), [REVISION_HASH_LABEL]: hash },
      ...(template.metadata?.annotations ? { annotations: { ...template.metadata.annotations } } : {}),
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'DaemonSet', name: ds.metadata.name!, uid: ds.metadata.uid!, controller: true, blockOwnerDeletion: true }],
    },
    spec,
  } as Pod;
}
