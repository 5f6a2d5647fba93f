import { describe, expect, it } from 'vitest';
import { isSkiffError } from '../../src/errors.js';
import { parseSelector, type Requirement } from '../../src/labels/index.js';

const req = (key: string, operator: Requirement['operator'], values: string[] = []): Requirement => ({ key, operator, values });

/** Parses and returns the thrown error's code and position. */
function parseError(text: string): { code: string; position: unknown } {
  try {
    parseSelector(text);
  } catch (err) {
    if (!isSkiffError(err)) throw err;
    expect(err.details['text']).toBe(text);
    return { code: err.code, position: err.details['position'] };
  }
  throw new Error(`expected ${JSON.stringify(text)} to fail`);
}

describe('parseSelector: valid selectors (Kubernetes TestSelectorParse, whitespace removed on print)', () => {
  it.each(['x=a,y=b,z=c', '', 'x!=a,y=b', 'x=', 'x= ', 'x=,z= ', 'x= ,z= ', '!x', 'x>1', 'x>1,z<5'])('%j', (text) => {
    expect(parseSelector(text).toString()).toBe(text.replaceAll(' ', ''));
  });

  it('is deterministic regardless of requirement order', () => {
    expect(parseSelector('x=a,a=x').toString()).toBe(parseSelector('a=x,x=a').toString());
  });
});

describe('parseSelector: requirements (Kubernetes TestSetSelectorParser)', () => {
  it.each<[string, Requirement[]]>([
    ['', []],
    ['\rx', [req('x', 'exists')]],
    ['this-is-a-dns.domain.com/key-with-dash', [req('this-is-a-dns.domain.com/key-with-dash', 'exists')]],
    ['this-is-another-dns.domain.com/key-with-dash in (so,what)', [req('this-is-another-dns.domain.com/key-with-dash', 'in', ['so', 'what'])]],
    ['0.1.2.domain/99 notin (10.10.100.1, tick.tack.clock)', [req('0.1.2.domain/99', 'notin', ['10.10.100.1', 'tick.tack.clock'])]],
    ['foo  in\t (abc)', [req('foo', 'in', ['abc'])]],
    ['x notin\n (abc)', [req('x', 'notin', ['abc'])]],
    ['x  notin\t\t\t(abc,def)', [req('x', 'notin', ['abc', 'def'])]],
    ['x in (abc,def)', [req('x', 'in', ['abc', 'def'])]],
    ['x in (abc,)', [req('x', 'in', ['', 'abc'])]],
    ['x in ()', [req('x', 'in', [''])]],
    ['x notin (abc,def),bar,z in (),w', [req('bar', 'exists'), req('w', 'exists'), req('x', 'notin', ['abc', 'def']), req('z', 'in', [''])]],
    ['x,y in (a)', [req('x', 'exists'), req('y', 'in', ['a'])]],
    ['x=a', [req('x', '=', ['a'])]],
    ['x==a', [req('x', '==', ['a'])]],
    ['x>1', [req('x', 'gt', ['1'])]],
    ['x<7', [req('x', 'lt', ['7'])]],
    ['x gt 1', [req('x', 'gt', ['1'])]],
    ['x lt 7', [req('x', 'lt', ['7'])]],
    ['x=a,y!=b', [req('x', '=', ['a']), req('y', '!=', ['b'])]],
    ['x=a,y!=b,z in (h,i,j)', [req('x', '=', ['a']), req('y', '!=', ['b']), req('z', 'in', ['h', 'i', 'j'])]],
    ['x notin ( )', [req('x', 'notin', [''])]],
    ['x notin (, a)', [req('x', 'notin', ['', 'a'])]],
    ['x in (a,,b)', [req('x', 'in', ['', 'a', 'b'])]],
    ['x in (b,a,b)', [req('x', 'in', ['a', 'b'])]],
    ['a ', [req('a', 'exists')]],
    ['a in (x,y,notin, z,in)', [req('a', 'in', ['in', 'notin', 'x', 'y', 'z'])]],
    ['notin=in', [req('notin', '=', ['in'])]],
    ['in in (in)', [req('in', 'in', ['in'])]],
    ['gt gt 1,lt', [req('gt', 'gt', ['1']), req('lt', 'exists')]],
    ['x = a , y != b', [req('x', '=', ['a']), req('y', '!=', ['b'])]],
    ['! x', [req('x', '!')]],
    ['x>00012', [req('x', 'gt', ['00012'])]],
    ['x<9223372036854775807', [req('x', 'lt', ['9223372036854775807'])]],
  ])('%j', (text, expected) => {
    expect(parseSelector(text).requirements).toEqual(expected);
  });
});

describe('parseSelector: canonical toString', () => {
  it.each([
    ['x in (abc,def),y notin (jkl),z', 'x in (abc,def),y notin (jkl),z'],
    ['z,!y,x notin (def,abc)', 'x notin (abc,def),!y,z'],
    ['z notin (),x notin (abc),y in (mno,jkl)', 'x notin (abc),y in (jkl,mno),z notin ()'],
    ['z,z!=a,y==jkl,x=abc', 'x=abc,y==jkl,z!=a,z'],
    ['z, y lt 8, x gt 2', 'x>2,y<8,z'],
    ['x in (b, a, b, )', 'x in (,a,b)'],
    ['x = a', 'x=a'],
    ['a=2,a=1,a==0,a in (z),a,!a', 'a=1,a=2,a==0,a in (z),a,!a'],
    ['   ', ''],
  ])('%j prints as %j', (text, printed) => {
    expect(parseSelector(text).toString()).toBe(printed);
  });
});

