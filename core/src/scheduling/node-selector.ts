import type { Node, NodeSelectorRequirement, NodeSelectorTerm, PodSpec } from '../generated/index.js';

function intOf(value: string | undefined): number | undefined {
  if (value === undefined || !/^-?\d+$/.test(value)) return undefined;
  return Number(value);
}

/**
 * One node selector requirement against a map (a node's labels, or `{ 'metadata.name': name }`
 * for `matchFields`): operators In, NotIn, Exists, DoesNotExist, and Gt/Lt on integers.
 */
export function nodeSelectorRequirementMatches(req: NodeSelectorRequirement, values: Readonly<Record<string, string>>): boolean {
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

/** A node selector term: every expression (labels) and field (`metadata.name`) holds. An empty term matches nothing, as in Kubernetes. */
export function nodeSelectorTermMatches(term: NodeSelectorTerm, node: Node): boolean {
  const exprs = term.matchExpressions ?? [];
  const fields = term.matchFields ?? [];
  if (exprs.length === 0 && fields.length === 0) return false;
  const labels = node.metadata.labels ?? {};
  for (const req of exprs) if (!nodeSelectorRequirementMatches(req, labels)) return false;
  if (fields.length > 0) {
    const nodeFields = { 'metadata.name': node.metadata.name ?? '' };
    for (const req of fields) if (!nodeSelectorRequirementMatches(req, nodeFields)) return false;
  }
  return true;
}

/** True when a pod spec's `nodeSelector` and required node affinity (terms ORed) both accept the node. */
export function podSpecMatchesNode(spec: PodSpec | undefined, node: Node): boolean {
  const selector = spec?.nodeSelector;
  if (selector) {
    const labels = node.metadata.labels ?? {};
    for (const key in selector) if (labels[key] !== selector[key]) return false;
  }
  const required = spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
  if (required) return required.nodeSelectorTerms.some((t) => nodeSelectorTermMatches(t, node));
  return true;
}
