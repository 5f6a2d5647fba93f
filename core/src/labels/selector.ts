import { SkiffError, type ErrorCode } from '../errors.js';
import { parseInt64, validateLabelKey, validateLabelValue } from './validation.js';

/**
 * A label selector operator, spelled like Kubernetes' `selection.Operator`: `exists` is a bare key,
 * `!` is `!key` (does not exist), `gt`/`lt` are written `>`/`<` (or `gt`/`lt`) in selector text.
 */
export type SelectorOperator = 'in' | 'notin' | 'exists' | '!' | '=' | '==' | '!=' | 'gt' | 'lt';

/**
 * One clause of a label selector. Requirements a {@link Selector} exposes are frozen and
 * normalized: `in`/`notin` values are sorted and deduplicated, `exists`/`!` have no values, every
 * other operator has exactly one value.
 */
export interface Requirement {
  key: string;
  operator: SelectorOperator;
  values: string[];
}

/**
 * A parsed label selector: the AND of its requirements. Immutable.
 *
 * - `matches(labels)` is true when every requirement holds for the label map.
 * - `empty()` is true only for a selector with no requirements (it matches everything).
 * - `toString()` is canonical and reparses (with `parseSelector`) to a selector with the same
 *   string: requirements sorted by key, then operator, then values, printed as Kubernetes prints
 *   them (`x=a`, `x==a`, `x!=a`, `x in (a,b)`, `x notin (a,b)`, `x`, `!x`, `x>1`, `x<1`) and joined by
 *   `,`.
 */
export interface Selector {
  readonly requirements: readonly Requirement[];
  matches(labels: Readonly<Record<string, string>>): boolean;
  empty(): boolean;
  toString(): string;
}

/** Sort rank of each operator inside one key; equality-like first, existence last. */
const OPERATOR_ORDER: readonly SelectorOperator[] = ['=', '==', '!=', 'in', 'notin', 'gt', 'lt', 'exists', '!'];

/** What is wrong with a requirement: which part, and for a value, its index in the values given. */
export interface RequirementProblem {
  code: ErrorCode;
  message: string;
  part: 'key' | 'operator' | 'values';
  valueIndex?: number;
}

/**
 * The first problem Kubernetes' `NewRequirement` would report, or undefined when the requirement
 * is valid: the key must be a valid label key; `in`/`notin` need at least one value, `=`, `==`,
 * `!=`, `gt`, `lt` exactly one, `exists`/`!` none; every value must be a valid label value; `gt`/`lt`
 * values must be 64-bit integers. Internal to the labels module.
 */
export function requirementProblem(key: string, operator: string, values: readonly string[]): RequirementProblem | undefined {
  const keyProblems = validateLabelKey(key);
  if (keyProblems.length > 0) {
    return { code: 'SKIFF_ERR_SELECTOR_INVALID_KEY', part: 'key', message: `invalid label key "${key}": ${keyProblems.join('; ')}` };
  }
  if (!OPERATOR_ORDER.includes(operator as SelectorOperator)) {
    return { code: 'SKIFF_ERR_SELECTOR_SYNTAX', part: 'operator', message: `unknown operator "${operator}"` };
  }
  const count = values.length;
  const countProblem =
    operator === 'in' || operator === 'notin' ? (count === 0 ? `'${operator}' needs at least one value` : undefined)
    : operator === 'exists' || operator === '!' ? (count !== 0 ? `'${operator}' takes no values` : undefined)
    : count !== 1 ? `'${operator}' needs exactly one value` : undefined;
  if (countProblem !== undefined) {
    return { code: 'SKIFF_ERR_SELECTOR_INVALID_VALUE', part: 'values', message: `key "${key}": ${countProblem}` };
  }
  for (const [i, value] of values.entries()) {
    const problems = validateLabelValue(value);
    if (problems.length > 0) {
      return { code: 'SKIFF_ERR_SELECTOR_INVALID_VALUE', part: 'values', valueIndex: i, message: `invalid label value "${value}" for key "${key}": ${problems.join('; ')}` };
    }
    if ((operator === 'gt' || operator === 'lt') && parseInt64(value) === undefined) {
      return { code: 'SKIFF_ERR_SELECTOR_INVALID_VALUE', part: 'values', valueIndex: i, message: `value "${value}" for key "${key}" must be an integer for '${operator}'` };
    }
  }
  return undefined;
}

/**
 * Builds a frozen, normalized requirement (`in`/`notin` values sorted and deduplicated). The caller
 * must have checked it with {@link requirementProblem}. Internal to the labels module.
 */
export function normalizedRequirement(key: string, operator: SelectorOperator, values: readonly string[]): Requirement {
  const vals = operator === 'in' || operator === 'notin' ? [...new Set(values)].sort(compareStrings) : [...values];
  return Object.freeze({ key, operator, values: Object.freeze(vals) as string[] });
}

/**
 * Validates a requirement like Kubernetes' `NewRequirement` and returns it normalized and frozen.
 * Throws `SKIFF_ERR_SELECTOR_INVALID_KEY`, `SKIFF_ERR_SELECTOR_INVALID_VALUE` (bad value or wrong
 * number of values) or `SKIFF_ERR_SELECTOR_SYNTAX` (unknown operator); `details` carries `key`,
 * `operator`, `values` and `path` (the `path` argument, extended with `.key`, `.values[i]`…).
 * Internal to the labels module.
 */
