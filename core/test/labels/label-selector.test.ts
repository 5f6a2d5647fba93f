import { describe, expect, it } from 'vitest';
import { isSkiffError } from '../../src/errors.js';
import {
  parseSelector,
  selectorFromLabelSelector,
  selectorFromRequirements,
  selectorFromSet,
  type LabelSelectorLike,
  type Requirement,
} from '../../src/labels/index.js';

function thrown(fn: () => unknown): { code: string; path: unknown } {
  try {
    fn();
  } catch (err) {
    if (!isSkiffError(err)) throw err;
    return { code: err.code, path: err.details['path'] };
  }
  throw new Error('expected a SkiffError');
}

describe('selectorFromLabelSelector (LabelSelectorAsSelector)', () => {
  it('null and undefined select nothing', () => {
    for (const ls of [null, undefined]) {
      const s = selectorFromLabelSelector(ls);
      expect(s.matches({})).toBe(false);
      expect(s.empty()).toBe(false);
    }
  });

  it.each<LabelSelectorLike>([{}, { matchLabels: {} }, { matchExpressions: [] }, { matchLabels: {}, matchExpressions: [] }])(
    '%j selects everything',
    (ls) => {
      const s = selectorFromLabelSelector(ls);
      expect(s.empty()).toBe(true);
      expect(s.matches({ any: 'thing' })).toBe(true);
      expect(s.toString()).toBe('');
    },
  );

  it.each<[LabelSelectorLike, string]>([
    [{ matchLabels: { app: 'web', tier: 'front' } }, 'app=web,tier=front'],
    [{ matchLabels: { tier: 'front', app: 'web' } }, 'app=web,tier=front'],
    [{ matchExpressions: [{ key: 'env', operator: 'In', values: ['prod', 'dev', 'prod'] }] }, 'env in (dev,prod)'],
    [{ matchExpressions: [{ key: 'env', operator: 'NotIn', values: ['qa'] }] }, 'env notin (qa)'],
    [{ matchExpressions: [{ key: 'gpu', operator: 'Exists' }] }, 'gpu'],
    [{ matchExpressions: [{ key: 'gpu', operator: 'DoesNotExist', values: [] }] }, '!gpu'],
    [{ matchExpressions: [{ key: 'e', operator: 'In', values: [''] }] }, 'e in ()'],
    [
      { matchLabels: { app: 'web' }, matchExpressions: [{ key: 'zone', operator: 'Exists' }, { key: 'app', operator: 'NotIn', values: ['db'] }] },
      'app=web,app notin (db),zone',
    ],
  ])('%j prints as %j, same as the parsed string', (ls, printed) => {
    const s = selectorFromLabelSelector(ls);
    expect(s.toString()).toBe(printed);
    expect(parseSelector(printed).toString()).toBe(printed);
    expect(parseSelector(printed).requirements).toEqual(s.requirements);
  });

  it('matches like Kubernetes', () => {
    const s = selectorFromLabelSelector({
      matchLabels: { app: 'web' },
      matchExpressions: [
        { key: 'env', operator: 'In', values: ['prod', 'staging'] },
        { key: 'legacy', operator: 'DoesNotExist' },
        { key: 'tier', operator: 'NotIn', values: ['db'] },
      ],
    });
    expect(s.matches({ app: 'web', env: 'prod' })).toBe(true);
    expect(s.matches({ app: 'web', env: 'prod', tier: 'front' })).toBe(true);
    expect(s.matches({ app: 'web', env: 'prod', tier: 'db' })).toBe(false);
    expect(s.matches({ app: 'web', env: 'dev' })).toBe(false);
    expect(s.matches({ app: 'web', env: 'prod', legacy: '' })).toBe(false);
    expect(s.matches({ env: 'prod' })).toBe(false);
  });

  it.each<[LabelSelectorLike, string, string]>([
    [{ matchExpressions: [{ key: 'a', operator: 'In', values: [] }] }, 'SKIFF_ERR_SELECTOR_INVALID_VALUE', 'matchExpressions[0].values'],
    [{ matchExpressions: [{ key: 'a', operator: 'NotIn' }] }, 'SKIFF_ERR_SELECTOR_INVALID_VALUE', 'matchExpressions[0].values'],
    [{ matchExpressions: [{ key: 'a', operator: 'Exists' }, { key: 'a', operator: 'Exists', values: ['x'] }] }, 'SKIFF_ERR_SELECTOR_INVALID_VALUE', 'matchExpressions[1].values'],
    [{ matchExpressions: [{ key: 'a', operator: 'DoesNotExist', values: [''] }] }, 'SKIFF_ERR_SELECTOR_INVALID_VALUE', 'matchExpressions[0].values'],
    [{ matchExpressions: [{ key: 'a', operator: 'In', values: ['ok', 'not ok'] }] }, 'SKIFF_ERR_SELECTOR_INVALID_VALUE', 'matchExpressions[0].values[1]'],
    [{ matchExpressions: [{ key: '-a', operator: 'Exists' }] }, 'SKIFF_ERR_SELECTOR_INVALID_KEY', 'matchExpressions[0].key'],
    [{ matchExpressions: [{ key: 'a', operator: 'Gt' as 'In', values: ['1'] }] }, 'SKIFF_ERR_SELECTOR_SYNTAX', 'matchExpressions[0].operator'],
    [{ matchLabels: { 'bad key': 'v' } }, 'SKIFF_ERR_SELECTOR_INVALID_KEY', 'matchLabels["bad key"].key'],
    [{ matchLabels: { k: 'bad value' } }, 'SKIFF_ERR_SELECTOR_INVALID_VALUE', 'matchLabels["k"].values[0]'],
  ])('%j fails with %s at %s', (ls, code, path) => {
    expect(thrown(() => selectorFromLabelSelector(ls))).toEqual({ code, path });
  });
});

