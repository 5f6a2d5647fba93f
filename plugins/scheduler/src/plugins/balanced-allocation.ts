import { MAX_NODE_SCORE, defineSchedulerPlugin } from '@skiff/sdk';
import { scoringRequests } from './allocation.js';

/**
 * Score (Kubernetes' NodeResourcesBalancedAllocation): prefers nodes whose cpu and memory would be
 * used in similar proportions after placing the pod: `(1 - std) * 100` of the two fractions.
 */
export const nodeResourcesBalancedAllocation = defineSchedulerPlugin({
  name: 'NodeResourcesBalancedAllocation',
  create: () => ({
    score(state, pod, nodeInfo) {
      const r = scoringRequests(state, pod);
      const used = nodeInfo.nonZeroRequested;
      const alloc = nodeInfo.allocatable;
      const cpu = alloc.milliCPU > 0 ? Math.min(1, (used.milliCPU + r.milliCPU) / alloc.milliCPU) : 1;
      const mem = alloc.memory > 0 ? Math.min(1, (used.memory + r.memory) / alloc.memory) : 1;
      return Math.floor((1 - Math.abs(cpu - mem) / 2) * MAX_NODE_SCORE);
    },
  }),
});
