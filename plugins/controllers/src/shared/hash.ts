/** Kubernetes' `rand.SafeEncodeString` alphabet: no vowels, no confusable characters. */
const ALPHANUMS = 'bcdfghjklmnpqrstvwxz2456789';

/** FNV-1a, 32 bits, over the UTF-8 bytes of `text`. */
export function fnv32a(text: string): number {
  let hash = 0x811c9dc5;
  for (const byte of Buffer.from(text, 'utf8')) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}

/** JSON with object keys sorted at every level, so equal values print equally. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * `value` without what Go's typed structs cannot tell from absent: nulls, and (after that, at every
 * level) empty objects and empty arrays — so `{ metadata: { creationTimestamp: null }, resources: {} }`
 * as kubectl sends a template equals the same template without them, as Kubernetes' semantic
 * equality (which treats nil and empty maps and slices alike) says.
 */
export function semanticValue(value: unknown): unknown {
  if (Array.isArray(value)) {
    const items = value.map(semanticValue).map((v) => (v === undefined ? null : v));
    return items.length === 0 ? undefined : items;
  }
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      const n = semanticValue(v);
      if (n !== undefined) out[k] = n;
    }
    return Object.keys(out).length === 0 ? undefined : out;
  }
  return value === null ? undefined : value;
}

/** {@link canonicalJson} of {@link semanticValue}: equal for semantically equal objects. */
export function semanticJson(value: unknown): string {
  return canonicalJson(semanticValue(value) ?? {});
}

/**
 * Kubernetes' `controller.ComputeHash`: FNV-32a of the object (here its {@link semanticJson}, where
 * Go hashes its deep printout) plus the collision count when set, printed in decimal and encoded
 * with `SafeEncodeString`. Stable across processes and restarts.
 */
export function computeHash(value: unknown, collisionCount?: number): string {
  let text = semanticJson(value);
  if (collisionCount !== undefined && collisionCount !== null) text += `#${collisionCount}`;
  const decimal = String(fnv32a(text));
  let out = '';
  for (const ch of decimal) out += ALPHANUMS[ch.charCodeAt(0) % ALPHANUMS.length];
  return out;
}
