import { isSkiffError } from '../errors.js';
import type { ResourceInfo } from './resources.js';
import { ApiError, errors } from './status.js';

/** Maps a store error to the Kubernetes Status the API answers; other errors become 500s. */
export function toApiError(err: unknown, res: ResourceInfo, name?: string): ApiError {
  if (err instanceof ApiError) return err;
  const target = { group: res.group, kind: res.kind, resource: res.plural, ...(name !== undefined ? { name } : {}) };
  if (isSkiffError(err)) {
    switch (err.code) {
      case 'SKIFF_ERR_STORE_NOT_FOUND':
        return errors.notFound(target);
      case 'SKIFF_ERR_STORE_EXISTS':
        return errors.alreadyExists(target);
      case 'SKIFF_ERR_STORE_CONFLICT':
        return errors.conflict(target);
      case 'SKIFF_ERR_STORE_GONE':
        return errors.gone(`too old resource version: ${err.message}`);
      case 'SKIFF_ERR_STORE_TOO_LARGE':
        return errors.tooLarge(`the object is too large to store: ${err.message}`);
      case 'SKIFF_ERR_STORE_INVALID':
      case 'SKIFF_ERR_SELECTOR_SYNTAX':
      case 'SKIFF_ERR_SELECTOR_INVALID_KEY':
      case 'SKIFF_ERR_SELECTOR_INVALID_VALUE':
      case 'SKIFF_ERR_SELECTOR_UNSUPPORTED_FIELD':
        return errors.badRequest(err.message);
      default:
        break;
    }
  }
  return errors.internal(err instanceof Error ? err.message : String(err));
}
