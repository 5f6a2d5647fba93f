export { ObjectApi, SYSTEM_USER, type ApplyOptions, type ObjectApiParts } from './object-api.js';
export { ApiError, isApiError, errors as apiErrors, type Status as StatusObject } from './status.js';
export { builtinResources, ResourceRegistry, apiVersionOf, parseApiVersion, storeKey, storePrefix, type ResourceInfo } from './resources.js';
export { applyPatch, assertSafeKeys, type PatchType } from './patch.js';
export { generateName } from './prepare.js';
export { nameProblems, validateObjectMeta } from './validate-meta.js';
export type { RequestOptions, ListQuery, WatchQuery, DeleteQuery, ObjectList, ApiWatch, ApiWatchEvent } from './types.js';
export { ensureSystemNamespaces, SYSTEM_NAMESPACES } from './bootstrap.js';
export { applyStrategicMergePatch, strategicMergePatch } from './strategic-merge.js';
export { PatchSchema, type PatchMeta } from './strategic-merge-schema.js';
export {
  applyConfiguration,
  fieldsV1Of,
  leafPaths,
  parseApplyBody,
  type ApplyConfigurationOptions,
  type ApplyManagedFieldsEntry,
  type FieldsV1,
} from './server-side-apply.js';
