/**
 * Reads the protobuf file descriptors Kubernetes' generated Go code registers (gzipped
 * `FileDescriptorProto`s embedded in the kubectl binary), so tests can check Skiff's own message
 * descriptions against the field numbers and types real Kubernetes clients use.
 */
import { readFileSync } from 'node:fs';
import { constants, gunzipSync } from 'node:zlib';
import { Root, type Type } from 'protobufjs';

/** One field as the descriptor states it. */
export interface DescribedField {
  number: number;
  /** `FieldDescriptorProto.Type` (9 string, 5 int32, 3 int64, 8 bool, 12 bytes, 11 message, 1 double). */
  type: number;
  repeated: boolean;
  /** Fully qualified message type without the leading dot (for message fields). */
  typeName: string;
  /** For map fields: the value field's type and type name. */
  mapValue?: { type: number; typeName: string };
}

/** Fully qualified message name → field name → field. */
export type DescribedMessages = Map<string, Map<string, DescribedField>>;

const descriptorSchema = {
  nested: {
    FileDescriptorProto: { edition: 'proto2', fields: { name: { id: 1, type: 'string' }, package: { id: 2, type: 'string' }, messageType: { id: 4, type: 'DescriptorProto', rule: 'repeated' } } },
    DescriptorProto: {
      edition: 'proto2',
      fields: {
        name: { id: 1, type: 'string' },
        field: { id: 2, type: 'FieldDescriptorProto', rule: 'repeated' },
        nestedType: { id: 3, type: 'DescriptorProto', rule: 'repeated' },
        options: { id: 7, type: 'MessageOptions' },
      },
    },
    MessageOptions: { edition: 'proto2', fields: { mapEntry: { id: 7, type: 'bool' } } },
    FieldDescriptorProto: {
      edition: 'proto2',
      fields: { name: { id: 1, type: 'string' }, number: { id: 3, type: 'int32' }, label: { id: 4, type: 'int32' }, type: { id: 5, type: 'int32' }, typeName: { id: 6, type: 'string' } },
    },
  },
};

interface RawField { name: string; number: number; label: number; type: number; typeName?: string }
interface RawMessage { name: string; field: RawField[]; nestedType: RawMessage[]; options?: { mapEntry?: boolean } }
interface RawFile { name: string; package: string; messageType: RawMessage[] }

const GZIP_HEADER = Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0xff]);

function* gzipMembers(binary: Buffer): Generator<Buffer> {
  for (let at = binary.indexOf(GZIP_HEADER); at >= 0; at = binary.indexOf(GZIP_HEADER, at + 1)) {
    try {
      yield gunzipSync(binary.subarray(at, at + 1_000_000), { finishFlush: constants.Z_SYNC_FLUSH });
    } catch {
      // not a complete gzip member
    }
  }
}

function addMessages(out: DescribedMessages, prefix: string, messages: RawMessage[]): void {
  for (const message of messages) {
    const fullName = `${prefix}.${message.name}`;
    const entries = new Map(message.nestedType.filter((n) => n.options?.mapEntry).map((n) => [`${fullName}.${n.name}`, n]));
    const fields = new Map<string, DescribedField>();
    for (const f of message.field) {
      const typeName = (f.typeName ?? '').replace(/^\./, '');
      const entry = entries.get(typeName);
      const value = entry?.field.find((v) => v.number === 2);
      fields.set(f.name, {
        number: f.number,
        type: f.type,
        repeated: f.label === 3 && !entry,
        typeName,
        ...(value ? { mapValue: { type: value.type, typeName: (value.typeName ?? '').replace(/^\./, '') } } : {}),
      });
    }
    out.set(fullName, fields);
    addMessages(out, fullName, message.nestedType);
  }
}

/** Every Kubernetes message described in `binaryPath`'s embedded `generated.proto` descriptors. */
export function readKubernetesDescriptors(binaryPath: string): DescribedMessages {
  const fileType: Type = Root.fromJSON(descriptorSchema as Parameters<typeof Root.fromJSON>[0]).lookupType('FileDescriptorProto');
  const out: DescribedMessages = new Map();
  for (const member of gzipMembers(readFileSync(binaryPath))) {
    if (member[0] !== 0x0a) continue;
    let file: RawFile;
    try {
      file = fileType.toObject(fileType.decode(member), { defaults: true, arrays: true }) as RawFile;
    } catch {
      continue;
    }
    if (!file.name.endsWith('generated.proto') || !file.package.startsWith('k8s.io.')) continue;
    addMessages(out, file.package, file.messageType);
  }
  return out;
}
