import type { Node, NodeSelectorRequirement, NodeSelectorTerm, Pod } from '@skiff/core';
import { MAX_NODE_SCORE, Statuses, defineSchedulerPlugin, stateKey } from '@skiff/sdk';

/** Kubernetes' reason when the node selector or required node affinity does not match. */
export const ERR_REASON_AFFINITY = "node(s) didn't match Pod's node affinity/selector";

function intOf(value: string | undefined): number | undefined {
  if (value === undefined || !/^-?\d+$/.test(value)) return undefined;
  return Number(value);
}

/** One requirement against a map (labels, or `{ 'metadata.name': name }` for matchFields). */
export function requirementMatches(req: NodeSelectorRequirement, values: Readonly<Record<string, string>>): boolean {
  const has = Object.prototype.hasOwnProperty.call(values, req.key);
  const value = has ? values[req.key] : undefined;
  const list = req.values ?? [];
  switch (req.operator) {
    case 'In':
      return has && list.includes(value!);
    case 'NotIn':
      return !has || !list.includes(value!);
    case 'Exists':
      return has;
    case 'DoesNotExist':
      return !has;
    case 'Gt':
    case 'Lt': {
      const actual = intOf(value);
      const bound = list.length === 1 ? intOf(list[0]) : undefined;
      if (actual === undefined || bound === undefined) return false;
      return req.operator === 'Gt' ? actual > bound : actual < bound;
    }
    default:
      return false;
  }
}

/** A node selector term: every requirement holds. An empty term matches nothing (as in Kubernetes). */
export function termMatches(term: NodeSelectorTerm, node: Node): boolean {
  const exprs = term.matchExpressions ?? [];
  const fields = term.matchFields ?? [];
  if (exprs.length === 0 && fields.length === 0) return false;
  const labels = node.metadata.labels ?? {};
  for (const req of exprs) if (!requirementMatches(req, labels)) return false;
  if (fields.length > 0) {
    const nodeFields = { 'metadata.name': node.metadata.name ?? '' };
    for (const req of fields) if (!requirementMatches(req, nodeFields)) return false;
  }
  return true;
}

/** True when the pod's `nodeSelector` and required node affinity (terms ORed) both match the node. */
export function podMatchesNodeSelectorAndAffinity(pod: Pod, node: Node): boolean {
  const selector = pod.spec?.nodeSelector;
  if (selector) {
    const labels = node.metadata.labels ?? {};
    for (const key in selector) if (labels[key] !== selector[key]) return false;
  }
  const required = pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
  if (required) return required.nodeSelectorTerms.some((t) => termMatches(t, node));
  return true;
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
