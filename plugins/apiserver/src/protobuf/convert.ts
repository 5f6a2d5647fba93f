/**
 * Turns a decoded protobufjs message into the object Kubernetes' JSON encoding would produce,
 * following Skiff's message descriptions.
 */
import type { FieldDef } from './fields.js';
import { isScalar } from './fields.js';
import { messageDef } from './registry.js';
import { bytesToBase64, fieldsV1Value, int64ToNumber, intOrStringValue, isZeroScalar, quantityValue, timeToString } from './values.js';

type Json = Record<string, unknown>;

/** One value of type `type` (a scalar or a message name); `undefined` means "leave it out". */
function convertValue(type: string, value: unknown): unknown {
  switch (type) {
    case 'int64':
      return int64ToNumber(value);
    case 'bytes':
      return bytesToBase64(value);
    case 'meta.Time':
      return timeToString(value, false);
    case 'meta.MicroTime':
      return timeToString(value, true);
    case 'intstr.IntOrString':
      return intOrStringValue(value);
    case 'resource.Quantity':
      return quantityValue(value);
    case 'meta.FieldsV1':
      return fieldsV1Value(value);
    default:
      return isScalar(type) ? value : messageToJson(type, value);
  }
}

function convertField(def: FieldDef, value: unknown): unknown {
  if (def.repeated) {
    if (!Array.isArray(value) || value.length === 0) return undefined;
    return value.map((item: unknown) => convertValue(def.type, item));
  }
  if (def.map) {
    if (typeof value !== 'object' || value === null) return undefined;
    const entries = Object.entries(value as Json);
    if (entries.length === 0) return undefined;
    return Object.fromEntries(entries.map(([k, v]) => [k, convertValue(def.type, v)]));
  }
  if (isScalar(def.type) && !def.keep && isZeroScalar(value)) return undefined;
  return convertValue(def.type, value);
}

/**
 * A decoded message of the qualified type `type` (e.g. `apps.Deployment`) as Kubernetes JSON.
 * Only fields present on the wire appear; zero scalars are dropped unless the field keeps them
 * (pointers, fields without `omitempty`); empty lists and maps are dropped; embedded messages are
 * merged into their parent; fields Skiff does not describe are ignored.
 */
export function messageToJson(type: string, message: unknown): Json {
  const out: Json = {};
  if (typeof message !== 'object' || message === null) return out;
  const source = message as Json;
  for (const [name, def] of Object.entries(messageDef(type))) {
    if (!Object.prototype.hasOwnProperty.call(source, name)) continue;
    const value = convertField(def, source[name]);
    if (value === undefined) continue;
    if (def.inline && typeof value === 'object' && value !== null) Object.assign(out, value);
    else out[name] = value;
  }
  return out;
}
