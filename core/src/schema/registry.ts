import type { ValidateFunction } from 'ajv';
import { SkiffError } from '../errors.js';
import { createAjv } from './ajv.js';
import { causesFromAjv, dedupeCauses } from './causes.js';
import { OBJECT_META_SCHEMA_ID, sharedSchemas } from './documents.js';
import { fieldPath } from './paths.js';
import { prepareSchema } from './prepare.js';
import { isObject, SchemaResolver, type Located } from './resolver.js';
import type {
  SchemaDocument,
  SchemaGVK,
  SchemaRegisterOptions,
  SchemaValidateOptions,
  SchemaValidationResult,
  StatusCause,
} from './types.js';
import { walkObject } from './walk.js';

interface Entry {
  original: SchemaDocument;
  root: Located;
  enforceListTypes: boolean;
  validate?: ValidateFunction;
}

const apiVersionOf = (gvk: SchemaGVK): string => (gvk.group ? `${gvk.group}/${gvk.version}` : gvk.version);

/**
 * Schemas by apiVersion and kind, compiled with ajv on first use and cached. Validation reports
 * Kubernetes-style causes and unknown fields. Start from {@link createBuiltinSchemaRegistry} to get
 * the built-in kinds; {@link SchemaRegistry.register} adds more (e.g. a CRD's `openAPIV3Schema`).
 */
export class SchemaRegistry {
  private readonly ajv = createAjv();
  private readonly resolver = new SchemaResolver();
  private readonly entries = new Map<string, Entry>();
  private generationValue = 0;

  /** `documents` are the schemas kinds may `$ref` (each with an absolute `$id`); defaults to {@link sharedSchemas}. */
  constructor(documents: readonly SchemaDocument[] = Object.values(sharedSchemas)) {
    for (const doc of documents) this.ajv.addSchema(doc);
    this.resolver.add(...documents);
  }

  /**
   * Registers (or replaces) the schema for a kind. Accepts our draft-07 documents and plain OpenAPI
   * v3 structural schemas (`x-kubernetes-*` keywords, `nullable`); `apiVersion`, `kind` and
   * `metadata` (ObjectMeta) are implied when the schema does not declare them.
   */
  /** Goes up on every register and unregister, so derived documents (OpenAPI) know to rebuild. */
  get generation(): number {
    return this.generationValue;
  }

  register(gvk: SchemaGVK, schema: SchemaDocument, options: SchemaRegisterOptions = {}): void {
    this.generationValue++;
    const prepared = prepareSchema(schema, gvk, apiVersionOf(gvk));
    const id = prepared['$id'] as string;
    this.ajv.removeSchema(id);
    this.resolver.add(prepared);
    this.entries.set(`${apiVersionOf(gvk)}/${gvk.kind}`, {
      original: schema,
      root: { schema: prepared, base: id },
      enforceListTypes: options.enforceListTypes ?? true,
    });
  }

  /** Forgets the schema of a kind (a deleted custom resource definition); unknown kinds are ignored. */
  unregister(apiVersion: string, kind: string): void {
    const entry = this.entries.get(`${apiVersion}/${kind}`);
    if (!entry) return;
    this.ajv.removeSchema(entry.root.schema['$id'] as string);
    this.entries.delete(`${apiVersion}/${kind}`);
    this.generationValue++;
  }

  /** True when a schema is registered for the kind. */
  has(apiVersion: string, kind: string): boolean {
    return this.entries.has(`${apiVersion}/${kind}`);
  }

  /** The schema registered for the kind, as it was given. Throws `SKIFF_ERR_SCHEMA_UNKNOWN_KIND`. */
  get(apiVersion: string, kind: string): SchemaDocument {
    return this.entry(apiVersion, kind).original;
  }

  /**
   * Validates an object against the schema of its `apiVersion` and `kind`; does not modify it.
   * As Kubernetes does, `null` members of non-nullable fields count as unset. Throws
   * `SKIFF_ERR_SCHEMA_UNKNOWN_KIND` when no schema is registered for the object's kind.
   */
  validate(object: unknown, options: SchemaValidateOptions = {}): SchemaValidationResult {
    const apiVersion = isObject(object) ? object['apiVersion'] : undefined;
    const kind = isObject(object) ? object['kind'] : undefined;
    const entry = this.entry(apiVersion, kind);
    const policy = options.unknownFields ?? 'warn';
    const walked = walkObject(this.resolver, entry.root, object, {
      unknownFields: policy !== 'ignore',
      listTypes: entry.enforceListTypes,
      objectMetaId: OBJECT_META_SCHEMA_ID,
    });
    entry.validate ??= this.ajv.compile(entry.root.schema);
    const ok = entry.validate(walked.data);
    const errors = ok ? [] : [...(entry.validate.errors ?? [])];
    const causes: StatusCause[] = causesFromAjv(errors, (pointer) => fieldPath(this.resolver, entry.root, walked.data, pointer));
    causes.push(...walked.duplicates);
    if (policy === 'strict') {
      for (const field of walked.unknownFields) causes.push({ field, reason: 'FieldValueInvalid', message: `unknown field "${field}"` });
    }
    const unique = dedupeCauses(causes);
    return { valid: unique.length === 0, causes: unique, unknownFields: walked.unknownFields };
  }

  private entry(apiVersion: unknown, kind: unknown): Entry {
    const entry = typeof apiVersion === 'string' && typeof kind === 'string' ? this.entries.get(`${apiVersion}/${kind}`) : undefined;
    if (!entry) {
      throw new SkiffError('SKIFF_ERR_SCHEMA_UNKNOWN_KIND', `no schema is registered for ${String(apiVersion)}, Kind=${String(kind)}`, {
        apiVersion,
        kind,
      });
    }
    return entry;
  }
}
