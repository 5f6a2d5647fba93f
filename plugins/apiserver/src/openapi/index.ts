/**
 * OpenAPI documents for kubectl (`create`/`apply`/`replace` validation, `explain`, client-side
 * apply's patch metadata): `/openapi/v3` (index + per group-version documents) and `/openapi/v2`.
 * Everything here is pure and deterministic.
 */
export { openApiV3All, openApiV3Document, openApiV3Index, type OpenApiV3Index } from './v3.js';
export { openApiV2 } from './v2.js';
export { DEFAULT_INFO, type OpenApiOptions } from './build.js';
export { documentHash, sortKeys } from './json.js';
export { groupVersionPath, parseGroupVersionPath, schemaPackage } from './names.js';
export { SchemaCollector, type Flavour } from './schemas.js';
export { QUERY_PARAMETERS, PATCH_CONTENT_TYPES } from './parameters.js';
