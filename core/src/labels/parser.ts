import { SkiffError, type ErrorCode } from '../errors.js';
import { tokenize, type Token } from './lexer.js';
import { normalizedRequirement, requirementProblem, selectorOf, type Requirement, type Selector, type SelectorOperator } from './selector.js';

/** Operator spellings allowed after a key, symbols and words alike. */
const BINARY_OPERATORS: ReadonlyMap<string, SelectorOperator> = new Map<string, SelectorOperator>([
  ['=', '='],
  ['==', '=='],
  ['!=', '!='],
  ['>', 'gt'],
  ['<', 'lt'],
  ['in', 'in'],
  ['notin', 'notin'],
  ['gt', 'gt'],
  ['lt', 'lt'],
]);

/** A value read from the text and where it is (for an implied empty value, where it would be). */
interface Located {
  value: string;
  position: number;
}

function describe(token: Token): string {
  return token.kind === 'end' ? 'end of string' : `'${token.text}'`;
}

class Parser {
  private readonly tokens: Token[];
  private index = 0;

  constructor(private readonly text: string) {
    this.tokens = tokenize(text);
  }

  parse(): Requirement[] {
    const requirements: Requirement[] = [];
    const first = this.peek();
    if (first.kind === 'end') return requirements;
    if (first.kind !== 'word' && first.kind !== '!') this.fail(first, 'expected !, a label key or end of string');
    for (;;) {
      requirements.push(this.requirement());
      const after = this.next();
      if (after.kind === 'end') return requirements;
      if (after.kind !== ',') this.fail(after, "expected ',' or end of string");
      const following = this.peek();
      if (following.kind !== 'word' && following.kind !== '!') this.fail(following, "expected !, or a label key after ','");
    }
  }

  private requirement(): Requirement {
    let keyToken = this.next();
    const negated = keyToken.kind === '!';
    if (negated) keyToken = this.next();
    if (keyToken.kind !== 'word') this.fail(keyToken, 'expected a label key');
    const key = keyToken.text;
    const keyProblem = requirementProblem(key, 'exists', []);
    if (keyProblem) this.fail(keyToken, keyProblem.message, keyProblem.code);
    const lookahead = this.peek();
    if (negated) return normalizedRequirement(key, '!', []);
    if (lookahead.kind === 'end' || lookahead.kind === ',') return normalizedRequirement(key, 'exists', []);

    const opToken = this.next();
    const operator = opToken.kind === 'end' ? undefined : BINARY_OPERATORS.get(opToken.text);
    if (operator === undefined) this.fail(opToken, 'expected an operator: in, notin, =, ==, !=, >, <, gt, lt');
    const values = operator === 'in' || operator === 'notin' ? this.valueSet() : [this.exactValue()];

    const problem = requirementProblem(key, operator, values.map((v) => v.value));
    if (problem) {
      const at = problem.valueIndex !== undefined ? values[problem.valueIndex]?.position : opToken.position;
      this.fail(at ?? opToken.position, problem.message, problem.code);
    }
    return normalizedRequirement(key, operator, values.map((v) => v.value));
  }

  /** One value after `=`, `==`, `!=`, `>`, `<`; nothing before `,` or the end means the empty value. */
  private exactValue(): Located {
    const token = this.peek();
    if (token.kind === 'end' || token.kind === ',') return { value: '', position: token.position };
    this.next();
    if (token.kind !== 'word') this.fail(token, 'expected a label value');
    return { value: token.text, position: token.position };
  }

  /** `( v1, v2, … )`, where an empty slot (`()`, `(a,)`, `(,a)`, `(a,,b)`) is the empty value, as in Kubernetes. */
  private valueSet(): Located[] {
    const open = this.next();
    if (open.kind !== '(') this.fail(open, "expected '('");
    const values: Located[] = [];
    const first = this.peek();
    if (first.kind === ')') {
      this.next();
      return [{ value: '', position: first.position }];
    }
    if (first.kind !== 'word' && first.kind !== ',') this.fail(first, "expected ',', ')' or a label value");
    for (;;) {
      const token = this.next();
      if (token.kind === 'word') {
        values.push({ value: token.text, position: token.position });
        const after = this.peek();
        if (after.kind === ')') break;
        if (after.kind !== ',') this.fail(after, "expected ',' or ')'");
      } else if (token.kind === ',') {
        if (values.length === 0) values.push({ value: '', position: token.position });
        const after = this.peek();
        if (after.kind === ')') {
          values.push({ value: '', position: after.position });
          break;
        }
        if (after.kind === ',') {
          this.next();
          values.push({ value: '', position: after.position });
        }
      } else {
        this.fail(token, "expected ',' or a label value");
      }
    }
    this.next(); // the ')' seen above
    return values;
  }

  private peek(): Token {
    return this.tokens[this.index] ?? this.end();
  }

  private next(): Token {
    const token = this.peek();
    if (this.index < this.tokens.length - 1) this.index++;
    return token;
  }

  private end(): Token {
    return { kind: 'end', text: '', position: this.text.length };
  }

  private fail(at: Token | number, problem: string, code: ErrorCode = 'SKIFF_ERR_SELECTOR_SYNTAX'): never {
    const position = typeof at === 'number' ? at : at.position;
    const found = typeof at === 'number' ? '' : `found ${describe(at)}, `;
    throw new SkiffError(code, `invalid label selector ${JSON.stringify(this.text)} at position ${position}: ${found}${problem}`, {
      position,
      text: this.text,
    });
  }
}

/**
 * Parses Kubernetes label selector text (`labels.Parse`): comma-separated (AND) requirements of the
 * forms `k=v`, `k==v`, `k!=v`, `k in (a,b)`, `k notin (a,b)`, `k`, `!k`, `k>3`, `k<3`, plus `k gt 3`
 * and `k lt 3`. Whitespace may surround operators, commas and parentheses. A missing value is the
 * empty value (`k=`, `k in ()`, `k in (a,)` all include `""`, as in Kubernetes). The words `in`,
 * `notin`, `gt`, `lt` are operators only after a key, so they are also valid keys and values. Empty
 * or blank text gives {@link everything}.
 *
 * Throws a `SkiffError` whose `details` are `{ position, text }` (`position` is the 0-based offset
 * of the offending token, or `text.length` at the end): `SKIFF_ERR_SELECTOR_SYNTAX` for structure
 * (unknown operator, unbalanced parentheses, trailing or doubled comma, `!k=v`…),
 * `SKIFF_ERR_SELECTOR_INVALID_KEY` for a key {@link validateLabelKey} rejects, and
 * `SKIFF_ERR_SELECTOR_INVALID_VALUE` for a value {@link validateLabelValue} rejects or a `gt`/`lt`
 * value that is not a 64-bit integer. It throws nothing else, for any string.
 */
export function parseSelector(text: string): Selector {
  return selectorOf(new Parser(text).parse());
}
