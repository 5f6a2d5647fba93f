import { apiErrors } from '@skiff/core';
import YAML from 'yaml';
import { decodeProtobufBody } from '../protobuf/index.js';

/** The media type of a Content-Type header, lowercase and without parameters ('' when absent). */
export function mediaType(contentType: string | undefined): string {
  return (contentType ?? '').split(';')[0]!.trim().toLowerCase();
}

const JSON_TYPES = new Set([
  '',
  'application/json',
  'application/merge-patch+json',
  'application/json-patch+json',
  'application/strategic-merge-patch+json',
]);
const YAML_TYPES = new Set(['application/apply-patch+yaml', 'application/yaml']);
export const PROTOBUF = 'application/vnd.kubernetes.protobuf';

/**
 * Decodes a request body by its Content-Type: JSON (also when no Content-Type is sent, as
 * `kubectl scale --current-replicas` does), the JSON patch flavours, and YAML for server-side
 * apply, and Kubernetes' protobuf (`application/vnd.kubernetes.protobuf`, which kubectl 1.32 sends
 * for imperative `create`) for the kinds the protobuf module describes. Anything else answers 415.
 */
export function decodeBody(contentType: string | undefined, body: Buffer): unknown {
  const type = mediaType(contentType);
  if (JSON_TYPES.has(type)) {
    const text = body.toString('utf8');
    if (text.trim() === '') throw apiErrors.badRequest('the request body is empty');
    try {
      return JSON.parse(text) as unknown;
    } catch (err) {
      throw apiErrors.badRequest(`the request body is not valid JSON: ${(err as Error).message}`);
    }
  }
  if (YAML_TYPES.has(type)) {
    const text = body.toString('utf8');
    if (text.trim() === '') throw apiErrors.badRequest('the request body is empty');
    try {
      // Aliases are bounded so a hostile document cannot expand without limit.
      return YAML.parse(text, { maxAliasCount: 100, merge: false }) as unknown;
    } catch (err) {
      throw apiErrors.badRequest(`the request body is not valid YAML: ${(err as Error).message}`);
    }
  }
  if (type === PROTOBUF) return decodeProtobufBody(body);
  throw apiErrors.unsupportedMediaType(type);
}
