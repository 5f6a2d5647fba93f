import { SkiffError } from '../errors.js';
import { everything, newRequirement, nothing, selectorOf, type Requirement, type Selector, type SelectorOperator } from './selector.js';

/** One `matchExpressions` entry of a Kubernetes `metav1.LabelSelector`. */
export interface LabelSelectorRequirementLike {
  key: string;
  operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';
  values?: string[];
}

/** The shape of a Kubernetes `metav1.LabelSelector` (as found in Deployment, ReplicaSet, Job… specs). */
export interface LabelSelectorLike {
  matchLabels?: Record<string, string>;
  matchExpressions?: LabelSelectorRequirementLike[];
}

const EXPRESSION_OPERATORS: ReadonlyMap<string, SelectorOperator> = new Map<string, SelectorOperator>([
  ['In', 'in'],
  ['NotIn', 'notin'],
  ['Exists', 'exists'],
  ['DoesNotExist', '!'],
]);

/**
 * Kubernetes' `metav1.LabelSelectorAsSelector`: null or undefined gives {@link nothing} (matches no
 * object); a selector with no matchLabels and no matchExpressions gives {@link everything}.
 * Otherwise each `matchLabels` entry becomes `key=value` and each expression `key in (…)`,
 * `key notin (…)`, `key` or `!key`, in one {@link Selector} (same `toString` as parsed selectors).
 *
 * Throws `SKIFF_ERR_SELECTOR_INVALID_KEY` for an invalid key, `SKIFF_ERR_SELECTOR_INVALID_VALUE`
 * for an invalid value, for In/NotIn without values and for Exists/DoesNotExist with values, and
 * `SKIFF_ERR_SELECTOR_SYNTAX` for an unknown operator. `details.path` names the offending field,
 * e.g. `matchExpressions[1].values` or `matchLabels["app"].values[0]`.
 */
export function selectorFromLabelSelector(ls: LabelSelectorLike | null | undefined): Selector {
  if (ls === null || ls === undefined) return nothing();
  const labels = Object.entries(ls.matchLabels ?? {});
  const expressions = ls.matchExpressions ?? [];
  if (labels.length + expressions.length === 0) return everything();
  const requirements: Requirement[] = labels.map(([key, value]) =>
    newRequirement(key, '=', [value], `matchLabels[${JSON.stringify(key)}]`),
  );
  expressions.forEach((expr, i) => {
    const path = `matchExpressions[${i}]`;
    const operator = EXPRESSION_OPERATORS.get(expr.operator);
    if (operator === undefined) {
      throw new SkiffError('SKIFF_ERR_SELECTOR_SYNTAX', `${path}.operator: "${String(expr.operator)}" is not a valid label selector operator (In, NotIn, Exists, DoesNotExist)`, {
        key: expr.key,
        operator: expr.operator,
        path: `${path}.operator`,
      });
    }
    requirements.push(newRequirement(expr.key, operator, expr.values ?? [], path));
  });
  return selectorOf(requirements);
}

/**
 * A selector requiring `key=value` for every entry (Kubernetes' `SelectorFromSet`, used by
 * ReplicationControllers and Services). An empty, null or undefined set gives {@link everything}.
 * Unlike Kubernetes' unvalidated `SelectorFromSet`, keys and values are validated (as
 * `ValidatedSelectorFromSet` does): throws `SKIFF_ERR_SELECTOR_INVALID_KEY` or
 * `SKIFF_ERR_SELECTOR_INVALID_VALUE` with `details.path` like `["app"].values[0]`.
 */
export function selectorFromSet(labels: Readonly<Record<string, string>> | null | undefined): Selector {
  const entries = Object.entries(labels ?? {});
  return selectorOf(entries.map(([key, value]) => newRequirement(key, '=', [value], `[${JSON.stringify(key)}]`)));
}
