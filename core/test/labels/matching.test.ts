import { describe, expect, it } from 'vitest';
import { everything, nothing, parseSelector } from '../../src/labels/index.js';
import type { LabelMatcher } from '../../src/store/types.js';

type Labels = Record<string, string>;

describe('Selector.matches (Kubernetes TestSelectorMatches and TestRequirementSelectorMatching)', () => {
  it.each<[string, Labels, boolean]>([
    ['', { x: 'y' }, true],
    ['x=y', { x: 'y' }, true],
    ['x==y', { x: 'y' }, true],
    ['x in (y)', { x: 'y' }, true],
    ['x=y,z=w', { x: 'y', z: 'w' }, true],
    ['x!=y,z!=w', { x: 'z', z: 'a' }, true],
    ['notin=in', { notin: 'in' }, true],
    ['x', { x: 'z' }, true],
    ['!x', { y: 'z' }, true],
    ['x>1', { x: '2' }, true],
    ['x<1', { x: '0' }, true],
    ['x=z', {}, false],
    ['x=y', { x: 'z' }, false],
    ['x=y,z=w', { x: 'w', z: 'w' }, false],
    ['x!=y,z!=w', { x: 'z', z: 'w' }, false],
    ['x', { y: 'z' }, false],
    ['!x', { x: 'z' }, false],
    ['x>1', { x: '0' }, false],
    ['x<1', { x: '2' }, false],
    ['foo=bar', { foo: 'bar', baz: 'blah' }, true],
    ['baz=blah', { foo: 'bar', baz: 'blah' }, true],
    ['foo=bar,baz=blah', { foo: 'bar', baz: 'blah' }, true],
    ['foo=blah', { foo: 'bar', baz: 'blah' }, false],
    ['baz=bar', { foo: 'bar', baz: 'blah' }, false],
    ['foo=bar,foobar=bar,baz=blah', { foo: 'bar', baz: 'blah' }, false],
    ['x in (foo),y notin (alpha)', { x: 'foo', y: 'baz' }, true],
    ['x in (foo),y in (alpha)', { x: 'foo', y: 'baz' }, false],
    ['x notin (),y', { y: '' }, true],
    ['!x,y', { y: '' }, true],
    ['x notin (),!y', { y: '' }, false],
    ['x in ()', { y: 'baz' }, false],
    ['z>1', { z: '2' }, true],
    ['z>1', { z: 'v2' }, false],
  ])('%j on %j is %s', (text, labels, expected) => {
    expect(parseSelector(text).matches(labels)).toBe(expected);
  });
});

describe('Selector.matches: absent keys, empty values, integers', () => {
  it.each<[string, Labels, boolean]>([
    // != and notin match when the key is absent; =, ==, in do not
    ['x!=a', {}, true],
    ['x notin (a,b)', {}, true],
    ['x=a', {}, false],
    ['x in (a,b)', {}, false],
    ['x notin (a,b)', { x: 'b' }, false],
    ['x notin (a,b)', { x: 'c' }, true],
    // the empty value is a value
    ['x=', { x: '' }, true],
    ['x=', {}, false],
    ['x!=', { x: '' }, false],
    ['x!=', {}, true],
    ['x in (,a)', { x: '' }, true],
    ['x in (,a)', { x: 'a' }, true],
    // gt/lt need the key, and an integer value
    ['x>1', {}, false],
    ['x<1', {}, false],
    ['x>1', { x: '' }, false],
    ['x<5', { x: '1.5' }, false],
    ['x>5', { x: '10' }, true],
    ['x>5', { x: '5' }, false],
    ['x<5', { x: '5' }, false],
    ['x>5', { x: '0010' }, true],
    ['x<1', { x: '-3' }, true],
    ['x>1', { x: '+3' }, true],
    ['x<1', { x: '-9223372036854775809' }, false],
    ['x>9223372036854775806', { x: '9223372036854775807' }, true],
    ['x<9223372036854775807', { x: '9223372036854775806' }, true],
    ['x>9007199254740992', { x: '9007199254740993' }, true],
    // prototype names are not labels
    ['constructor', {}, false],
    ['!toString', {}, true],
  ])('%j on %j is %s', (text, labels, expected) => {
    expect(parseSelector(text).matches(labels)).toBe(expected);
  });
});

describe('everything and nothing', () => {
  it('everything matches all, is empty, prints as ""', () => {
    const s = everything();
    expect(s.matches({})).toBe(true);
    expect(s.matches({ x: 'y' })).toBe(true);
    expect(s.empty()).toBe(true);
    expect(s.toString()).toBe('');
    expect(s.requirements).toEqual([]);
    expect(parseSelector('').empty()).toBe(true);
  });

  it('nothing matches none and is not empty', () => {
    const s = nothing();
    expect(s.matches({})).toBe(false);
    expect(s.matches({ x: 'y' })).toBe(false);
    expect(s.empty()).toBe(false);
    expect(s.requirements).toEqual([]);
  });

  it('selectors are LabelMatchers and immutable', () => {
    const matcher: LabelMatcher = parseSelector('app=web');
    expect(matcher.matches({ app: 'web' })).toBe(true);
    const s = parseSelector('x in (a,b)');
    expect(Object.isFrozen(s.requirements)).toBe(true);
    expect(Object.isFrozen(s.requirements[0])).toBe(true);
    expect(Object.isFrozen(s.requirements[0]?.values)).toBe(true);
  });
});
