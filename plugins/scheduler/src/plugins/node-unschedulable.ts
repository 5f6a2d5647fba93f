import { Statuses, defineSchedulerPlugin } from '@skiff/sdk';
import { tolerated } from './tolerations.js';

/** Kubernetes' reason for a cordoned node. */
export const ERR_REASON_UNSCHEDULABLE = 'node(s) were unschedulable';

const UNSCHEDULABLE_TAINT = { key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' } as const;

/** Filter: no pods on a node with `spec.unschedulable` (cordoned), unless the pod tolerates `node.kubernetes.io/unschedulable:NoSchedule`. */
export const nodeUnschedulable = defineSchedulerPlugin({
  name: 'NodeUnschedulable',
  create: () => ({
    filter(_state, pod, nodeInfo) {
      if (!nodeInfo.node.spec?.unschedulable) return undefined;
      if (tolerated(pod.spec?.tolerations, UNSCHEDULABLE_TAINT)) return undefined;
      return Statuses.unresolvable(ERR_REASON_UNSCHEDULABLE);
    },
  }),
});
