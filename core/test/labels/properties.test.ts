import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SkiffError } from '../../src/errors.js';
import { parseSelector, selectorFromRequirements, type Requirement, type Selector } from '../../src/labels/index.js';

const SELECTOR_CODES = ['SKIFF_ERR_SELECTOR_SYNTAX', 'SKIFF_ERR_SELECTOR_INVALID_KEY', 'SKIFF_ERR_SELECTOR_INVALID_VALUE'];

// Small pools make label maps and requirements collide often; random ones cover the grammar.
const KEY_POOL = ['a', 'b', 'x.io/c', 'in', 'notin', 'gt', 'lt', 'A_1'];
const VALUE_POOL = ['', 'a', 'b', '1', '10', '007', 'in', 'notin'];

const name = fc.stringMatching(/^[A-Za-z0-9]([-A-Za-z0-9_.]{0,20}[A-Za-z0-9])?$/);
const prefix = fc.stringMatching(/^[a-z0-9]([-a-z0-9]{0,8}[a-z0-9])?(\.[a-z0-9]([-a-z0-9]{0,8}[a-z0-9])?){0,3}$/);
const key = fc.oneof(fc.constantFrom(...KEY_POOL), name, fc.tuple(prefix, name).map(([p, n]) => `${p}/${n}`));
const value = fc.oneof(fc.constantFrom(...VALUE_POOL), name);
const integer = fc.oneof(
  fc.constantFrom('0', '1', '10', '007'),
  fc.bigInt({ min: 0n, max: 2n ** 63n - 1n }).map(String),
);

const requirement: fc.Arbitrary<Requirement> = fc.oneof(
  fc.tuple(key, fc.constantFrom('=', '==', '!=' as const), value).map(([k, operator, v]) => ({ key: k, operator, values: [v] })),
  fc.tuple(key, fc.constantFrom('in', 'notin' as const), fc.array(value, { minLength: 1, maxLength: 4 })).map(([k, operator, values]) => ({ key: k, operator, values })),
  fc.tuple(key, fc.constantFrom('exists', '!' as const)).map(([k, operator]) => ({ key: k, operator, values: [] })),
  fc.tuple(key, fc.constantFrom('gt', 'lt' as const), integer).map(([k, operator, v]) => ({ key: k, operator, values: [v] })),
);
const requirements = fc.array(requirement, { maxLength: 6 });
const labels = fc.dictionary(fc.constantFrom(...KEY_POOL), fc.oneof(fc.constantFrom(...VALUE_POOL, '-5', '+3', '99999999999999999999'), value), { maxKeys: 6 });

/** Writes a requirement the way a person might: optional whitespace, word or symbol operators, shuffled and repeated values, empty slots. */
const written = (r: Requirement): fc.Arbitrary<string> => {
  const ws = fc.constantFrom('', ' ', '  ', '\t', '\n');
  const v0 = r.values[0] ?? '';
  switch (r.operator) {
    case 'exists':
      return fc.tuple(ws, ws).map(([a, b]) => `${a}${r.key}${b}`);
    case '!':
      return fc.tuple(ws, ws).map(([a, b]) => `${a}!${b}${r.key}`);
    case 'gt':
    case 'lt': {
      const op = r.operator === 'gt' ? fc.constantFrom('>', ' gt ') : fc.constantFrom('<', ' lt ');
      return fc.tuple(ws, op, ws).map(([a, o, b]) => `${r.key}${a}${o}${b}${v0}`);
    }
    case 'in':
    case 'notin': {
      // Kubernetes rejects two empty slots in a row before ')' (`(a,,)`), so '' appears once.
      const unique = [...new Set(r.values)];
      const shuffled = fc.shuffledSubarray(unique, { minLength: unique.length, maxLength: unique.length });
      const repeats = fc.subarray(unique.filter((v) => v !== ''));
      return fc.tuple(ws, ws, shuffled, repeats).map(([a, b, vs, again]) => `${r.key} ${r.operator}${a}(${b}${[...vs, ...again].join(`${b},${a}`)}${a})`);
    }
    default:
      return fc.tuple(ws, ws).map(([a, b]) => `${r.key}${a}${r.operator}${b}${v0}`);
  }
};
const writtenSelector = requirements.chain((rs) =>
  (rs.length === 0 ? fc.constant([] as string[]) : fc.tuple(...rs.map(written))).map((parts) => ({ rs, text: parts.join(',') })),
);

const TOKENS = ['x', 'y', 'a.b/c', 'in', 'notin', 'gt', 'lt', '=', '==', '!=', '!', '(', ')', ',', ' ', '>', '<', '1', '-1', '', 'A-', '/', `${'k'.repeat(64)}`, '\\', 'é'];
const tokenSoup = fc.array(fc.constantFrom(...TOKENS), { maxLength: 12 }).map((ts) => ts.join(''));

function expectSameMatches(a: Selector, b: Selector, sets: Record<string, string>[]): void {
  for (const set of sets) expect(b.matches(set)).toBe(a.matches(set));
}

describe('label selector properties', () => {
  it('round trip: print, parse, print gives the same string, requirements and matches', () => {
    fc.assert(
      fc.property(requirements, fc.array(labels, { maxLength: 8 }), (rs, sets) => {
        const original = selectorFromRequirements(rs);
        const printed = original.toString();
        const reparsed = parseSelector(printed);
        expect(reparsed.toString()).toBe(printed);
        expect(reparsed.requirements).toEqual(original.requirements);
        expectSameMatches(original, reparsed, sets);
      }),
      { numRuns: 500 },
    );
  });

  it('text written with free spacing and spelling parses to the requirements it was written from', () => {
    fc.assert(
      fc.property(writtenSelector, fc.array(labels, { maxLength: 8 }), ({ rs, text }, sets) => {
        const parsed = parseSelector(text);
        const expected = selectorFromRequirements(rs);
        expect(parsed.toString()).toBe(expected.toString());
        expectSameMatches(expected, parsed, sets);
      }),
      { numRuns: 500 },
    );
  });

  it('the canonical form is idempotent for any text that parses', () => {
    fc.assert(
      fc.property(fc.oneof(tokenSoup, writtenSelector.map((w) => w.text)), (text) => {
        let parsed: Selector;
        try {
          parsed = parseSelector(text);
        } catch {
          return;
        }
        const once = parsed.toString();
        expect(parseSelector(once).toString()).toBe(once);
      }),
      { numRuns: 1000 },
    );
  });

  it('the parser throws only selector SkiffErrors, positioned inside the text', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit: 'grapheme' }), tokenSoup), (text) => {
        try {
          parseSelector(text);
        } catch (err) {
          expect(err).toBeInstanceOf(SkiffError);
          const e = err as SkiffError;
          expect(SELECTOR_CODES).toContain(e.code);
          const position = e.details['position'] as number;
          expect(Number.isInteger(position) && position >= 0 && position <= text.length).toBe(true);
          expect(e.details['text']).toBe(text);
        }
      }),
      { numRuns: 2000 },
    );
  });
});
