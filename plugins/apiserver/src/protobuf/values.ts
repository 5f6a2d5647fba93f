/**
 * Conversions of single protobuf values to their Kubernetes JSON form.
 */

/** What protobufjs yields for an `int64`: a number, or a Long-like `{ low, high }` object. */
type Int64 = number | bigint | { low: number; high: number; toNumber?: () => number };

/** An `int64` as a JavaScript number (Kubernetes' int64 fields stay well inside 2^53). */
export function int64ToNumber(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') return Number(value);
  const long = value as Int64 & object;
  if (typeof long === 'object' && long !== null && 'low' in long && 'high' in long) {
    return typeof long.toNumber === 'function' ? long.toNumber() : long.high * 0x1_0000_0000 + (long.low >>> 0);
  }
  return Number(value);
}

/** A `bytes` value as standard base64, the way Go's encoding/json writes `[]byte`. */
export function bytesToBase64(value: unknown): string {
  return value instanceof Uint8Array ? Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64') : '';
}

function field(message: unknown, name: string): unknown {
  return typeof message === 'object' && message !== null ? (message as Record<string, unknown>)[name] : undefined;
}

/**
 * A `Time` or `MicroTime` message as RFC 3339 in UTC: seconds precision
 * (`2024-01-02T03:04:05Z`) or, with `micro`, six fractional digits. The zero time (an empty
 * message, which is how Kubernetes writes it) gives `undefined`: Kubernetes' JSON has `null`.
 */
export function timeToString(message: unknown, micro: boolean): string | undefined {
  const seconds = int64ToNumber(field(message, 'seconds') ?? 0);
  const nanos = int64ToNumber(field(message, 'nanos') ?? 0);
  if (seconds === 0 && nanos === 0) return undefined;
  const iso = new Date(seconds * 1000).toISOString().slice(0, 19);
  if (!micro) return `${iso}Z`;
  return `${iso}.${String(Math.floor(nanos / 1000)).padStart(6, '0')}Z`;
}

/** An `IntOrString` message as a number (type 0) or a string (type 1). */
export function intOrStringValue(message: unknown): number | string {
  const type = int64ToNumber(field(message, 'type') ?? 0);
  if (type === 1) return String(field(message, 'strVal') ?? '');
  return int64ToNumber(field(message, 'intVal') ?? 0);
}

/** A `Quantity` message as its canonical string (`"100m"`, `"1Gi"`). */
export function quantityValue(message: unknown): string {
  return String(field(message, 'string') ?? '');
}

/** A `FieldsV1` message as the JSON object its raw bytes hold (`{}` when unreadable). */
export function fieldsV1Value(message: unknown): unknown {
  const raw = field(message, 'Raw');
  if (!(raw instanceof Uint8Array) || raw.byteLength === 0) return {};
  try {
    return JSON.parse(Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength).toString('utf8')) as unknown;
  } catch {
    return {};
  }
}

/** True for the zero value of a scalar: `""`, `0`, `false`, a zero Long or empty bytes. */
export function isZeroScalar(value: unknown): boolean {
  if (value === '' || value === 0 || value === false || value === 0n) return true;
  if (value instanceof Uint8Array) return value.byteLength === 0;
  if (typeof value === 'object' && value !== null && 'low' in value && 'high' in value) return int64ToNumber(value) === 0;
  return false;
}
