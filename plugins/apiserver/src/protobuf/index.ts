/**
 * Decoding of Kubernetes protobuf request bodies (`Content-Type: application/vnd.kubernetes.protobuf`),
 * which kubectl ≥ 1.32 sends for typed-client commands such as `kubectl create configmap`.
 *
 * @packageDocumentation
 */
export {
  PROTOBUF_CONTENT_TYPE,
  decodeProtobufBody,
  decodeProtobufBody as decodeBody,
  decodeProtobufDeleteOptions,
  decodeProtobufObject,
  isProtobufContentType,
  type DecodeOptions,
  type DeleteOptionsBody,
} from './decode.js';
export { PROTOBUF_MAGIC, decodeEnvelope, encodeEnvelope, type Envelope } from './envelope.js';
export { kindMessages, messageForKind, messageType } from './registry.js';
export { messageToJson } from './convert.js';
export { findUnknownField } from './unknown.js';
