/**
 * A small vocabulary for describing Kubernetes protobuf messages: field numbers and wire types
 * (which must match Kubernetes' `generated.proto`) plus the JSON rules Skiff needs to turn a
 * decoded message back into the object Kubernetes' JSON encoding would produce.
 *
 * @packageDocumentation
 */

/** Scalar wire types used by Kubernetes messages. */
export type ScalarType = 'string' | 'int32' | 'int64' | 'bool' | 'bytes' | 'double';

/**
 * Message types whose JSON form is not "an object of its fields":
 * `Time`/`MicroTime` become RFC 3339 strings, `IntOrString` a number or string, `Quantity` a
 * string and `FieldsV1` the JSON object its raw bytes hold.
 */
export type SpecialType = 'meta.Time' | 'meta.MicroTime' | 'intstr.IntOrString' | 'resource.Quantity' | 'meta.FieldsV1';

/** One field of a message. */
export interface FieldDef {
  /** The protobuf field number. */
  readonly id: number;
  /** A scalar type, or the qualified name of a message type (for maps: the value type). */
  readonly type: string;
  /** `repeated` field. */
  readonly repeated?: boolean;
  /** `map<string, type>` field. */
  readonly map?: boolean;
  /**
   * Keep a zero value (`0`, `false`, `""`) in JSON. Kubernetes writes every non-pointer scalar on
   * the wire, so zero values are dropped unless the Go field is a pointer or lacks `omitempty`.
   */
  readonly keep?: boolean;
  /** The Go field is embedded: its fields are merged into the parent's JSON (e.g. `Volume.volumeSource`). */
  readonly inline?: boolean;
}

/** A message: field name (its JSON name) → definition. */
export type MessageDef = Readonly<Record<string, FieldDef>>;

/** A set of messages keyed by their short name inside one package. */
export type PackageDef = Readonly<Record<string, MessageDef>>;

/** `optional string`; `keep` for fields without `omitempty` or pointer fields. */
export const str = (id: number, keep = false): FieldDef => ({ id, type: 'string', keep });
/** `optional int32`. */
export const i32 = (id: number, keep = false): FieldDef => ({ id, type: 'int32', keep });
/** `optional int64`. */
export const i64 = (id: number, keep = false): FieldDef => ({ id, type: 'int64', keep });
/** `optional bool`. */
export const bool = (id: number, keep = false): FieldDef => ({ id, type: 'bool', keep });
/** `optional bytes` (JSON: base64 string). */
export const bytes = (id: number): FieldDef => ({ id, type: 'bytes' });
/** `optional <Message>`. */
export const msg = (id: number, type: string): FieldDef => ({ id, type });
/** An embedded `optional <Message>` whose fields are inlined in JSON. */
export const inline = (id: number, type: string): FieldDef => ({ id, type, inline: true });
/** `repeated <Message>` (or a repeated scalar when `type` is a scalar). */
export const list = (id: number, type: string): FieldDef => ({ id, type, repeated: true });
/** `repeated string`. */
export const strs = (id: number): FieldDef => ({ id, type: 'string', repeated: true });
/** `map<string, string>`. */
export const strMap = (id: number): FieldDef => ({ id, type: 'string', map: true });
/** `map<string, bytes>` (JSON values: base64 strings). */
export const bytesMap = (id: number): FieldDef => ({ id, type: 'bytes', map: true });
/** `map<string, Quantity>` (JSON values: quantity strings), e.g. resource limits. */
export const qtyMap = (id: number): FieldDef => ({ id, type: 'resource.Quantity', map: true });
/** `optional Time` (RFC 3339, seconds precision). */
export const time = (id: number): FieldDef => ({ id, type: 'meta.Time' });
/** `optional MicroTime` (RFC 3339, microsecond precision). */
export const microTime = (id: number): FieldDef => ({ id, type: 'meta.MicroTime' });
/** `optional IntOrString`. */
export const intOrString = (id: number): FieldDef => ({ id, type: 'intstr.IntOrString' });
/** `optional Quantity`. */
export const quantity = (id: number): FieldDef => ({ id, type: 'resource.Quantity' });
/** `optional ObjectMeta metadata = 1`, the first field of every top-level kind. */
export const objectMeta = (id = 1): FieldDef => ({ id, type: 'meta.ObjectMeta' });

/** True when `type` is a scalar wire type rather than a message name. */
export function isScalar(type: string): type is ScalarType {
  return type === 'string' || type === 'int32' || type === 'int64' || type === 'bool' || type === 'bytes' || type === 'double';
}
