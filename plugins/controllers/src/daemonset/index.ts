/** The DaemonSet controller: one pod per eligible node, rolling updates, status. */
export { daemonSetController, type DaemonSetControllerOptions, type DaemonSetState } from './daemonset-controller.js';
export { daemonPod, daemonPodName, podNodeName, REVISION_HASH_LABEL, templateHash } from './daemon-pod.js';
export { daemonPodTolerations, nodeMatches, nodeShouldRunDaemonPod, termMatches } from './node-eligibility.js';

/** The plugin name of the DaemonSet controller. */
export const DAEMONSET_CONTROLLER = 'DaemonSet';