export function newRequirement(key: string, operator: string, values: readonly string[], path = ''): Requirement {
  const problem = requirementProblem(key, operator, values);
  if (problem) {
    const sub = problem.valueIndex !== undefined ? `values[${problem.valueIndex}]` : problem.part;
    const where = path === '' ? sub : `${path}.${sub}`;
    throw new SkiffError(problem.code, `${where}: ${problem.message}`, { key, operator, values: [...values], path: where });
  }
  return normalizedRequirement(key, operator as SelectorOperator, values);
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function compareRequirements(a: Requirement, b: Requirement): number {
  const byKey = compareStrings(a.key, b.key);
  if (byKey !== 0) return byKey;
  const byOperator = OPERATOR_ORDER.indexOf(a.operator) - OPERATOR_ORDER.indexOf(b.operator);
  if (byOperator !== 0) return byOperator;
  for (let i = 0; i < Math.min(a.values.length, b.values.length); i++) {
    const byValue = compareStrings(a.values[i] ?? '', b.values[i] ?? '');
    if (byValue !== 0) return byValue;
  }
  return a.values.length - b.values.length;
}

function requirementMatches(r: Requirement, labels: Readonly<Record<string, string>>): boolean {
  const has = Object.prototype.hasOwnProperty.call(labels, r.key);
  const value = has ? labels[r.key] : undefined;
  switch (r.operator) {
    case 'in':
    case '=':
    case '==':
      return has && r.values.includes(value as string);
    case 'notin':
    case '!=':
      return !has || !r.values.includes(value as string);
    case 'exists':
      return has;
    case '!':
      return !has;
    case 'gt':
    case 'lt': {
      if (!has || typeof value !== 'string') return false;
      const actual = parseInt64(value);
      const bound = parseInt64(r.values[0] ?? '');
      if (actual === undefined || bound === undefined) return false;
      return r.operator === 'gt' ? actual > bound : actual < bound;
    }
  }
}

/** Prints one requirement the way Kubernetes' `Requirement.String()` does. */
export function requirementToString(r: Requirement): string {
  switch (r.operator) {
    case 'exists':
      return r.key;
    case '!':
      return `!${r.key}`;
    case 'in':
    case 'notin':
      return `${r.key} ${r.operator} (${r.values.join(',')})`;
    case 'gt':
      return `${r.key}>${r.values[0] ?? ''}`;
    case 'lt':
      return `${r.key}<${r.values[0] ?? ''}`;
    default:
      return `${r.key}${r.operator}${r.values[0] ?? ''}`;
  }
}

type Matcher = (labels: Readonly<Record<string, string>>) => boolean;

const hasOwn = Object.prototype.hasOwnProperty;

/**
 * Compiles one requirement into a predicate once, so matching (done for every object a
 * controller or a filtered watch looks at) does no parsing or dispatch per call.
 */
function compileRequirement(r: Requirement): Matcher {
  const key = r.key;
  const values = r.values;
  const single = values.length === 1 ? values[0] : undefined;
  switch (r.operator) {
    case 'in':
    case '=':
    case '==':
      if (single !== undefined) return (l) => hasOwn.call(l, key) && l[key] === single;
      return (l) => hasOwn.call(l, key) && values.includes(l[key] as string);
    case 'notin':
    case '!=':
      if (single !== undefined) return (l) => !hasOwn.call(l, key) || l[key] !== single;
      return (l) => !hasOwn.call(l, key) || !values.includes(l[key] as string);
    case 'exists':
      return (l) => hasOwn.call(l, key);
    case '!':
      return (l) => !hasOwn.call(l, key);
    case 'gt':
    case 'lt':
      return (l) => requirementMatches(r, l);
  }
}

class RequirementSelector implements Selector {
  readonly requirements: readonly Requirement[];
  private readonly matchers: readonly Matcher[];

  constructor(requirements: readonly Requirement[]) {
    this.requirements = Object.freeze([...requirements].sort(compareRequirements));
    this.matchers = this.requirements.map(compileRequirement);
  }

  matches(labels: Readonly<Record<string, string>>): boolean {
    const set = labels ?? {};
    const matchers = this.matchers;
    for (let i = 0; i < matchers.length; i++) if (!(matchers[i] as Matcher)(set)) return false;
    return true;
  }

  empty(): boolean {
    return this.requirements.length === 0;
  }

  toString(): string {
    return this.requirements.map(requirementToString).join(',');
  }
}

/**
 * A selector over already validated, normalized requirements (sorted here). Internal to the
 * labels module; others use {@link selectorFromRequirements}.
 */
export function selectorOf(requirements: readonly Requirement[]): Selector {
  return requirements.length === 0 ? EVERYTHING : new RequirementSelector(requirements);
}

/**
 * A selector from requirements built in code. Each is validated like Kubernetes' `NewRequirement`
 * (see {@link Requirement}) and normalized; errors are thrown as by `selectorFromLabelSelector`,
 * with `details.path` like `requirements[2].values[0]`. No requirements gives {@link everything}.
 */
export function selectorFromRequirements(requirements: readonly Requirement[]): Selector {
  return selectorOf(requirements.map((r, i) => newRequirement(r.key, r.operator, r.values ?? [], `requirements[${i}]`)));
}

const EVERYTHING: Selector = new RequirementSelector([]);

const NOTHING: Selector = Object.freeze({
  requirements: Object.freeze([]) as readonly Requirement[],
  matches: () => false,
  empty: () => false,
  toString: () => '',
});

/** The selector that matches every label set: no requirements, `empty()` true, prints as `""`. */
export function everything(): Selector {
  return EVERYTHING;
}

/**
 * The selector that matches no label set (Kubernetes' `labels.Nothing()`), what a null
 * `LabelSelector` means. `empty()` is false and it has no requirements. For programmatic use only:
 * like Kubernetes it prints as `""`, which parses back to {@link everything}, so never send its
 * string anywhere.
 */
export function nothing(): Selector {
  return NOTHING;
}
