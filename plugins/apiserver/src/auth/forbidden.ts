import { ApiError } from '@skiff/core';
import type { AuthorizationAttributes } from './rbac-rules.js';

/**
 * The 403 Status Kubernetes answers when authorization denies a request, with its exact message,
 * e.g. `pods is forbidden: User "alice" cannot list resource "pods" in API group "" in the
 * namespace "default"`; `reason` (if any) is appended after a colon.
 */
export function forbiddenError(attrs: AuthorizationAttributes, reason = ''): ApiError {
  const user = attrs.user.username;
  let why: string;
  if (attrs.nonResourcePath !== undefined && !attrs.resource) {
    why = `User "${user}" cannot ${attrs.verb} path "${attrs.nonResourcePath}"`;
  } else {
    const resource = attrs.subresource ? `${attrs.resource}/${attrs.subresource}` : attrs.resource;
    const scope = attrs.namespace ? `in the namespace "${attrs.namespace}"` : 'at the cluster scope';
    why = `User "${user}" cannot ${attrs.verb} resource "${resource}" in API group "${attrs.apiGroup}" ${scope}`;
  }
  if (reason) why = `${why}: ${reason}`;
  const qualified = attrs.resource ? (attrs.apiGroup ? `${attrs.resource}.${attrs.apiGroup}` : attrs.resource) : '';
  const message = !qualified ? `forbidden: ${why}` : attrs.name ? `${qualified} "${attrs.name}" is forbidden: ${why}` : `${qualified} is forbidden: ${why}`;
  const details: { name?: string; group?: string; kind?: string } = {};
  if (attrs.name) details.name = attrs.name;
  if (attrs.apiGroup) details.group = attrs.apiGroup;
  if (attrs.resource) details.kind = attrs.resource;
  return new ApiError({ apiVersion: 'v1', kind: 'Status', metadata: {}, status: 'Failure', message, reason: 'Forbidden', details, code: 403 });
}

/** The 401 Status Kubernetes answers to a request without valid credentials. */
export function unauthorizedError(): ApiError {
  return new ApiError({ apiVersion: 'v1', kind: 'Status', metadata: {}, status: 'Failure', message: 'Unauthorized', reason: 'Unauthorized', code: 401 });
}
