import { describe, expect, it } from 'vitest';
import { withDeadline } from '../src/index.js';

const never = () => new Promise<string>(() => undefined);

describe('withDeadline', () => {
  it('settles as the work does when it answers in time, value or error', async () => {
    expect(await withDeadline(Promise.resolve('answer'), 1_000, () => 'late')).toBe('answer');
    await expect(withDeadline(Promise.reject(new Error('refused')), 1_000, () => 'late')).rejects.toThrow('refused');
  });

  it('settles with the fallback, or rejects with what onTimeout throws, when the work never answers', async () => {
    expect(await withDeadline(never(), 20, () => 'late')).toBe('late');
    await expect(
      withDeadline(never(), 20, () => {
        throw new Error('no answer within 20 ms');
      }),
    ).rejects.toThrow('no answer within 20 ms');
  });

  it('does not call onTimeout once the work answered', async () => {
    let called = 0;
    await withDeadline(Promise.resolve('answer'), 10, () => {
      called++;
      return 'late';
    });
    await new Promise((resolve) => setTimeout(resolve, 40));
    expect(called).toBe(0);
  });
});
