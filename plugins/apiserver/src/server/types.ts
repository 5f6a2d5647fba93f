import type { UserInfo } from '@skiff/core';
import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * Who is asking. Called once per request (except the public `/healthz`, `/livez`, `/readyz` and
 * `/version`). Return the user, or `undefined` to answer 401 Unauthorized; throwing an `ApiError`
 * answers with its Status. Without an authenticator every request acts as the in-process system user.
 */
export type Authenticator = (req: IncomingMessage) => UserInfo | undefined | Promise<UserInfo | undefined>;

/** What an authorizer judges: Kubernetes' request attributes (as RBAC and SubjectAccessReview see them). */
export interface AuthorizationAttributes {
  user: UserInfo;
  /** `get`, `list`, `watch`, `create`, `update`, `patch`, `delete` for resources; the lowercase HTTP method otherwise. */
  verb: string;
  /** True for `/api/...` and `/apis/...` object paths; false for discovery, `/version` and other paths. */
  resourceRequest: boolean;
  /** The request path, without the query. */
  path: string;
  apiGroup?: string;
  apiVersion?: string;
  /** Plural resource name, e.g. `pods`. */
  resource?: string;
  /** e.g. `status`, `scale`, `binding`, `log`. */
  subresource?: string;
  namespace?: string;
  name?: string;
}

/** The decision of an {@link Authorizer}; denied requests answer 403 Forbidden with the reason. */
export interface AuthorizationDecision {
  allowed: boolean;
  reason?: string;
}

/** Decides whether a request may proceed. Without an authorizer every authenticated request is allowed. */
export type Authorizer = (attrs: AuthorizationAttributes) => AuthorizationDecision | Promise<AuthorizationDecision>;

/**
 * A path served beside the Kubernetes REST API, such as `/openapi/v2` or `/openapi/v3/…`: how other
 * parts of the plugin (or the lead's wiring) add non-resource endpoints without touching the router.
 * Extra routes are matched before the built-in ones.
 */
export interface NonResourceRoute {
  /** An exact path (`/openapi/v2`), or a prefix ending in `/` (`/openapi/v3/`) that matches everything under it. */
  path: string;
  /** Served before authentication, like `/healthz` (default false: authenticated and authorized as a non-resource request). */
  public?: boolean;
  /** Answers the request; throwing an `ApiError` answers its Status, anything else a logged 500. */
  handle(req: IncomingMessage, res: ServerResponse, context: { path: string; query: URLSearchParams; user: UserInfo | undefined }): void | Promise<void>;
}
