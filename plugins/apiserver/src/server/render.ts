import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ApiWatchEvent, KubeObject, ObjectList, ResourceInfo } from '@skiff/core';
import { toTable } from '../tables/index.js';
import type { IncludeObjectPolicy } from '../tables/index.js';
import { sendJson } from './respond.js';

/**
 * How object answers are rendered: plain JSON, or a `meta.k8s.io/v1` Table when the Accept header
 * asks for one (`application/json;as=Table;g=meta.k8s.io;v=v1`, or v1beta1) as `kubectl get` does.
 * Protobuf in Accept is answered with JSON, which Kubernetes clients always accept.
 */
export interface RenderOptions {
  code?: number;
  warnings?: readonly string[];
}

/** True when the Accept header asks for a Table (of meta.k8s.io v1 or v1beta1). */
export function wantsTable(req: IncomingMessage): boolean {
  const accept = req.headers.accept ?? '';
  return accept.split(',').some((part) => {
    const params = new Map(
      part
        .split(';')
        .slice(1)
        .map((p) => p.trim().split('=') as [string, string]),
    );
    return params.get('as') === 'Table' && (params.get('g') ?? 'meta.k8s.io') === 'meta.k8s.io';
  });
}

function includeObject(req: IncomingMessage): IncludeObjectPolicy {
  const value = new URL(req.url ?? '/', 'http://x').searchParams.get('includeObject');
  return value === 'None' || value === 'Object' ? value : 'Metadata';
}

function isObjectOfKind(payload: object, info: ResourceInfo | undefined): payload is KubeObject {
  return !!info && (payload as KubeObject).kind === info.kind;
}

/** Answers one object (get, create, update, patch, delete, and subresources). */
export function renderObject(req: IncomingMessage, res: ServerResponse, info: ResourceInfo | undefined, payload: KubeObject | object, options: RenderOptions = {}): void {
  const body = info && wantsTable(req) && isObjectOfKind(payload, info) ? toTable(info, [payload], { includeObject: includeObject(req) }) : payload;
  sendJson(res, options.code ?? 200, body, options.warnings);
}

/** Answers a list (`<Kind>List` with `metadata.resourceVersion`), or a Table of it. */
export function renderList(req: IncomingMessage, res: ServerResponse, info: ResourceInfo, payload: ObjectList, options: RenderOptions = {}): void {
  const body = wantsTable(req) ? toTable(info, payload.items, { listMeta: payload.metadata, includeObject: includeObject(req) }) : payload;
  sendJson(res, options.code ?? 200, body, options.warnings);
}

/** The value one watch event is serialized as (one line of the stream); Table watches send one-row Tables. */
export function renderWatchEvent(req: IncomingMessage, info: ResourceInfo, event: ApiWatchEvent): unknown {
  if (event.type === 'ERROR' || event.type === 'BOOKMARK' || !wantsTable(req)) return event;
  const table = toTable(info, [event.object], { includeObject: includeObject(req), listMeta: { resourceVersion: event.object.metadata.resourceVersion } });
  return { type: event.type, object: table };
}
