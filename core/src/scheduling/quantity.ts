import { SkiffError } from '../errors.js';
import type { Quantity } from '../generated/index.js';

const PATTERN = /^([+-]?)(\d*)(?:\.(\d*))?(?:(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E)|[eE]([+-]?\d+))?$/;
const BINARY: Record<string, number> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };
const DECIMAL: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const cache = new Map<string, bigint>();

function invalid(q: unknown): SkiffError {
  return new SkiffError('SKIFF_ERR_SCHEMA_INVALID', `${JSON.stringify(q)} is not a quantity (e.g. "100m", "1.5Gi", "2")`, { quantity: q });
}

/** The quantity in thousandths, rounded up (exact, via BigInt). */
function milli(q: Quantity): bigint {
  const text = typeof q === 'number' ? (Number.isFinite(q) ? String(q) : '') : String(q).trim();
  const hit = cache.get(text);
  if (hit !== undefined) return hit;
  const m = PATTERN.exec(text.includes('e') && typeof q === 'number' ? Number(q).toFixed(9) : text);
  if (!m || (m[2] === '' && (m[3] ?? '') === '')) throw invalid(q);
  const [, sign, whole = '', frac = '', suffix, exp] = m;
  let num = BigInt(`${whole}${frac}` || '0') * 1000n;
  let den = 10n ** BigInt(frac.length);
  if (suffix !== undefined && BINARY[suffix] !== undefined) num *= 2n ** BigInt(BINARY[suffix]);
  else {
    const e = exp !== undefined ? Number(exp) : DECIMAL[suffix ?? '']!;
    if (e >= 0) num *= 10n ** BigInt(e);
    else den *= 10n ** BigInt(-e);
  }
  let value = num / den + (num % den === 0n ? 0n : 1n);
  if (sign === '-') value = -(num / den);
  if (cache.size > 10_000) cache.clear();
  cache.set(text, value);
  return value;
}

/** A quantity in thousandths of a unit, rounded up (`"100m"` → 100 for cpu, `"1"` → 1000). */
export function quantityMilli(q: Quantity): number {
  return Number(milli(q));
}

/** A quantity in whole units, rounded up (`"1Gi"` → 1073741824, `"100m"` → 1). */
export function quantityValue(q: Quantity): number {
  const m = milli(q);
  return Number(m / 1000n + (m % 1000n > 0n ? 1n : 0n));
}
