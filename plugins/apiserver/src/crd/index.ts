export { customResourceDefinitions, CRD_CLEANUP_FINALIZER } from './plugin.js';
export { crdResource, crdSchema, CRD_GROUP } from './crd-kind.js';
export { crdProblems, servedVersions, type CrdSpec, type ServedVersion } from './crd-resources.js';
