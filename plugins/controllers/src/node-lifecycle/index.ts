/** The node lifecycle controller: unreachable nodes get Unknown conditions and NoExecute taints; their pods are evicted after their tolerations. */
export { nodeLifecycleController, NODE_LEASE_NAMESPACE, NODE_STATUS_UNKNOWN, type NodeLifecycleOptions, type NodeLifecycleState } from './node-lifecycle-controller.js';
export { NODE_TAINTS, toleratesTaint, tolerated, tolerationMs } from './taints.js';

/** The plugin name of the node lifecycle controller. */
export const NODE_LIFECYCLE_CONTROLLER = 'NodeLifecycle';
