import type { Job, Pod } from '@skiff/core';

/** The pod a Job runs: its template (with the job labels defaulting put there), a generated name and a controller ownerReference. */
export function jobPod(job: Job): Pod {
  const template = job.spec?.template ?? {};
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      generateName: `${job.metadata.name}-`,
      namespace: job.metadata.namespace!,
      labels: { ...(template.metadata?.labels ?? {}) },
      ...(template.metadata?.annotations ? { annotations: { ...template.metadata.annotations } } : {}),
      ownerReferences: [{ apiVersion: 'batch/v1', kind: 'Job', name: job.metadata.name!, uid: job.metadata.uid!, controller: true, blockOwnerDeletion: true }],
    },
    spec: structuredClone(template.spec ?? { containers: [] }),
  } as Pod;
}

/** When a finished pod finished: the latest container `finishedAt`, else its last condition change, else its creation. */
export function finishedAtMs(pod: Pod): number {
  let latest = 0;
  for (const c of [...(pod.status?.containerStatuses ?? []), ...(pod.status?.initContainerStatuses ?? [])]) {
    const at = c.state?.terminated?.finishedAt;
    if (at) latest = Math.max(latest, Date.parse(at) || 0);
  }
  if (latest > 0) return latest;
  for (const c of pod.status?.conditions ?? []) if (c.lastTransitionTime) latest = Math.max(latest, Date.parse(c.lastTransitionTime) || 0);
  return latest || Date.parse(pod.metadata.creationTimestamp ?? '') || 0;
}

/** Kubernetes' pod-recreation backoff: `initialMs` doubling per failure, capped at `maxMs`; 0 before any failure. */
export function backoffDelayMs(failures: number, initialMs: number, maxMs: number): number {
  if (failures <= 0) return 0;
  return Math.min(maxMs, initialMs * 2 ** Math.min(failures - 1, 30));
}
