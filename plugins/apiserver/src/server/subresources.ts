import {
  apiErrors,
  applyPatch,
  isApiError,
  selectorFromLabelSelector,
  selectorFromSet,
  type KubeObject,
  type LabelSelectorLike,
  type PatchType,
  type ResourceInfo,
} from '@skiff/core';
import type { ResourceContext } from './context.js';
import { servePodLog } from './logs.js';
import { readObjectBody, readPatch } from './resources.js';
import { writeOptions } from './query.js';
import { renderObject } from './render.js';
import { sendJson } from './respond.js';

/** Serves `<resource>/<name>/<subresource>`: status, scale, namespaces' finalize, and for pods binding and log. */
export async function serveSubresource(ctx: ResourceContext): Promise<void> {
  const { route, req } = ctx;
  const { info } = route;
  const sub = route.subresource!;
  const method = req.method ?? '';
  if (route.name === undefined || (info.namespaced && route.namespace === undefined)) throw notServed(ctx);
  if (sub === 'status' && info.statusSubresource) return serveStatus(ctx, method);
  if (sub === 'scale' && info.scaleSubresource) return serveScale(ctx, method);
  if (sub === 'finalize' && info.group === '' && info.plural === 'namespaces') {
    if (method !== 'PUT') throw notAllowed(ctx);
    return serveFinalize(ctx);
  }
  if (info.group === '' && info.plural === 'pods') {
    if (sub === 'binding') {
      if (method !== 'POST') throw notAllowed(ctx);
      return serveBinding(ctx);
    }
    if (sub === 'log') {
      if (method !== 'GET' && method !== 'HEAD') throw notAllowed(ctx);
      return servePodLog(ctx);
    }
  }
  throw notServed(ctx);
}

function notServed(ctx: ResourceContext) {
  const { info, name, subresource } = ctx.route;
  return apiErrors.unknownResource(`${info.plural}${name !== undefined ? ` "${name}"` : ''}${subresource ? `/${subresource}` : ''}`);
}

function notAllowed(ctx: ResourceContext) {
  const { info, subresource } = ctx.route;
  return apiErrors.methodNotSupported({ group: info.group, resource: `${info.plural}/${subresource}` }, ctx.req.method ?? '');
}

/** `PUT namespaces/<name>/finalize`: replaces only `spec.finalizers` (the namespace controller's last step). */
async function serveFinalize(ctx: ResourceContext): Promise<void> {
  const { req, res, route, query, api } = ctx;
  const warnings: string[] = [];
  const options = writeOptions(query, ctx.user, warnings);
  const body = await readObjectBody(ctx);
  return renderObject(req, res, route.info, await api.update(route.info, undefined, route.name!, body as KubeObject, { ...options, subresource: 'finalize' }), { warnings });
}

async function serveStatus(ctx: ResourceContext, method: string): Promise<void> {
  const { req, res, route, query, api } = ctx;
  const { info } = route;
  const ns = info.namespaced ? route.namespace : undefined;
  const name = route.name!;
  const warnings: string[] = [];
  switch (method) {
    case 'GET':
    case 'HEAD':
      return renderObject(req, res, info, await api.get(info, ns, name));
    case 'PUT': {
      const options = writeOptions(query, ctx.user, warnings);
      const body = await readObjectBody(ctx);
      return renderObject(req, res, info, await api.update(info, ns, name, body as KubeObject, { ...options, subresource: 'status' }), { warnings });
    }
    case 'PATCH': {
      const options = writeOptions(query, ctx.user, warnings);
      const { type, patch } = await readPatch(ctx, options.fieldManager);
      return renderObject(req, res, info, await api.patch(info, ns, name, patch, type, { ...options, subresource: 'status' }), { warnings });
    }
    default:
      throw notAllowed(ctx);
  }
}

/** An `autoscaling/v1` Scale. */
export interface Scale {
  apiVersion: 'autoscaling/v1';
  kind: 'Scale';
  metadata: KubeObject['metadata'];
  spec: { replicas?: number };
  status: { replicas: number; selector?: string };
}

function selectorString(obj: KubeObject): string | undefined {
  const selector = (obj['spec'] as { selector?: unknown } | undefined)?.selector;
  if (!selector || typeof selector !== 'object') return undefined;
  try {
    const isLabelSelector = 'matchLabels' in selector || 'matchExpressions' in selector;
    return isLabelSelector
      ? selectorFromLabelSelector(selector as LabelSelectorLike).toString()
      : selectorFromSet(selector as Record<string, string>).toString();
  } catch {
    return undefined;
  }
}

