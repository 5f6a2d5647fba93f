/** A JSON Schema document or sub-schema, as plain JSON (draft-07 / OpenAPI v3 structural). */
export type SchemaDocument = Record<string, unknown>;

/** A Kubernetes group, version and kind; the core group is the empty string. */
export interface SchemaGVK {
  group: string;
  version: string;
  kind: string;
}

/**
 * Machine-readable reasons a field is at fault, as in Kubernetes' `metav1.CauseType`
 * (and `field.ErrorType`).
 */
export type StatusCauseReason =
  | 'FieldValueRequired'
  | 'FieldValueInvalid'
  | 'FieldValueNotSupported'
  | 'FieldValueTypeInvalid'
  | 'FieldValueTooLong'
  | 'FieldValueTooMany'
  | 'FieldValueDuplicate'
  | 'FieldValueForbidden';

/**
 * One problem with one field, shaped like a Kubernetes `StatusCause` with every member set:
 * `field` is a Kubernetes field path such as `spec.containers[0].image` or `metadata.labels[app]`.
 */
export interface StatusCause {
  field: string;
  reason: StatusCauseReason;
  message: string;
}

/**
 * What to do with fields the schema does not declare, like Kubernetes' field validation:
 * `ignore` does not look for them, `warn` lists them in `unknownFields`, `strict` also makes each
 * one a cause (so the object is invalid).
 */
export type UnknownFieldPolicy = 'ignore' | 'warn' | 'strict';

/** Options for {@link SchemaRegistry.validate}. */
export interface SchemaValidateOptions {
  /** Defaults to `warn`. */
  unknownFields?: UnknownFieldPolicy;
}

/** The outcome of {@link SchemaRegistry.validate}. */
export interface SchemaValidationResult {
  /** True when there are no causes. */
  valid: boolean;
  /** One entry per problem, deduplicated by field and reason, in schema order. */
  causes: StatusCause[];
  /** Field paths (`spec.containers[0].imagee`) the schema does not declare; empty with `ignore`. */
  unknownFields: string[];
}

/** Options for {@link SchemaRegistry.register}. */
export interface SchemaRegisterOptions {
  /**
   * Enforce `x-kubernetes-list-type` uniqueness (`map` keys and `set` items must not repeat,
   * `FieldValueDuplicate`), as Kubernetes does for custom resources. Defaults to true; the
   * built-in kinds are registered with false, because built-in validation only rejects some
   * duplicates (and the API layer checks those).
   */
  enforceListTypes?: boolean;
}
