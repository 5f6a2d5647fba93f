import { createHash } from 'node:crypto';

/** A JSON value. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/**
 * A deep copy of a JSON value with every object's keys sorted (arrays keep their order), so
 * documents built from equal inputs serialise to equal bytes whatever order the inputs came in.
 * `undefined` members are dropped; non-JSON values (functions, symbols) become `null`.
 */
export function sortKeys(value: unknown): Json {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'object') {
    const out: { [key: string]: Json } = {};
    for (const key of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[key];
      if (v !== undefined) out[key] = sortKeys(v);
    }
    return out;
  }
  return null;
}

/**
 * The hash Kubernetes puts in `/openapi/v3` `serverRelativeURL`s: SHA-512 of the document's JSON
 * (keys sorted, no whitespace), upper-case hex. Equal documents hash equally.
 */
export function documentHash(document: unknown): string {
  return createHash('sha512').update(JSON.stringify(sortKeys(document))).digest('hex').toUpperCase();
}
