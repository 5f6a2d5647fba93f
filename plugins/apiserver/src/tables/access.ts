/** Safe readers for loosely typed object fields: printers never throw on malformed objects. */

export type Obj = Record<string, unknown>;

/** The value when it is a plain object, else an empty object. */
export function obj(v: unknown): Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Obj) : {};
}

/** The value when it is an array, else an empty array. */
export function arr(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

/** The value when it is a string, else `''`. */
export function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

/** The value when it is a finite number, else `fallback` (0). */
export function num(v: unknown, fallback = 0): number {
  return typeof v === 'number' && Number.isFinite(v) ? v : fallback;
}

/** Follows a path of object keys, yielding undefined past any non-object. */
export function get(v: unknown, ...path: string[]): unknown {
  let cur = v;
  for (const key of path) {
    if (typeof cur !== 'object' || cur === null || Array.isArray(cur)) return undefined;
    cur = (cur as Obj)[key];
  }
  return cur;
}