describe('selectorFromSet', () => {
  it('is equality on each entry, sorted by key', () => {
    const s = selectorFromSet({ tier: 'front', app: 'web' });
    expect(s.toString()).toBe('app=web,tier=front');
    expect(s.matches({ app: 'web', tier: 'front', extra: 'x' })).toBe(true);
    expect(s.matches({ app: 'web' })).toBe(false);
  });

  it('an empty set selects everything (Kubernetes TestSetIsEmpty)', () => {
    expect(selectorFromSet({}).empty()).toBe(true);
    expect(selectorFromSet({}).matches({ foo: 'bar' })).toBe(true);
  });

  it('validates keys and values', () => {
    expect(thrown(() => selectorFromSet({ 'a/b/c': 'x' }))).toEqual({ code: 'SKIFF_ERR_SELECTOR_INVALID_KEY', path: '["a/b/c"].key' });
    expect(thrown(() => selectorFromSet({ a: '=x' }))).toEqual({ code: 'SKIFF_ERR_SELECTOR_INVALID_VALUE', path: '["a"].values[0]' });
  });
});

describe('selectorFromRequirements (Kubernetes TestRequirementConstructor)', () => {
  const r = (key: string, operator: Requirement['operator'], values: string[]): Requirement => ({ key, operator, values });
  it.each<[Requirement, boolean]>([
    [r('x', 'in', []), false],
    [r('x', 'notin', []), false],
    [r('x', 'in', ['foo']), true],
    [r('x', 'notin', ['foo']), true],
    [r('x', 'exists', []), true],
    [r('x', '!', []), true],
    [r('1foo', 'in', ['bar']), true],
    [r('1234', 'in', ['bar']), true],
    [r('y', 'gt', ['1']), true],
    [r('z', 'lt', ['6']), true],
    [r('foo', 'gt', ['bar']), false],
    [r('barz', 'lt', ['blah']), false],
    [r('x', '=', ['a', 'b']), false],
    [r('x', '!=', []), false],
    [r('x', 'gt', ['1', '2']), false],
    [r('a'.repeat(254), 'exists', []), false],
    [r('x', 'like' as 'in', ['a']), false],
  ])('%j valid: %s', (requirement, valid) => {
    if (valid) expect(selectorFromRequirements([requirement]).requirements).toHaveLength(1);
    else expect(() => selectorFromRequirements([requirement])).toThrow(expect.objectContaining({ name: 'SkiffError' }));
  });

  it('normalizes values and order', () => {
    const s = selectorFromRequirements([r('y', 'exists', []), r('x', 'in', ['b', 'a', 'b'])]);
    expect(s.requirements).toEqual([r('x', 'in', ['a', 'b']), r('y', 'exists', [])]);
    expect(s.toString()).toBe('x in (a,b),y');
  });
});
