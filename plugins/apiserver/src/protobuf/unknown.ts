/**
 * Finds fields on the wire that Skiff's message descriptions do not cover. Kubernetes writes
 * every non-pointer field even when empty, so unknown fields that hold only zero values (an empty
 * string, `0`, an empty struct) are harmless; an unknown field with content would be silently
 * lost, so decoding reports it instead.
 */
import { Reader } from 'protobufjs';
import { isScalar, type FieldDef } from './fields.js';
import { messageDef } from './registry.js';

/** Wire types: varint, 64-bit, length-delimited, 32-bit. */
const VARINT = 0;
const FIXED64 = 1;
const BYTES = 2;
const FIXED32 = 5;

function isZeroFixed(bytes: Uint8Array): boolean {
  return bytes.every((b) => b === 0);
}

/** True when `bytes` parse as a message whose every field is zero or empty (recursively). */
export function isEmptyEncoding(bytes: Uint8Array, depth = 0): boolean {
  if (bytes.length === 0) return true;
  if (depth > 32) return false;
  try {
    const reader = Reader.create(bytes);
    while (reader.pos < reader.len) {
      const tag = reader.uint32();
      if (tag >>> 3 === 0) return false;
      switch (tag & 7) {
        case VARINT:
          if (reader.uint64().toString() !== '0') return false;
          break;
        case FIXED64:
          if (!isZeroFixed(reader.buf.subarray(reader.pos, reader.pos + 8))) return false;
          reader.skip(8);
          break;
        case FIXED32:
          if (!isZeroFixed(reader.buf.subarray(reader.pos, reader.pos + 4))) return false;
          reader.skip(4);
          break;
        case BYTES:
          if (!isEmptyEncoding(reader.bytes(), depth + 1)) return false;
          break;
        default:
          return false;
      }
    }
    return true;
  } catch {
    return false;
  }
}

function skipValue(reader: Reader, wireType: number): Uint8Array | undefined {
  if (wireType === BYTES) return reader.bytes();
  const start = reader.pos;
  reader.skipType(wireType);
  return reader.buf.subarray(start, reader.pos);
}

function isEmptyValue(wireType: number, value: Uint8Array | undefined): boolean {
  if (!value) return true;
  if (wireType === BYTES) return isEmptyEncoding(value);
  if (wireType === VARINT) return value.every((b) => b === 0);
  return isZeroFixed(value);
}

const byIdCache = new Map<string, ReadonlyMap<number, readonly [string, FieldDef]>>();

/** A message's described fields keyed by field number (cached). */
function fieldsById(type: string): ReadonlyMap<number, readonly [string, FieldDef]> {
  let byId = byIdCache.get(type);
  if (!byId) {
    byId = new Map(Object.entries(messageDef(type)).map(([name, def]) => [def.id, [name, def] as const]));
    byIdCache.set(type, byId);
  }
  return byId;
}

/** The message type a length-delimited value of `def` holds, for descending into it. */
function nestedType(def: FieldDef): string | undefined {
  return def.map || isScalar(def.type) ? undefined : def.type;
}

/**
 * The path of the first field in `bytes` (a message of qualified type `type`) that Skiff does not
 * describe and that holds content, such as `spec.template.spec.containers.<field 10>`; `undefined`
 * when every field with content is described.
 */
export function findUnknownField(type: string, bytes: Uint8Array, path = ''): string | undefined {
  const byId = fieldsById(type);
  const reader = Reader.create(bytes);
  while (reader.pos < reader.len) {
    const tag = reader.uint32();
    const wireType = tag & 7;
    const known = byId.get(tag >>> 3);
    const value = skipValue(reader, wireType);
    if (!known) {
      if (!isEmptyValue(wireType, value)) return `${path}<field ${tag >>> 3}>`;
      continue;
    }
    const [name, def] = known;
    const child = nestedType(def);
    const prefix = def.inline ? path : `${path}${name}.`;
    if (def.map && !isScalar(def.type) && value) {
      const found = findUnknownInMapEntry(def.type, value, prefix);
      if (found) return found;
    } else if (child && wireType === BYTES && value) {
      const found = findUnknownField(child, value, prefix);
      if (found) return found;
    }
  }
  return undefined;
}

/** Checks the message value (field 2) of one map entry. */
function findUnknownInMapEntry(valueType: string, entry: Uint8Array, path: string): string | undefined {
  const reader = Reader.create(entry);
  while (reader.pos < reader.len) {
    const tag = reader.uint32();
    const value = skipValue(reader, tag & 7);
    if (tag >>> 3 === 2 && (tag & 7) === BYTES && value) {
      const found = findUnknownField(valueType, value, path);
      if (found) return found;
    }
  }
  return undefined;
}
