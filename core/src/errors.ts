/**
 * Every coded error Skiff raises. Codes are `SKIFF_ERR_<AREA>_<DETAIL>` and live in this one
 * table so tests and callers can match on them; messages are for people and may change.
 */
export const ErrorCodes = {
  // labels and selectors
  SKIFF_ERR_SELECTOR_SYNTAX: 'a label or field selector could not be parsed',
  SKIFF_ERR_SELECTOR_INVALID_KEY: 'a label key is not valid',
  SKIFF_ERR_SELECTOR_INVALID_VALUE: 'a label value is not valid',
  SKIFF_ERR_SELECTOR_UNSUPPORTED_FIELD: 'a field selector names a field that is not supported for the kind',
  // store
  SKIFF_ERR_STORE_NOT_FOUND: 'the key does not exist',
  SKIFF_ERR_STORE_EXISTS: 'the key already exists',
  SKIFF_ERR_STORE_CONFLICT: 'the precondition (resourceVersion) did not hold',
  SKIFF_ERR_STORE_GONE: 'the requested revision has been compacted',
  SKIFF_ERR_STORE_INVALID: 'the request to the store is malformed',
  SKIFF_ERR_STORE_CLOSED: 'the store has been closed',
  SKIFF_ERR_STORE_TOO_LARGE: 'the value is larger than the store accepts',
  SKIFF_ERR_STORE_CORRUPT: 'the store\'s files are damaged or are not a Skiff store; they are left untouched',
  SKIFF_ERR_STORE_UNAVAILABLE: 'the store\'s backend (such as etcd) cannot be reached',
  // reconcile
  SKIFF_ERR_RECONCILE_TERMINAL: 'a reconcile failed in a way retrying cannot fix',
  SKIFF_ERR_QUEUE_SHUT_DOWN: 'the work queue has been shut down',
  // schemas and validation
  SKIFF_ERR_SCHEMA_INVALID: 'an object does not match its schema',
  SKIFF_ERR_SCHEMA_UNKNOWN_KIND: 'no schema is registered for the kind',
  // plugins and the kernel
  SKIFF_ERR_PLUGIN_INVALID: 'a plugin definition is malformed',
  SKIFF_ERR_PLUGIN_DUPLICATE: 'two plugins have the same name',
  SKIFF_ERR_PLUGIN_MISSING_DEPENDENCY: 'a plugin depends on a plugin that is not registered',
  SKIFF_ERR_PLUGIN_CORE_VERSION: 'a plugin does not support this version of @skiff/core',
  SKIFF_ERR_PLUGIN_OPTIONS: 'a plugin was given options that do not match its schema',
  SKIFF_ERR_PLUGIN_APPLY: 'a plugin failed while being applied',
  SKIFF_ERR_REGISTRY_DUPLICATE: 'a registry already holds an entry with that name',
  SKIFF_ERR_REGISTRY_UNKNOWN: 'a registry holds no entry with that name',
  SKIFF_ERR_CLUSTER_STATE: 'the cluster is not in a state that allows the call',
  SKIFF_ERR_SERVICE_UNKNOWN: 'no plugin published the requested service',
  // the API request path
  SKIFF_ERR_API_STATUS: 'the API answered with a Kubernetes Status error',
  SKIFF_ERR_API_UNKNOWN_RESOURCE: 'the API does not serve that kind or resource',
  // container runtimes
  SKIFF_ERR_RUNTIME_NOT_FOUND: 'the runtime knows no container or sandbox with that id',
  SKIFF_ERR_RUNTIME_IMAGE: 'the container image is missing or cannot be used',
  SKIFF_ERR_RUNTIME_STATE: 'the container or sandbox is not in a state that allows the call',
  SKIFF_ERR_RUNTIME_UNAVAILABLE: 'the container runtime (such as the Docker engine) cannot be reached',
  // API server authentication
  SKIFF_ERR_AUTH_PKI: 'certificate or key files are corrupt, mismatched or half missing',
  SKIFF_ERR_AUTH_TOKENS: 'the token file is malformed',
  SKIFF_ERR_NODE_JOIN: 'a node could not join: a malformed join token, a server whose CA does not match it, or an unreachable server',
  // CLI
  SKIFF_ERR_CLI_USAGE: 'the command line is not valid',
  SKIFF_ERR_CLI_CONFIG: 'the configuration file is not valid',
} as const;

export type ErrorCode = keyof typeof ErrorCodes;

/** An error with a stable code from {@link ErrorCodes}; `details` carries machine-readable context. */
export class SkiffError extends Error {
  readonly code: ErrorCode;
  readonly details: Record<string, unknown>;

  constructor(code: ErrorCode, message: string, details: Record<string, unknown> = {}, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SkiffError';
    this.code = code;
    this.details = details;
  }
}

/** True when `err` is a {@link SkiffError}, optionally with the given code. */
export function isSkiffError(err: unknown, code?: ErrorCode): err is SkiffError {
  return err instanceof SkiffError && (code === undefined || err.code === code);
}

/**
 * True when `err` says "the revision you asked for is gone": the store's `SKIFF_ERR_STORE_GONE`,
 * or an API Status error with HTTP code 410. Informers relist on it.
 */
export function isGoneError(err: unknown): boolean {
  if (!(err instanceof SkiffError)) return false;
  return err.code === 'SKIFF_ERR_STORE_GONE' || (err.code === 'SKIFF_ERR_API_STATUS' && err.details['code'] === 410);
}
