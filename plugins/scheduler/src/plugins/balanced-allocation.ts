import { MAX_NODE_SCORE, defineSchedulerPlugin } from '@skiff/sdk';
import { usage } from './allocation.js';

/**
 * Score (Kubernetes' NodeResourcesBalancedAllocation): prefers nodes whose cpu and memory would be
 * used in similar proportions after placing the pod: `(1 - std) * 100` of the two fractions.
 */
export const nodeResourcesBalancedAllocation = defineSchedulerPlugin({
  name: 'NodeResourcesBalancedAllocation',
  create: () => ({
    score(state, pod, nodeInfo) {
      const u = usage(state, pod, nodeInfo);
      const cpu = u.cpuAlloc > 0 ? Math.min(1, u.cpu / u.cpuAlloc) : 1;
      const mem = u.memAlloc > 0 ? Math.min(1, u.mem / u.memAlloc) : 1;
      const std = Math.abs(cpu - mem) / 2;
      return Math.floor((1 - std) * MAX_NODE_SCORE);
    },
  }),
});
