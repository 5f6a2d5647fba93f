/**
 * Decoding whole Kubernetes protobuf request bodies into JSON-shaped objects.
 */
import { apiErrors, type ApiError, type KubeObject } from '@skiff/core';
import { messageToJson } from './convert.js';
import { decodeEnvelope, type Envelope } from './envelope.js';
import { DELETE_OPTIONS, kindMessages, messageForKind, messageType } from './registry.js';
import { findUnknownField } from './unknown.js';

/** The Kubernetes protobuf media type. */
export const PROTOBUF_CONTENT_TYPE = 'application/vnd.kubernetes.protobuf';

/** Options for decoding. */
export interface DecodeOptions {
  /**
   * What to do with fields on the wire that Skiff does not describe and that hold content:
   * `'reject'` (default) answers 415 naming the field, since dropping it would silently lose data;
   * `'drop'` ignores them. Unknown fields holding only zero values are always ignored.
   */
  unknownFields?: 'reject' | 'drop';
}

/** A decoded `DeleteOptions` body, in its JSON shape. */
export interface DeleteOptionsBody {
  apiVersion: string;
  kind: 'DeleteOptions';
  gracePeriodSeconds?: number;
  preconditions?: { uid?: string; resourceVersion?: string };
  orphanDependents?: boolean;
  propagationPolicy?: string;
  dryRun?: string[];
  ignoreStoreReadErrorWithClusterBreakingPotential?: boolean;
}

/**
 * True when `contentType` is `application/vnd.kubernetes.protobuf`, ignoring case and parameters
 * (`; charset=…`). The watch-stream variant (`;stream=watch`) is not a request body type.
 */
export function isProtobufContentType(contentType?: string): boolean {
  if (!contentType) return false;
  const [mediaType = '', ...params] = contentType.split(';').map((part) => part.trim().toLowerCase());
  return mediaType === PROTOBUF_CONTENT_TYPE && !params.some((p) => p.replace(/\s+/g, '') === 'stream=watch');
}

function unsupportedKind(envelope: Envelope): ApiError {
  const gvk = `${envelope.apiVersion || '<no apiVersion>'}, Kind=${envelope.kind}`;
  const supported = [...Object.keys(kindMessages).map((k) => k.replace(/\/(?=[^/]*$)/, ', Kind=')), 'DeleteOptions'].join('; ');
  return apiErrors.unsupportedMediaType(
    `${PROTOBUF_CONTENT_TYPE} for ${gvk}: Skiff does not decode this kind from protobuf, send it as application/json (protobuf is decoded for: ${supported})`,
  );
}

function decodeRaw(qualified: string, envelope: Envelope, options: DecodeOptions): Record<string, unknown> {
  let json: Record<string, unknown>;
  let unknownField: string | undefined;
  try {
    json = messageToJson(qualified, messageType(qualified).decode(envelope.raw));
    if (options.unknownFields !== 'drop') unknownField = findUnknownField(qualified, envelope.raw);
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    throw apiErrors.badRequest(`malformed protobuf ${envelope.apiVersion} ${envelope.kind}: ${why}`, { kind: envelope.kind });
  }
  if (unknownField !== undefined) {
    throw apiErrors.unsupportedMediaType(
      `${PROTOBUF_CONTENT_TYPE} for ${envelope.apiVersion}, Kind=${envelope.kind}: field ${unknownField} is set but Skiff does not decode it from protobuf, send the object as application/json`,
    );
  }
  return json;
}

/**
 * Decodes a protobuf request body (magic `k8s\0` + `runtime.Unknown`) into the object Kubernetes'
 * JSON would carry, with `apiVersion` and `kind` from the envelope and `metadata` always present.
 * Throws a 415 UnsupportedMediaType `ApiError` naming the kind when Skiff has no description of
 * it (or naming the field when a field Skiff does not describe holds content, see
 * {@link DecodeOptions}), and a 400 BadRequest `ApiError` for malformed bytes or a missing magic
 * prefix.
 */
export function decodeProtobufObject(body: Buffer, options: DecodeOptions = {}): KubeObject {
  const envelope = decodeEnvelope(body);
  const qualified = messageForKind(envelope.apiVersion, envelope.kind);
  if (!qualified) throw unsupportedKind(envelope);
  const json = decodeRaw(qualified, envelope, options);
  const metadata = (json['metadata'] ?? {}) as KubeObject['metadata'];
  return { apiVersion: envelope.apiVersion, kind: envelope.kind, ...json, metadata };
}

/**
 * Decodes a protobuf `DeleteOptions` body (as `kubectl drain` and typed clients send with DELETE).
 * Any apiVersion is accepted, since every group registers DeleteOptions; other kinds give 415.
 */
export function decodeProtobufDeleteOptions(body: Buffer, options: DecodeOptions = {}): DeleteOptionsBody {
  const envelope = decodeEnvelope(body);
  if (envelope.kind !== 'DeleteOptions') throw unsupportedKind(envelope);
  const json = decodeRaw(DELETE_OPTIONS, envelope, options);
  return { apiVersion: envelope.apiVersion || 'meta.k8s.io/v1', kind: 'DeleteOptions', ...json };
}

/**
 * Decodes any supported protobuf request body: `DeleteOptions` bodies via
 * {@link decodeProtobufDeleteOptions}, everything else via {@link decodeProtobufObject}.
 */
export function decodeProtobufBody(body: Buffer, options: DecodeOptions = {}): KubeObject | DeleteOptionsBody {
  const envelope = decodeEnvelope(body);
  return envelope.kind === 'DeleteOptions' ? decodeProtobufDeleteOptions(body, options) : decodeProtobufObject(body, options);
}
