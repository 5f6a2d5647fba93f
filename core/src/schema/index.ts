/**
 * JSON Schemas for the built-in kinds, and validation that reports Kubernetes-style causes.
 * The generated TypeScript types for the schemas live in `../generated/index.js`.
 */
export { assertValid } from './assert.js';
export { createBuiltinSchemaRegistry } from './builtin.js';
export { builtinSchemas, OBJECT_META_SCHEMA_ID, SCHEMA_BASE_URI, sharedSchemas } from './documents.js';
export { SchemaRegistry } from './registry.js';
export type {
  SchemaDocument,
  SchemaGVK,
  SchemaRegisterOptions,
  SchemaValidateOptions,
  SchemaValidationResult,
  StatusCause,
  StatusCauseReason,
  UnknownFieldPolicy,
} from './types.js';
