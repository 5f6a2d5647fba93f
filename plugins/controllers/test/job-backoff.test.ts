import { describe, expect, it } from 'vitest';
import { backoffDelayMs } from '../src/job/index.js';

describe('backoffDelayMs', () => {
  it.each([
    [0, 0],
    [1, 10_000],
    [2, 20_000],
    [3, 40_000],
    [6, 320_000],
    [7, 360_000],
    [100, 360_000],
  ])('after %i failures: %i ms', (failures, expected) => expect(backoffDelayMs(failures, 10_000, 360_000)).toBe(expected));
});
