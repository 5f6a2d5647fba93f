import { nodeSelectorRequirementMatches, nodeSelectorTermMatches, podSpecMatchesNode, type Node, type Pod } from '@skiff/core';
import { MAX_NODE_SCORE, Statuses, defineSchedulerPlugin, stateKey } from '@skiff/sdk';

/** Kubernetes' reason when the node selector or required node affinity does not match. */
export const ERR_REASON_AFFINITY = "node(s) didn't match Pod's node affinity/selector";

/** The shared matchers, under the names this package exported before they moved to core. */
export const requirementMatches = nodeSelectorRequirementMatches;
export const termMatches = nodeSelectorTermMatches;

/** True when the pod's `nodeSelector` and required node affinity (terms ORed) both match the node. */
export function podMatchesNodeSelectorAndAffinity(pod: Pod, node: Node): boolean {
  return podSpecMatchesNode(pod.spec, node);
}

const HAS_REQUIRED = stateKey<boolean>('NodeAffinity/hasRequired');

/**
 * NodeSelector and NodeAffinity, as Kubernetes' NodeAffinity plugin does both. Filter: the pod's
 * `spec.nodeSelector` and `requiredDuringSchedulingIgnoredDuringExecution` must match the node's
 * labels (operators In, NotIn, Exists, DoesNotExist, Gt, Lt; `matchFields` on `metadata.name`).
 * Score: the sum of the weights of the `preferredDuringScheduling…` terms that match, normalized
 * so the best node scores 100.
 */
export const nodeAffinity = defineSchedulerPlugin({
  name: 'NodeAffinity',
  create: () => ({
    preFilter(state, pod) {
      const has = !!pod.spec?.nodeSelector || !!pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
      if (!has) return Statuses.skip();
      const required = pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
      if (required && required.nodeSelectorTerms.length === 0) return Statuses.unresolvable(ERR_REASON_AFFINITY);
      state.write(HAS_REQUIRED, true);
      return undefined;
    },
    filter(_state, pod, nodeInfo) {
      return podMatchesNodeSelectorAndAffinity(pod, nodeInfo.node) ? undefined : Statuses.unresolvable(ERR_REASON_AFFINITY);
    },
    preScore(_state, pod) {
      return pod.spec?.affinity?.nodeAffinity?.preferredDuringSchedulingIgnoredDuringExecution?.length ? undefined : Statuses.skip();
    },
    score(_state, pod, nodeInfo) {
      let sum = 0;
      for (const term of pod.spec?.affinity?.nodeAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? []) {
        if (term.weight !== 0 && termMatches(term.preference, nodeInfo.node)) sum += term.weight;
      }
      return sum;
    },
    normalizeScore(_state, _pod, scores) {
      let max = 0;
      for (const s of scores) max = Math.max(max, s.score);
      if (max > 0) for (const s of scores) s.score = Math.floor((s.score * MAX_NODE_SCORE) / max);
      return undefined;
    },
  }),
});
