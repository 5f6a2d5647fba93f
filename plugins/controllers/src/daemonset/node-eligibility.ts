import { NODE_TAINTS, nodeSelectorTermMatches, podSpecMatchesNode, tolerated, type Node, type PodSpec, type Toleration } from '@skiff/core';

/**
 * The tolerations Kubernetes adds to every DaemonSet pod (`AddOrUpdateDaemonPodTolerations`):
 * not-ready and unreachable NoExecute forever, disk/memory/pid pressure and unschedulable
 * NoSchedule, and network-unavailable NoSchedule for host-network pods.
 */
export function daemonPodTolerations(spec: PodSpec | undefined): Toleration[] {
  const own = [...(spec?.tolerations ?? [])];
  const add: Toleration[] = [
    { key: NODE_TAINTS.notReady, operator: 'Exists', effect: 'NoExecute' },
    { key: NODE_TAINTS.unreachable, operator: 'Exists', effect: 'NoExecute' },
    { key: NODE_TAINTS.diskPressure, operator: 'Exists', effect: 'NoSchedule' },
    { key: NODE_TAINTS.memoryPressure, operator: 'Exists', effect: 'NoSchedule' },
    { key: NODE_TAINTS.pidPressure, operator: 'Exists', effect: 'NoSchedule' },
    { key: NODE_TAINTS.unschedulable, operator: 'Exists', effect: 'NoSchedule' },
  ];
  if (spec?.hostNetwork) add.push({ key: NODE_TAINTS.networkUnavailable, operator: 'Exists', effect: 'NoSchedule' });
  for (const t of add) {
    if (!own.some((o) => o.key === t.key && o.effect === t.effect)) own.push(t);
  }
  return own;
}

/** A node selector term matches the node (see `nodeSelectorTermMatches` in @skiff/core). */
export const termMatches = nodeSelectorTermMatches;

/** `spec.nodeSelector` and required node affinity (terms ORed) of a pod spec accept the node. */
export const nodeMatches = podSpecMatchesNode;

/**
 * Kubernetes' `NodeShouldRunDaemonPod`: `shouldRun` — a new daemon pod belongs on the node
 * (selector and affinity match, every NoSchedule and NoExecute taint tolerated);
 * `shouldContinueRunning` — an existing one may stay (selector and affinity match, every NoExecute
 * taint tolerated). A node being deleted runs nothing.
 */
export function nodeShouldRunDaemonPod(spec: PodSpec | undefined, node: Node): { shouldRun: boolean; shouldContinueRunning: boolean } {
  if (node.metadata.deletionTimestamp || !nodeMatches(spec, node)) return { shouldRun: false, shouldContinueRunning: false };
  const tolerations = daemonPodTolerations(spec);
  const taints = node.spec?.taints ?? [];
  const shouldContinueRunning = taints.every((t) => t.effect !== 'NoExecute' || tolerated(tolerations, t));
  const shouldRun = shouldContinueRunning && taints.every((t) => t.effect !== 'NoSchedule' || tolerated(tolerations, t));
  return { shouldRun, shouldContinueRunning };
}