/** The Scale view of an object with `spec.replicas` (Kubernetes defaults replicas to 1). */
export function toScale(obj: KubeObject): Scale {
  const spec = (obj['spec'] ?? {}) as { replicas?: unknown };
  const status = (obj['status'] ?? {}) as { replicas?: unknown };
  const m = obj.metadata;
  const selector = selectorString(obj);
  return {
    apiVersion: 'autoscaling/v1',
    kind: 'Scale',
    metadata: {
      name: m.name!,
      ...(m.namespace ? { namespace: m.namespace } : {}),
      ...(m.uid ? { uid: m.uid } : {}),
      ...(m.resourceVersion ? { resourceVersion: m.resourceVersion } : {}),
      ...(m.creationTimestamp ? { creationTimestamp: m.creationTimestamp } : {}),
    },
    spec: { replicas: typeof spec.replicas === 'number' ? spec.replicas : 1 },
    status: { replicas: typeof status.replicas === 'number' ? status.replicas : 0, ...(selector !== undefined ? { selector } : {}) },
  };
}

function scaleReplicas(info: ResourceInfo, name: string, scale: unknown): number {
  const s = scale as Partial<Scale> | undefined;
  if (!s || typeof s !== 'object' || Array.isArray(s)) throw apiErrors.badRequest('the body must be an autoscaling/v1 Scale object');
  if ((s.kind !== undefined && s.kind !== 'Scale') || (s.apiVersion !== undefined && s.apiVersion !== 'autoscaling/v1')) {
    throw apiErrors.badRequest(`the API version and kind in the body (${String(s.apiVersion)}, ${String(s.kind)}) do not match the resource (autoscaling/v1, Scale)`);
  }
  const replicas = s.spec?.replicas;
  if (typeof replicas !== 'number' || !Number.isInteger(replicas) || replicas < 0 || replicas > 2 ** 31 - 1) {
    throw apiErrors.invalid({ group: 'autoscaling', kind: 'Scale', name }, [
      { field: 'spec.replicas', reason: 'FieldValueInvalid', message: `Invalid value: ${JSON.stringify(replicas ?? null)}: must be greater than or equal to 0` },
    ]);
  }
  void info;
  return replicas;
}

/**
 * `scale`: GET answers the Scale; PUT and PATCH compute the new replicas from the Scale (a patch
 * applies to the current Scale) and write `spec.replicas` on the parent through ObjectApi.patch,
 * conditioned on the resourceVersion the Scale was read at (PUT with a resourceVersion keeps it).
 */
async function serveScale(ctx: ResourceContext, method: string): Promise<void> {
  const { req, res, route, query, api } = ctx;
  const { info } = route;
  const ns = info.namespaced ? route.namespace : undefined;
  const name = route.name!;
  if (method === 'GET' || method === 'HEAD') return renderObject(req, res, undefined, toScale(await api.get(info, ns, name)));
  if (method !== 'PUT' && method !== 'PATCH') throw notAllowed(ctx);
  const warnings: string[] = [];
  const options = writeOptions(query, ctx.user, warnings);
  let body: unknown;
  let patchType: PatchType | undefined;
  if (method === 'PUT') {
    body = await readObjectBody(ctx);
  } else {
    const p = await readPatch(ctx, options.fieldManager);
    if (p.type !== 'application/merge-patch+json' && p.type !== 'application/json-patch+json') {
      // Strategic merge on a Scale is a merge patch (Scale has no merge keys); apply is not served here.
      if (p.type !== 'application/strategic-merge-patch+json') throw apiErrors.unsupportedMediaType(`${p.type} on the scale subresource`);
      patchType = 'application/merge-patch+json';
    } else {
      patchType = p.type;
    }
    body = p.patch;
  }
  for (let attempt = 0; ; attempt++) {
    const current = await api.get(info, ns, name);
    const scale = toScale(current);
    const next = method === 'PUT' ? body : applyPatch(scale as unknown as KubeObject, body, patchType!);
    const sentVersion = (next as Partial<Scale> | undefined)?.metadata?.resourceVersion;
    if (method === 'PUT' && (next as Partial<Scale>)?.metadata?.name !== undefined && (next as Partial<Scale>).metadata!.name !== name) {
      throw apiErrors.badRequest(`the name of the object (${String((next as Partial<Scale>).metadata!.name)}) does not match the name on the URL (${name})`);
    }
    const replicas = scaleReplicas(info, name, next);
    const expected = sentVersion || current.metadata.resourceVersion!;
    try {
      const updated = await api.patch(
        info,
        ns,
        name,
        { metadata: { resourceVersion: expected }, spec: { replicas } },
        'application/merge-patch+json',
        options,
      );
      return renderObject(req, res, undefined, toScale(updated), { warnings });
    } catch (err) {
      // A write raced ours between the read and the patch: retry unless the client named a version.
      if (!isApiError(err, 409) || sentVersion || attempt >= 5) throw err;
    }
  }
}

/**
 * `pods/<name>/binding`: assigns the pod to `target.name` by setting `spec.nodeName` through
 * ObjectApi (admission and validation apply). 409 when the pod is already bound.
 */
async function serveBinding(ctx: ResourceContext): Promise<void> {
  const { res, route, query, api } = ctx;
  const options = writeOptions(query, ctx.user, []);
  await api.bind(route.info, route.namespace, route.name!, await readObjectBody(ctx), options);
  sendJson(res, 201, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 });
}

