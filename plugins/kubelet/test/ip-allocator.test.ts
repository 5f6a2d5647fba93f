import { describe, expect, it } from 'vitest';
import { IpAllocator } from '../src/index.js';

describe('IpAllocator', () => {
  it('hands out unique addresses in the range, skipping network and gateway, and reuses released ones', () => {
    const ips = new IpAllocator('127.10.0.0/29');
    const a = ips.allocate('a');
    const b = ips.allocate('b');
    expect(a).toBe('127.10.0.2');
    expect(b).toBe('127.10.0.3');
    expect(ips.allocate('a')).toBe(a);
    ips.release('a');
    expect(ips.allocate('c')).toBe('127.10.0.2');
    expect(ips.contains('127.10.0.6')).toBe(true);
    expect(ips.contains('127.10.1.2')).toBe(false);
  });

  it('fails when the range is exhausted', () => {
    const ips = new IpAllocator('127.10.0.0/30');
    expect(ips.allocate('a')).toBe('127.10.0.2');
    expect(() => ips.allocate('b')).toThrow(RangeError);
  });
});
