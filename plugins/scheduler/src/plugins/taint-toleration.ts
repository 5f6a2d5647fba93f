import { MAX_NODE_SCORE, Statuses, defineSchedulerPlugin, stateKey } from '@skiff/sdk';
import { tolerated } from './tolerations.js';

const PREFER_TOLERATIONS = stateKey<import('@skiff/core').Toleration[]>('TaintToleration/preferNoSchedule');

/**
 * Filter: a node with a `NoSchedule` or `NoExecute` taint the pod does not tolerate does not fit
 * (`node(s) had untolerated taint {key: value}`). Score: fewer untolerated `PreferNoSchedule`
 * taints score higher (normalized so the node with the most scores 0).
 */
export const taintToleration = defineSchedulerPlugin({
  name: 'TaintToleration',
  create: () => ({
    filter(_state, pod, nodeInfo) {
      const taints = nodeInfo.node.spec?.taints;
      if (!taints) return undefined;
      for (const taint of taints) {
        if (taint.effect !== 'NoSchedule' && taint.effect !== 'NoExecute') continue;
        if (!tolerated(pod.spec?.tolerations, taint)) return Statuses.unresolvable(`node(s) had untolerated taint {${taint.key}: ${taint.value ?? ''}}`);
      }
      return undefined;
    },
    preScore(state, pod, nodes) {
      // No feasible node has a PreferNoSchedule taint: every node would score the same, so skip.
      if (!nodes.some((n) => n.node.spec?.taints?.some((t) => t.effect === 'PreferNoSchedule'))) return Statuses.skip();
      state.write(PREFER_TOLERATIONS, (pod.spec?.tolerations ?? []).filter((t) => !t.effect || t.effect === 'PreferNoSchedule'));
      return undefined;
    },
    score(state, _pod, nodeInfo) {
      const tolerations = state.read(PREFER_TOLERATIONS) ?? [];
      let count = 0;
      for (const taint of nodeInfo.node.spec?.taints ?? []) if (taint.effect === 'PreferNoSchedule' && !tolerated(tolerations, taint)) count++;
      return count;
    },
    normalizeScore(_state, _pod, scores) {
      let max = 0;
      for (const s of scores) max = Math.max(max, s.score);
      for (const s of scores) s.score = max === 0 ? MAX_NODE_SCORE : MAX_NODE_SCORE - Math.floor((s.score * MAX_NODE_SCORE) / max);
      return undefined;
    },
  }),
});
