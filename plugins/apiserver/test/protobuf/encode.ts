/**
 * Test helpers that build protobuf bodies with Skiff's own message descriptions, the way a
 * Kubernetes client would: encode the kind's message, wrap it in `runtime.Unknown`, prefix `k8s\0`.
 */
import { encodeEnvelope, messageForKind, messageType } from '../../src/protobuf/index.js';

/** Encodes `message` (in protobuf shape) as the message for `qualified` (e.g. `core.ConfigMap`). */
export function encodeMessage(qualified: string, message: Record<string, unknown>): Uint8Array {
  const type = messageType(qualified);
  const problem = type.verify(message);
  if (problem) throw new Error(`${qualified}: ${problem}`);
  return type.encode(type.fromObject(message)).finish();
}

/** A full protobuf request body for a kind Skiff decodes. */
export function encodeBody(apiVersion: string, kind: string, message: Record<string, unknown>): Buffer {
  const qualified = messageForKind(apiVersion, kind);
  if (!qualified) throw new Error(`no message for ${apiVersion} ${kind}`);
  return encodeEnvelope(apiVersion, kind, encodeMessage(qualified, message));
}

/** A `Time`/`MicroTime` message for an ISO timestamp. */
export function protoTime(iso: string, nanos = 0): { seconds: number; nanos: number } {
  return { seconds: Math.floor(Date.parse(iso) / 1000), nanos };
}

/** An `IntOrString` holding a number. */
export const intVal = (n: number) => ({ type: 0, intVal: n });
/** An `IntOrString` holding a string. */
export const strVal = (s: string) => ({ type: 1, strVal: s });
/** A `Quantity`. */
export const qty = (s: string) => ({ string: s });
