import { describe, expect, it } from 'vitest';
import type { Toleration } from '@skiff/core';
import { tolerationMs, toleratesTaint } from '../src/node-lifecycle/index.js';

const taint = { key: 'node.kubernetes.io/unreachable', effect: 'NoExecute' as const };

describe('tolerations', () => {
  it.each<[string, Toleration, boolean]>([
    ['Exists on the key', { key: taint.key, operator: 'Exists' }, true],
    ['Exists on everything', { operator: 'Exists' }, true],
    ['another effect', { key: taint.key, operator: 'Exists', effect: 'NoSchedule' }, false],
    ['Equal with the empty value', { key: taint.key, operator: 'Equal', value: '' }, true],
    ['Equal with another value', { key: taint.key, operator: 'Equal', value: 'x' }, false],
    ['another key', { key: 'other', operator: 'Exists' }, false],
  ])('%s', (_n, toleration, expected) => expect(toleratesTaint(toleration, taint)).toBe(expected));

  it('tolerationMs: the smallest matching seconds, forever without seconds, the fallback without a match', () => {
    expect(tolerationMs([{ key: taint.key, operator: 'Exists', tolerationSeconds: 30 }, { operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 5 }], taint, 1)).toBe(5_000);
    expect(tolerationMs([{ key: taint.key, operator: 'Exists' }], taint, 1)).toBeUndefined();
    expect(tolerationMs([{ key: 'other', operator: 'Exists' }], taint, 123)).toBe(123);
    expect(tolerationMs([{ key: taint.key, operator: 'Exists', tolerationSeconds: -4 }], taint, 1)).toBe(0);
  });
});
