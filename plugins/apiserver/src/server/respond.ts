import type { ServerResponse } from 'node:http';
import { ApiError, apiErrors, isSkiffError, type StatusObject } from '@skiff/core';

/** Formats one warning as a `Warning` header value (RFC 7234 code 299), printable ASCII only. */
export function warningHeader(text: string): string {
  const clean = text
    .replace(/[^\x20-\x7e]/g, '?')
    .replace(/\\/g, '\\\\')
    .replace(/"/g, '\\"')
    .slice(0, 1024);
  return `299 - "${clean}"`;
}

/** Sends a JSON body with `Content-Type: application/json`, plus `Warning` headers when there are any. */
export function sendJson(res: ServerResponse, code: number, body: unknown, warnings: readonly string[] = []): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  const text = JSON.stringify(body);
  res.statusCode = code;
  res.setHeader('Content-Type', 'application/json');
  res.setHeader('Content-Length', Buffer.byteLength(text));
  res.setHeader('Cache-Control', 'no-cache, private');
  if (warnings.length > 0) res.setHeader('Warning', warnings.map(warningHeader));
  res.end(res.req?.method === 'HEAD' ? undefined : text);
}

/** Sends a Kubernetes `Status` with its HTTP code. */
export function sendStatus(res: ServerResponse, status: StatusObject, warnings: readonly string[] = []): void {
  sendJson(res, status.code, status, warnings);
}

/**
 * Turns anything thrown while serving a request into the Status to answer: an `ApiError` answers
 * its own Status; a coded "unknown resource" error answers 404; a cluster that is not running
 * answers 503; anything else is a 500 (and is reported through `log`, since it is a bug).
 */
export function statusOf(err: unknown, log: (message: string, err?: unknown) => void): StatusObject {
  if (err instanceof ApiError) return err.status;
  if (isSkiffError(err, 'SKIFF_ERR_API_UNKNOWN_RESOURCE')) return apiErrors.unknownResource(err.message).status;
  if (isSkiffError(err, 'SKIFF_ERR_CLUSTER_STATE') || isSkiffError(err, 'SKIFF_ERR_STORE_CLOSED')) {
    // The cluster is starting or stopping: a client should retry, this is not a bug.
    return statusError(503, 'ServiceUnavailable', `the server is not serving requests right now: ${err.message}`, { retryAfterSeconds: 1 }).status;
  }
  log('apiserver: unexpected error while serving a request', err);
  return apiErrors.internal(err instanceof Error ? err.message : String(err)).status;
}

/** A Status error built by hand, for codes core has no builder for (401, 403 with Kubernetes' wording). */
export function statusError(code: number, reason: string, message: string, details?: StatusObject['details']): ApiError {
  return new ApiError({ apiVersion: 'v1', kind: 'Status', metadata: {}, status: 'Failure', message, reason, code, ...(details ? { details } : {}) });
}
