/**
 * Hands out pod addresses from an IPv4 range (one per pod uid). The network address and the first
 * host (the "gateway") are never handed out; a released address can be handed out again.
 */
export class IpAllocator {
  private readonly first: number;
  private readonly last: number;
  private readonly byUid = new Map<string, string>();
  private readonly used = new Set<string>();

  constructor(readonly cidr: string) {
    const [addr, bitsText] = cidr.split('/');
    const bits = Number(bitsText);
    const base = ipToNumber(addr ?? '');
    if (!Number.isInteger(bits) || bits < 8 || bits > 30 || Number.isNaN(base)) throw new RangeError(`invalid pod CIDR ${cidr}`);
    const size = 2 ** (32 - bits);
    const network = base - (base % size);
    this.first = network + 2;
    this.last = network + size - 2;
  }

  /** The address of `uid`, allocating the lowest free one. Throws a RangeError when the range is full. */
  allocate(uid: string): string {
    const existing = this.byUid.get(uid);
    if (existing) return existing;
    for (let n = this.first; n <= this.last; n++) {
      const ip = numberToIp(n);
      if (!this.used.has(ip)) return this.reserve(uid, ip);
    }
    throw new RangeError(`pod CIDR ${this.cidr} is exhausted`);
  }

  /** Records that `uid` holds `ip` (adoption after a restart). */
  reserve(uid: string, ip: string): string {
    this.byUid.set(uid, ip);
    this.used.add(ip);
    return ip;
  }

  /** The address `uid` holds, if any. */
  get(uid: string): string | undefined {
    return this.byUid.get(uid);
  }

  /** Frees the address of `uid` (no-op when it has none). */
  release(uid: string): void {
    const ip = this.byUid.get(uid);
    if (ip === undefined) return;
    this.byUid.delete(uid);
    this.used.delete(ip);
  }

  /** True when `ip` lies in the range. */
  contains(ip: string): boolean {
    const n = ipToNumber(ip);
    return n >= this.first - 2 && n <= this.last + 1;
  }
}

function ipToNumber(ip: string): number {
  const parts = ip.split('.').map(Number);
  if (parts.length !== 4 || parts.some((p) => !Number.isInteger(p) || p < 0 || p > 255)) return Number.NaN;
  return ((parts[0]! * 256 + parts[1]!) * 256 + parts[2]!) * 256 + parts[3]!;
}

function numberToIp(n: number): string {
  return [Math.floor(n / 2 ** 24) % 256, Math.floor(n / 2 ** 16) % 256, Math.floor(n / 256) % 256, n % 256].join('.');
}
