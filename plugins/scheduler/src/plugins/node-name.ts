import { Statuses, defineSchedulerPlugin } from '@skiff/sdk';

/** Kubernetes' reason when `spec.nodeName` names another node. */
export const ERR_REASON_NODE_NAME = "node(s) didn't match the requested node name";

/** PreFilter + Filter: a pod that already names a node (`spec.nodeName`) fits only that node. */
export const nodeName = defineSchedulerPlugin({
  name: 'NodeName',
  create: () => ({
    // Nothing to check for a pod that names no node: skip Filter for this cycle.
    preFilter: (_state, pod) => (pod.spec?.nodeName ? undefined : Statuses.skip()),
    filter(_state, pod, nodeInfo) {
      const wanted = pod.spec?.nodeName;
      if (wanted && wanted !== nodeInfo.name) return Statuses.unresolvable(ERR_REASON_NODE_NAME);
      return undefined;
    },
  }),
});
