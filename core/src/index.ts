export * from './errors.js';
export * from './objects/types.js';
export * from './labels/index.js';
export * from './schema/index.js';
export * from './store/index.js';
export * from './reconcile/index.js';
export * from './kernel/index.js';
export * from './api/index.js';
