import { apiErrors, type KubeObject, type PatchType } from '@skiff/core';
import { readBody } from './body.js';
import type { ResourceContext } from './context.js';
import { decodeBody, mediaType, PROTOBUF } from './decode.js';
import { boolParam, deleteQuery, intParam, strParam, writeOptions } from './query.js';
import { renderList, renderObject } from './render.js';
import { serveSubresource } from './subresources.js';
import { serveWatch } from './watch.js';

/** Content types a PATCH may carry, as ObjectApi.patch names them. */
export const PATCH_TYPES = new Set([
  'application/merge-patch+json',
  'application/json-patch+json',
  'application/strategic-merge-patch+json',
  'application/apply-patch+yaml',
]);

/** The Kubernetes verb a resource request asks for (what authorization judges). */
export function verbOf(method: string, hasName: boolean, query: URLSearchParams, watchPath: boolean): string {
  switch (method) {
    case 'GET':
    case 'HEAD':
      if (watchPath || isWatch(query)) return 'watch';
      return hasName ? 'get' : 'list';
    case 'POST':
      return 'create';
    case 'PUT':
      return 'update';
    case 'PATCH':
      return 'patch';
    case 'DELETE':
      return hasName ? 'delete' : 'deletecollection';
    default:
      return method.toLowerCase();
  }
}

function isWatch(query: URLSearchParams): boolean {
  try {
    return boolParam(query, 'watch');
  } catch {
    return false;
  }
}

/** Reads and decodes the body of a create or update (JSON or YAML; patch media types answer 415). */
export async function readObjectBody(ctx: ResourceContext): Promise<unknown> {
  const type = mediaType(ctx.req.headers['content-type']);
  if (PATCH_TYPES.has(type)) throw apiErrors.unsupportedMediaType(`${type} (a patch type) for ${ctx.req.method ?? ''}`);
  const buf = await readBody(ctx.req, ctx.runtime.maxBodyBytes);
  return decodeBody(ctx.req.headers['content-type'], buf);
}

function methodNotAllowed(ctx: ResourceContext): never {
  const { info } = ctx.route;
  throw apiErrors.methodNotSupported({ group: info.group, kind: info.kind, resource: info.plural }, ctx.req.method ?? '');
}

/** Serves `/api/v1/...` and `/apis/<g>/<v>/...` object requests: CRUD, watch, and subresources. */
export async function serveResource(ctx: ResourceContext): Promise<void> {
  const { req, res, route, query, api } = ctx;
  const { info } = route;
  const method = req.method ?? '';
  if (route.subresource !== undefined) return serveSubresource(ctx);
  // A namespaced resource's namespace; for cluster-scoped ones ObjectApi ignores it.
  const ns = info.namespaced ? route.namespace : undefined;
  const warnings: string[] = [];

  if (method === 'GET' || method === 'HEAD') {
    if (method === 'GET' && (route.watchPath || boolParam(query, 'watch'))) return serveWatch(ctx);
    if (route.name !== undefined) {
      return renderObject(req, res, info, await api.get(info, ns, route.name));
    }
    const list = await api.list(info, ns, {
      ...(strParam(query, 'labelSelector') !== undefined ? { labelSelector: strParam(query, 'labelSelector')! } : {}),
      ...(strParam(query, 'fieldSelector') !== undefined ? { fieldSelector: strParam(query, 'fieldSelector')! } : {}),
      ...(intParam(query, 'limit') ? { limit: intParam(query, 'limit')! } : {}),
      ...(strParam(query, 'continue') !== undefined ? { continue: strParam(query, 'continue')! } : {}),
    });
    return renderList(req, res, info, list);
  }

  if (route.name === undefined) {
    if (method !== 'POST') methodNotAllowed(ctx);
    if (info.namespaced && ns === undefined) methodNotAllowed(ctx);
    const options = writeOptions(query, ctx.user, warnings);
    const body = await readObjectBody(ctx);
    const created = await api.create(info, ns, body as KubeObject, options);
    return renderObject(req, res, info, created, { code: 201, warnings });
  }

  if (info.namespaced && ns === undefined) throw apiErrors.unknownResource(`${info.plural} "${route.name}" needs a namespace in the path`);
  const name = route.name;
  switch (method) {
    case 'PUT': {
      const options = writeOptions(query, ctx.user, warnings);
      const body = await readObjectBody(ctx);
      const updated = await api.update(info, ns, name, body as KubeObject, options);
      return renderObject(req, res, info, updated, { warnings });
    }
    case 'PATCH': {
      const options = writeOptions(query, ctx.user, warnings);
      const { type, patch } = await readPatch(ctx, options.fieldManager);
      const patched = await api.patch(info, ns, name, patch, type, options);
      return renderObject(req, res, info, patched, { warnings });
    }
    case 'DELETE': {
      const buf = await readBody(req, ctx.runtime.maxBodyBytes);
      const body = buf.length > 0 && buf.toString('utf8').trim() !== '' ? decodeBody(req.headers['content-type'], buf) : undefined;
      const { query: dq, dryRun } = deleteQuery(query, body);
      const deleted = await api.delete(info, ns, name, dq, { ...(ctx.user ? { user: ctx.user } : {}), ...(dryRun ? { dryRun } : {}) });
      return renderObject(req, res, info, deleted);
    }
    default:
      methodNotAllowed(ctx);
  }
}

/**
 * Reads a PATCH body: the Content-Type picks the patch type. Server-side apply
 * (`application/apply-patch+yaml`) is passed on with its YAML parsed and needs `fieldManager`.
 */
export async function readPatch(ctx: ResourceContext, fieldManager: string | undefined): Promise<{ type: PatchType; patch: unknown }> {
  const type = mediaType(ctx.req.headers['content-type']);
  if (type !== PROTOBUF && !PATCH_TYPES.has(type)) {
    throw apiErrors.unsupportedMediaType(type === '' ? '(no Content-Type; a PATCH must name its patch type)' : type);
  }
  const buf = await readBody(ctx.req, ctx.runtime.maxBodyBytes);
  const patch = decodeBody(type, buf);
  if (type === 'application/apply-patch+yaml' && fieldManager === undefined) {
    throw apiErrors.badRequest('fieldManager is required for apply requests');
  }
  return { type: type as PatchType, patch };
}
