import { MAX_NODE_SCORE, defineSchedulerPlugin } from '@skiff/sdk';
import { scoringRequests } from './allocation.js';

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
      const r = scoringRequests(state, pod);
      const used = nodeInfo.nonZeroRequested;
      const alloc = nodeInfo.allocatable;
      return Math.floor((leastRequested(used.milliCPU + r.milliCPU, alloc.milliCPU) + leastRequested(used.memory + r.memory, alloc.memory)) / 2);
    },
  }),
});
