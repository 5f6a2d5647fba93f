export * from './errors.js';
export * from './objects/types.js';
export * from './labels/index.js';
export * from './schema/index.js';
export * from './store/index.js';
export * from './reconcile/index.js';
export * from './kernel/index.js';
export * from './api/index.js';
export type * from './generated/index.js';
// Both the schema module and the generated types name a StatusCause; the validator's (every field set) wins.
export type { StatusCause } from './schema/index.js';
export * from './defaults/index.js';
export * from './scheduling/index.js';
