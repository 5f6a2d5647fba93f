import { SkiffError } from '../errors.js';
import type { StatusCause } from '../schema/types.js';

/** A Kubernetes `Status` object, as the API answers errors. */
export interface Status {
  apiVersion: 'v1';
  kind: 'Status';
  metadata: Record<string, never> | { resourceVersion?: string };
  status: 'Success' | 'Failure';
  message: string;
  reason: string;
  details?: { name?: string; group?: string; kind?: string; uid?: string; causes?: StatusCause[]; retryAfterSeconds?: number };
  code: number;
}

/**
 * An error the API answers with: carries the Kubernetes `Status` and the HTTP code. The in-process
 * transport throws exactly what the HTTP transport would return, so callers handle both alike.
 * Its code is `SKIFF_ERR_API_STATUS`; `details.code` is the HTTP code, `details.reason` the
 * Kubernetes reason (NotFound, AlreadyExists, Conflict, Invalid, BadRequest, Forbidden, Gone…).
 */
export class ApiError extends SkiffError {
  readonly status: Status;

  constructor(status: Status) {
    super('SKIFF_ERR_API_STATUS', status.message, { code: status.code, reason: status.reason });
    this.name = 'ApiError';
    this.status = status;
  }

  get httpCode(): number {
    return this.status.code;
  }

  get reason(): string {
    return this.status.reason;
  }
}

/** True when `err` is an {@link ApiError}, optionally with the given HTTP code. */
export function isApiError(err: unknown, code?: number): err is ApiError {
  return err instanceof ApiError && (code === undefined || err.status.code === code);
}

interface Target {
  group?: string;
  kind?: string;
  resource?: string;
  name?: string;
}

function qualified(t: Target): string {
  const res = t.resource ?? (t.kind ? t.kind.toLowerCase() : 'object');
  return t.group ? `${res}.${t.group}` : res;
}

function status(code: number, reason: string, message: string, t: Target = {}, causes?: StatusCause[]): ApiError {
  const details: NonNullable<Status['details']> = {};
  if (t.name !== undefined) details.name = t.name;
  if (t.group !== undefined) details.group = t.group;
  if (t.kind !== undefined) details.kind = t.resource ?? t.kind;
  if (causes) details.causes = causes;
  return new ApiError({ apiVersion: 'v1', kind: 'Status', metadata: {}, status: 'Failure', message, reason, details, code });
}

/** Builders for the Status errors Kubernetes answers, with its message shapes. */
export const errors = {
  notFound: (t: Target) => status(404, 'NotFound', `${qualified(t)} "${t.name ?? ''}" not found`, t),
  alreadyExists: (t: Target) => status(409, 'AlreadyExists', `${qualified(t)} "${t.name ?? ''}" already exists`, t),
  conflict: (t: Target, why = 'the object has been modified; please apply your changes to the latest version and try again') =>
    status(409, 'Conflict', `Operation cannot be fulfilled on ${qualified(t)} "${t.name ?? ''}": ${why}`, t),
  invalid: (t: Target, causes: StatusCause[]) =>
    status(
      422,
      'Invalid',
      `${t.kind ?? 'Object'} "${t.name ?? ''}" is invalid: ${causes.map((c) => `${c.field ? `${c.field}: ` : ''}${c.message ?? ''}`).join(', ')}`,
      t,
      causes,
    ),
  badRequest: (message: string, t: Target = {}) => status(400, 'BadRequest', message, t),
  forbidden: (t: Target, why: string) => status(403, 'Forbidden', `${qualified(t)} "${t.name ?? ''}" is forbidden: ${why}`, t),
  gone: (message: string) => status(410, 'Expired', message),
  methodNotSupported: (t: Target, verb: string) => status(405, 'MethodNotAllowed', `the server does not allow this method on the requested resource (${verb} ${qualified(t)})`, t),
  unsupportedMediaType: (type: string) => status(415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: application/json, application/merge-patch+json, application/json-patch+json (got ${type})`),
  tooLarge: (message: string) => status(413, 'RequestEntityTooLarge', message),
  unknownResource: (what: string) => status(404, 'NotFound', `the server could not find the requested resource (${what})`),
  internal: (message: string) => status(500, 'InternalError', `Internal error occurred: ${message}`),
  timeout: (message: string) => status(504, 'Timeout', message),
};
