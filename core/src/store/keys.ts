import { SkiffError } from '../errors.js';

/** Values larger than this (serialized JSON bytes) are refused, as etcd's default request limit does. */
export const MAX_VALUE_BYTES = 1.5 * 1024 * 1024;

/** Serializes a value for storage, refusing oversize values with `SKIFF_ERR_STORE_TOO_LARGE`. */
export function encodeValue(key: string, value: unknown): string {
  const text = JSON.stringify(value);
  const bytes = Buffer.byteLength(text);
  if (bytes > MAX_VALUE_BYTES) {
    throw new SkiffError('SKIFF_ERR_STORE_TOO_LARGE', `value for ${key} is ${bytes} bytes; the limit is ${MAX_VALUE_BYTES}`, {
      key,
      bytes,
      limit: MAX_VALUE_BYTES,
    });
  }
  return text;
}

export interface ContinueToken {
  /** The revision the first page was read at. */
  revision: number;
  /** The last key returned; the next page starts strictly after it. */
  startAfter: string;
}

/** Encodes a list continuation the way Kubernetes does: opaque base64 JSON. */
export function encodeContinue(token: ContinueToken): string {
  return Buffer.from(JSON.stringify({ v: 1, rv: token.revision, after: token.startAfter })).toString('base64url');
}

/** Decodes a continuation token, failing with `SKIFF_ERR_STORE_INVALID` when it is not one of ours. */
export function decodeContinue(text: string): ContinueToken {
  try {
    const parsed = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as { v?: unknown; rv?: unknown; after?: unknown };
    if (parsed.v === 1 && Number.isSafeInteger(parsed.rv) && typeof parsed.after === 'string') {
      return { revision: parsed.rv as number, startAfter: parsed.after };
    }
  } catch {
    // fall through to the coded error
  }
  throw new SkiffError('SKIFF_ERR_STORE_INVALID', 'the continue token is not valid', { continue: text });
}

/** Parses a resourceVersion string into a revision, or throws `SKIFF_ERR_STORE_INVALID`. */
export function parseRevision(resourceVersion: string): number {
  const n = Number(resourceVersion);
  if (!/^\d+$/.test(resourceVersion) || !Number.isSafeInteger(n)) {
    throw new SkiffError('SKIFF_ERR_STORE_INVALID', `resourceVersion ${JSON.stringify(resourceVersion)} is not a revision`, {
      resourceVersion,
    });
  }
  return n;
}
