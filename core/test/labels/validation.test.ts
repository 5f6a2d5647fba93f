import { describe, expect, it } from 'vitest';
import { validateLabelKey, validateLabelValue } from '../../src/labels/index.js';

const a = (n: number) => 'a'.repeat(n);
/** A valid DNS-1123 subdomain of exactly n characters (labels of 'a' separated by dots). */
const subdomain = (n: number) => (a(n - 2) + '.a').slice(0, n);

describe('validateLabelKey', () => {
  it.each([
    'a',
    'A',
    '1',
    'app',
    'MyName',
    'my.name',
    '123-abc',
    'a_b',
    'a-b.c_D9',
    a(63),
    'example.com/MyName',
    'k8s.io/app',
    'app.kubernetes.io/managed-by',
    'this-is-a-dns.domain.com/key-with-dash',
    '0.1.2.domain/99',
    'a/b',
    `${subdomain(253)}/x`,
    `${subdomain(253)}/${a(63)}`,
  ])('accepts %j', (key) => {
    expect(validateLabelKey(key)).toEqual([]);
  });

  it.each([
    ['empty', ''],
    ['64-char name', a(64)],
    ['leading dash', '-a'],
    ['trailing dash', 'a-'],
    ['leading dot', '.a'],
    ['trailing underscore', 'a_'],
    ['space', 'a b'],
    ['illegal character', 'a*b'],
    ['non-ASCII', 'café'],
    ['empty name after prefix', 'example.com/'],
    ['empty prefix', '/name'],
    ['two slashes', 'a/b/c'],
    ['uppercase prefix', 'Example.com/name'],
    ['underscore in prefix', 'my_domain.com/name'],
    ['prefix label ending in dash', 'a-.com/name'],
    ['prefix with empty label', 'a..com/name'],
    ['prefix starting with dot', '.a.com/name'],
    ['254-char prefix', `${subdomain(254)}/x`],
    ['64-char name after prefix', `example.com/${a(64)}`],
  ])('rejects %s', (_, key) => {
    expect(validateLabelKey(key).length).toBeGreaterThan(0);
  });
});

describe('validateLabelValue', () => {
  it.each(['', 'a', 'A', '0', 'MyValue', 'my_value', '12345', 'v1.2.3', 'a-b_c.d', a(63)])('accepts %j', (value) => {
    expect(validateLabelValue(value)).toEqual([]);
  });

  it.each([
    ['64 chars', a(64)],
    ['leading dash', '-1'],
    ['leading plus', '+1'],
    ['trailing dot', 'a.'],
    ['leading underscore', '_a'],
    ['slash', 'a/b'],
    ['space', 'a b'],
    ['comma', 'a,b'],
    ['equals', 'a=b'],
  ])('rejects %s', (_, value) => {
    expect(validateLabelValue(value).length).toBeGreaterThan(0);
  });
});
