import type { IncomingMessage, ServerResponse } from 'node:http';
import { apiErrors, SYSTEM_USER, type ObjectApi, type ResourceRegistry, type UserInfo } from '@skiff/core';
import type { ServerRuntime } from './context.js';
import { apiGroupDocument, apiGroupList, apiResourceList, apiVersions, versionInfo } from './discovery.js';
import { renderObject } from './render.js';
import { serveResource, verbOf } from './resources.js';
import { sendJson, sendStatus, statusError, statusOf } from './respond.js';
import { route, splitTarget, type Route } from './router.js';
import type { AuthorizationAttributes, Authenticator, Authorizer, NonResourceRoute } from './types.js';

export interface HandlerDeps {
  runtime: ServerRuntime;
  resources: ResourceRegistry;
  /** The request path; read per request (it exists only while the cluster runs). */
  api: () => ObjectApi;
  authenticate?: Authenticator | undefined;
  authorize?: Authorizer | undefined;
  /** `host:port` as clients reach the server (for `/api`'s serverAddressByClientCIDRs). */
  serverAddress: () => string;
  /** Non-resource paths served beside the API (matched first). */
  extraRoutes?: readonly NonResourceRoute[] | undefined;
}

function extraRoute(routes: readonly NonResourceRoute[] | undefined, path: string): NonResourceRoute | undefined {
  return routes?.find((r) => (r.path.endsWith('/') ? path.startsWith(r.path) || path === r.path.slice(0, -1) : path === r.path));
}

/** Paths served to anyone, before authentication (Kubernetes' `system:public-info-viewer`). */
function isPublic(r: Route): boolean {
  return r.type === 'health' || r.type === 'version';
}

/** The request listener: never throws, answers every failure with a Kubernetes Status. */
export function createRequestListener(deps: HandlerDeps): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    // Late socket errors (a client hanging up mid-answer) must never become uncaught exceptions.
    req.on('error', () => undefined);
    res.on('error', () => undefined);
    handle(deps, req, res).catch((err: unknown) => {
      if (res.headersSent) {
        if (!res.writableEnded) res.destroy();
        return;
      }
      try {
        sendStatus(res, statusOf(err, deps.runtime.log));
      } catch (sendErr) {
        deps.runtime.log('apiserver: could not answer a failed request', sendErr);
        res.destroy();
      }
    });
  };
}

async function handle(deps: HandlerDeps, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const method = req.method ?? 'GET';
  const { path, segments, query } = splitTarget(req.url ?? '/');
  const readOnly = method === 'GET' || method === 'HEAD';
  const extra = extraRoute(deps.extraRoutes, path);
  if (extra) {
    const user = extra.public ? undefined : await authenticate(deps, req);
    if (!extra.public) await authorize(deps, { user: user ?? SYSTEM_USER, verb: method.toLowerCase(), resourceRequest: false, path });
    return extra.handle(req, res, { path, query, user });
  }
  const r = route(segments, deps.resources);

  if (isPublic(r)) {
    if (!readOnly) throw apiErrors.methodNotSupported({ resource: path }, method);
    if (r.type === 'health') {
      res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-cache, private', 'X-Content-Type-Options': 'nosniff' });
      res.end(method === 'HEAD' ? undefined : 'ok');
      return;
    }
    return sendJson(res, 200, versionInfo());
  }

  const user = await authenticate(deps, req);
  await authorize(deps, attributesOf(r, method, path, query, user ?? SYSTEM_USER));

  switch (r.type) {
    case 'notFound':
      throw apiErrors.unknownResource(`${method} ${path.slice(0, 256)}`);
    case 'apiVersions':
    case 'groupList':
    case 'group':
    case 'resourceList': {
      if (!readOnly) throw apiErrors.methodNotSupported({ resource: path }, method);
      const doc =
        r.type === 'apiVersions'
          ? apiVersions(deps.serverAddress())
          : r.type === 'groupList'
            ? apiGroupList(deps.resources)
            : r.type === 'group'
              ? apiGroupDocument(deps.resources, r.group)
              : apiResourceList(deps.resources, r.group, r.version);
      return renderObject(req, res, undefined, doc);
    }
    case 'resource':
      return serveResource({ req, res, route: r, query, user, api: deps.api(), runtime: deps.runtime });
    default:
      throw apiErrors.unknownResource(path.slice(0, 256));
  }
}

async function authenticate(deps: HandlerDeps, req: IncomingMessage): Promise<UserInfo | undefined> {
  if (!deps.authenticate) return undefined;
  const user = await deps.authenticate(req);
  if (!user || typeof user.username !== 'string') throw statusError(401, 'Unauthorized', 'Unauthorized');
  return user;
}

/** Asks the authorizer, if any; a denial (or no clear "allowed") answers 403. */
async function authorize(deps: HandlerDeps, attrs: AuthorizationAttributes): Promise<void> {
  if (!deps.authorize) return;
  const decision = await deps.authorize(attrs);
  if (!decision || decision.allowed !== true) throw forbidden(attrs, decision?.reason);
}

function attributesOf(r: Route, method: string, path: string, query: URLSearchParams, user: UserInfo): AuthorizationAttributes {
  if (r.type !== 'resource') return { user, verb: method.toLowerCase(), resourceRequest: false, path };
  const attrs: AuthorizationAttributes = {
    user,
    verb: r.subresource !== undefined ? verbOf(method, true, new URLSearchParams(), false) : verbOf(method, r.name !== undefined, query, r.watchPath),
    resourceRequest: true,
    path,
    apiGroup: r.group,
    apiVersion: r.version,
    resource: r.info.plural,
  };
  if (r.subresource !== undefined) attrs.subresource = r.subresource;
  if (r.namespace !== undefined) attrs.namespace = r.namespace;
  if (r.name !== undefined) attrs.name = r.name;
  return attrs;
}

/** 403 with Kubernetes' wording: `pods "x" is forbidden: User "u" cannot get resource "pods" in API group "" in the namespace "ns"`. */
function forbidden(a: AuthorizationAttributes, reason: string | undefined) {
  const why = reason ? `: ${reason}` : '';
  if (!a.resourceRequest) {
    return statusError(403, 'Forbidden', `forbidden: User "${a.user.username}" cannot ${a.verb} path "${a.path.slice(0, 256)}"${why}`, {});
  }
  const resource = a.subresource ? `${a.resource}/${a.subresource}` : a.resource!;
  const qualified = a.apiGroup ? `${resource}.${a.apiGroup}` : resource;
  const scope = a.namespace !== undefined ? ` in the namespace "${a.namespace}"` : ' at the cluster scope';
  const message = `${qualified}${a.name !== undefined ? ` "${a.name}"` : ''} is forbidden: User "${a.user.username}" cannot ${a.verb} resource "${resource}" in API group "${a.apiGroup ?? ''}"${scope}${why}`;
  return statusError(403, 'Forbidden', message, { ...(a.name !== undefined ? { name: a.name } : {}), group: a.apiGroup ?? '', kind: a.resource! });
}
