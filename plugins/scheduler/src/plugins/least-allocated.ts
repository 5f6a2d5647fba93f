import { MAX_NODE_SCORE, defineSchedulerPlugin } from '@skiff/sdk';
import { usage } from './allocation.js';

function leastRequested(requested: number, allocatable: number): number {
  if (allocatable === 0 || requested > allocatable) return 0;
  return Math.floor(((allocatable - requested) * MAX_NODE_SCORE) / allocatable);
}

/**
 * Score (Kubernetes' NodeResourcesFit `LeastAllocated` strategy): prefers nodes with more cpu and
 * memory left after placing the pod, cpu and memory weighted equally; requests of 0 count as
 * 100m cpu / 200Mi memory.
 */
export const nodeResourcesLeastAllocated = defineSchedulerPlugin({
  name: 'NodeResourcesLeastAllocated',
  create: () => ({
    score(state, pod, nodeInfo) {
      const u = usage(state, pod, nodeInfo);
      return Math.floor((leastRequested(u.cpu, u.cpuAlloc) + leastRequested(u.mem, u.memAlloc)) / 2);
    },
  }),
});
