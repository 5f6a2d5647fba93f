/**
 * The framing of Kubernetes protobuf bodies: the magic prefix `k8s\0` followed by a
 * `runtime.Unknown` carrying the type (apiVersion, kind) and the encoded object in `raw`.
 */
import { apiErrors } from '@skiff/core';
import { messageType } from './registry.js';

/** The four bytes every Kubernetes protobuf body starts with: `k8s\0`. */
export const PROTOBUF_MAGIC: Readonly<Uint8Array> = Uint8Array.of(0x6b, 0x38, 0x73, 0x00);

/** A body's envelope, unwrapped. */
export interface Envelope {
  apiVersion: string;
  kind: string;
  /** The encoded object (e.g. a `ConfigMap` message). */
  raw: Uint8Array;
}

function hasMagic(body: Uint8Array): boolean {
  return body.byteLength >= PROTOBUF_MAGIC.length && PROTOBUF_MAGIC.every((b, i) => body[i] === b);
}

/**
 * Unwraps a protobuf body. Throws a 400 BadRequest `ApiError` when the magic prefix is missing,
 * the envelope is malformed, it names no kind, or its content is encoded (Kubernetes never does).
 */
export function decodeEnvelope(body: Uint8Array): Envelope {
  if (!hasMagic(body)) throw apiErrors.badRequest('protobuf body does not start with the Kubernetes magic bytes "k8s\\x00"');
  let unknown: Record<string, unknown>;
  try {
    unknown = messageType('runtime.Unknown').decode(body.subarray(PROTOBUF_MAGIC.length)) as unknown as Record<string, unknown>;
  } catch (err) {
    throw apiErrors.badRequest(`malformed protobuf envelope: ${err instanceof Error ? err.message : String(err)}`);
  }
  const typeMeta = (unknown['typeMeta'] ?? {}) as Record<string, unknown>;
  const apiVersion = typeof typeMeta['apiVersion'] === 'string' ? typeMeta['apiVersion'] : '';
  const kind = typeof typeMeta['kind'] === 'string' ? typeMeta['kind'] : '';
  if (!kind) throw apiErrors.badRequest('protobuf body does not name a kind (runtime.Unknown typeMeta.kind is empty)');
  const encoding = unknown['contentEncoding'];
  if (typeof encoding === 'string' && encoding !== '') throw apiErrors.badRequest(`protobuf body uses unsupported contentEncoding "${encoding}"`);
  const raw = unknown['raw'] instanceof Uint8Array ? unknown['raw'] : new Uint8Array(0);
  return { apiVersion, kind, raw };
}

/** Wraps an encoded object the way Kubernetes clients do (used by tests and future responses). */
export function encodeEnvelope(apiVersion: string, kind: string, raw: Uint8Array): Buffer {
  const type = messageType('runtime.Unknown');
  const unknown = type.encode(type.fromObject({ typeMeta: { apiVersion, kind }, raw, contentEncoding: '', contentType: '' })).finish();
  return Buffer.concat([PROTOBUF_MAGIC, unknown]);
}
