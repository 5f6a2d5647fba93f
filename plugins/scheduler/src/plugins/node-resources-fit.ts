import type { Resources } from '@skiff/sdk';
import { Statuses, defineSchedulerPlugin, stateKey } from '@skiff/sdk';
import { podRequests } from '../resources.js';

const REQUESTS = stateKey<Resources>('NodeResourcesFit/requests');

function isZero(r: Resources): boolean {
  if (r.milliCPU !== 0 || r.memory !== 0 || r.ephemeralStorage !== 0) return false;
  for (const name in r.scalar) if (r.scalar[name] !== 0) return false;
  return true;
}

/**
 * Filter: the pod's requests (Kubernetes' effective requests: containers, init containers and
 * sidecars, overhead) must fit in what the node has left: `status.allocatable` minus the requests
 * of the pods bound or assumed to it, for cpu, memory, ephemeral-storage and extended resources,
 * and one more pod must fit under `allocatable.pods`. Reasons: `Too many pods`,
 * `Insufficient cpu`, `Insufficient memory`, `Insufficient ephemeral-storage`,
 * `Insufficient <resource>` (all that apply).
 */
export const nodeResourcesFit = defineSchedulerPlugin({
  name: 'NodeResourcesFit',
  create: () => ({
    preFilter(state, pod) {
      state.write(REQUESTS, podRequests(pod));
      return undefined;
    },
    filter(state, pod, nodeInfo) {
      const req = state.read(REQUESTS) ?? podRequests(pod);
      const alloc = nodeInfo.allocatable;
      const used = nodeInfo.requested;
      let reasons: string[] | undefined;
      if (nodeInfo.pods.length + 1 > alloc.pods) (reasons ??= []).push('Too many pods');
      if (isZero(req)) return reasons ? Statuses.unschedulable(...reasons) : undefined;
      if (req.milliCPU > 0 && req.milliCPU > alloc.milliCPU - used.milliCPU) (reasons ??= []).push('Insufficient cpu');
      if (req.memory > 0 && req.memory > alloc.memory - used.memory) (reasons ??= []).push('Insufficient memory');
      if (req.ephemeralStorage > 0 && req.ephemeralStorage > alloc.ephemeralStorage - used.ephemeralStorage) (reasons ??= []).push('Insufficient ephemeral-storage');
      for (const name in req.scalar) {
        const want = req.scalar[name]!;
        if (want > 0 && want > (alloc.scalar[name] ?? 0) - (used.scalar[name] ?? 0)) (reasons ??= []).push(`Insufficient ${name}`);
      }
      return reasons ? Statuses.unschedulable(...reasons) : undefined;
    },
  }),
});
