/** Small helpers shared by the defaulting and validation code (not exported from the package). */

/** A JSON object of unknown shape. */
export type Obj = Record<string, unknown>;

/** What {@link isObj} narrows to: the object members of a typed value, or {@link Obj} for `unknown`. */
export type ObjOf<T> = unknown extends T ? Obj : Extract<T, object>;

/** True for a plain JSON object (not null, not an array). */
export function isObj<T>(value: T): value is ObjOf<T> & T {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** True for `undefined`, `null` and `''`: the values Go's zero-value checks treat as "not set". */
export function unset(value: unknown): boolean {
  return value === undefined || value === null || value === '';
}

/** True for a missing or empty map. */
export function isEmptyMap(value: unknown): boolean {
  return !isObj(value) || Object.keys(value).length === 0;
}