describe('parseSelector: errors (code and position)', () => {
  it.each<[string, string, number]>([
    // Kubernetes' bad strings
    ['x=a||y=b', 'SKIFF_ERR_SELECTOR_INVALID_VALUE', 2],
    ['x==a==b', 'SKIFF_ERR_SELECTOR_SYNTAX', 4],
    ['!x=a', 'SKIFF_ERR_SELECTOR_SYNTAX', 2],
    ['x<a', 'SKIFF_ERR_SELECTOR_INVALID_VALUE', 2],
    ['x,,y', 'SKIFF_ERR_SELECTOR_SYNTAX', 2],
    [',x,y', 'SKIFF_ERR_SELECTOR_SYNTAX', 0],
    ['x nott in (y)', 'SKIFF_ERR_SELECTOR_SYNTAX', 2],
    ['a in (xyz),', 'SKIFF_ERR_SELECTOR_SYNTAX', 11],
    ['a in (xyz)b notin ()', 'SKIFF_ERR_SELECTOR_SYNTAX', 10],
    ['a in (xyz abc)', 'SKIFF_ERR_SELECTOR_SYNTAX', 10],
    ['a notin(', 'SKIFF_ERR_SELECTOR_SYNTAX', 8],
    ['a (', 'SKIFF_ERR_SELECTOR_SYNTAX', 2],
    ['(', 'SKIFF_ERR_SELECTOR_SYNTAX', 0],
    // more structure
    ['x=a,', 'SKIFF_ERR_SELECTOR_SYNTAX', 4],
    ['x in (a', 'SKIFF_ERR_SELECTOR_SYNTAX', 7],
    ['x in (a,', 'SKIFF_ERR_SELECTOR_SYNTAX', 8],
    ['x in a', 'SKIFF_ERR_SELECTOR_SYNTAX', 5],
    ['x in (a))', 'SKIFF_ERR_SELECTOR_SYNTAX', 8],
    ['x in ((a))', 'SKIFF_ERR_SELECTOR_SYNTAX', 6],
    ['x in', 'SKIFF_ERR_SELECTOR_SYNTAX', 4],
    ['x ~ a', 'SKIFF_ERR_SELECTOR_SYNTAX', 2],
    ['x !', 'SKIFF_ERR_SELECTOR_SYNTAX', 2],
    ['x=(a)', 'SKIFF_ERR_SELECTOR_SYNTAX', 2],
    ['x=a b', 'SKIFF_ERR_SELECTOR_SYNTAX', 4],
    ['!', 'SKIFF_ERR_SELECTOR_SYNTAX', 1],
    ['!!x', 'SKIFF_ERR_SELECTOR_SYNTAX', 1],
    ['=a', 'SKIFF_ERR_SELECTOR_SYNTAX', 0],
    [')', 'SKIFF_ERR_SELECTOR_SYNTAX', 0],
    ['x>=1', 'SKIFF_ERR_SELECTOR_SYNTAX', 2],
    ['x in (a,,)', 'SKIFF_ERR_SELECTOR_SYNTAX', 9], // as in Kubernetes: two empty slots before ')'
    ['x in (,,)', 'SKIFF_ERR_SELECTOR_SYNTAX', 8],
    // keys
    ['x~=a', 'SKIFF_ERR_SELECTOR_INVALID_KEY', 0],
    ['a,  -x=1', 'SKIFF_ERR_SELECTOR_INVALID_KEY', 4],
    ['Example.com/a', 'SKIFF_ERR_SELECTOR_INVALID_KEY', 0],
    ['y, !a/b/c', 'SKIFF_ERR_SELECTOR_INVALID_KEY', 4],
    [`${'k'.repeat(64)}=v`, 'SKIFF_ERR_SELECTOR_INVALID_KEY', 0],
    // values
    ['x=-a', 'SKIFF_ERR_SELECTOR_INVALID_VALUE', 2],
    [`x = ${'v'.repeat(64)}`, 'SKIFF_ERR_SELECTOR_INVALID_VALUE', 4],
    ['x in (a, b_, c)', 'SKIFF_ERR_SELECTOR_INVALID_VALUE', 9],
    ['x>', 'SKIFF_ERR_SELECTOR_INVALID_VALUE', 2],
    ['x gt 1.5', 'SKIFF_ERR_SELECTOR_INVALID_VALUE', 5],
    ['x lt -1', 'SKIFF_ERR_SELECTOR_INVALID_VALUE', 5],
    ['x>9223372036854775808', 'SKIFF_ERR_SELECTOR_INVALID_VALUE', 2],
  ])('%j fails with %s at %i', (text, code, position) => {
    expect(parseError(text)).toEqual({ code, position });
  });
});
