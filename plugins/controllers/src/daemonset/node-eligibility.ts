import type { Node, NodeSelectorRequirement, NodeSelectorTerm, PodSpec, Toleration } from '@skiff/core';
import { NODE_TAINTS, tolerated } from '../node-lifecycle/taints.js';

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

function requirementMatches(req: NodeSelectorRequirement, value: string | undefined): boolean {
  const values = req.values ?? [];
  switch (req.operator) {
    case 'In':
      return value !== undefined && values.includes(value);
    case 'NotIn':
      return value === undefined || !values.includes(value);
    case 'Exists':
      return value !== undefined;
    case 'DoesNotExist':
      return value === undefined;
    case 'Gt':
    case 'Lt': {
      if (value === undefined || values.length !== 1) return false;
      const have = Number.parseInt(value, 10);
      const want = Number.parseInt(values[0]!, 10);
      if (Number.isNaN(have) || Number.isNaN(want)) return false;
      return req.operator === 'Gt' ? have > want : have < want;
    }
    default:
      return false;
  }
}

/** A node selector term: every expression (labels) and field (`metadata.name`) matches; an empty term matches nothing. */
export function termMatches(term: NodeSelectorTerm, node: Node): boolean {
  const expressions = term.matchExpressions ?? [];
  const fields = term.matchFields ?? [];
  if (expressions.length === 0 && fields.length === 0) return false;
  const labels = node.metadata.labels ?? {};
  return (
    expressions.every((r) => requirementMatches(r, labels[r.key])) &&
    fields.every((r) => r.key === 'metadata.name' && requirementMatches(r, node.metadata.name))
  );
}

/** `spec.nodeSelector` and required node affinity (terms ORed) of a pod spec accept the node. */
export function nodeMatches(spec: PodSpec | undefined, node: Node): boolean {
  const labels = node.metadata.labels ?? {};
  for (const [k, v] of Object.entries(spec?.nodeSelector ?? {})) if (labels[k] !== v) return false;
  const terms = spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms;
  if (terms && !terms.some((t) => termMatches(t, node))) return false;
  return true;
}

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
