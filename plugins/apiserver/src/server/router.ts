import { apiErrors, type ResourceInfo, type ResourceRegistry } from '@skiff/core';

/** What a request path names. */
export type Route =
  | { type: 'health'; check: 'healthz' | 'livez' | 'readyz' }
  | { type: 'version' }
  | { type: 'apiVersions' }
  | { type: 'groupList' }
  | { type: 'group'; group: string }
  | { type: 'resourceList'; group: string; version: string }
  | ResourceRoute
  | { type: 'notFound' };

/** A path under `/api/v1` or `/apis/<group>/<version>` naming a served resource. */
export interface ResourceRoute {
  type: 'resource';
  group: string;
  version: string;
  info: ResourceInfo;
  /** From `/namespaces/<ns>/...`; for the `namespaces` resource itself, the namespace's own name (as Kubernetes' RequestInfo). */
  namespace?: string;
  name?: string;
  subresource?: string;
  /** The legacy `/watch/` path prefix was used. */
  watchPath: boolean;
}

/** Namespace subresources: `/api/v1/namespaces/<name>/status`, `/finalize`. */
const NAMESPACE_SUBRESOURCES = new Set(['status', 'finalize']);

/** Splits a raw request target into path segments (percent-decoded) and query. Throws 400 on bad encoding. */
export function splitTarget(target: string): { path: string; segments: string[]; query: URLSearchParams } {
  const q = target.indexOf('?');
  const path = q < 0 ? target : target.slice(0, q);
  const query = new URLSearchParams(q < 0 ? '' : target.slice(q + 1));
  if (!path.startsWith('/')) return { path, segments: ['\0'], query };
  const raw = path.slice(1).split('/');
  if (raw.length > 1 && raw[raw.length - 1] === '') raw.pop();
  const segments = raw.map((s) => {
    try {
      return decodeURIComponent(s);
    } catch {
      throw apiErrors.badRequest('the request path is not valid percent-encoding');
    }
  });
  return { path, segments, query };
}

function servesGroupVersion(resources: ResourceRegistry, group: string, version?: string): boolean {
  return resources.all().some((r) => r.group === group && (version === undefined || r.version === version));
}

/** Resolves path segments against the served resources (read fresh: custom resources come and go). */
export function route(segments: readonly string[], resources: ResourceRegistry): Route {
  if (segments.some((s) => s === '')) {
    return { type: 'notFound' };
  }
  const [first, ...rest] = segments;
  if (segments.length === 1 && (first === 'healthz' || first === 'livez' || first === 'readyz')) return { type: 'health', check: first };
  if (segments.length === 1 && first === 'version') return { type: 'version' };
  let group: string;
  let version: string;
  let tail: string[];
  if (first === 'api') {
    if (rest.length === 0) return { type: 'apiVersions' };
    if (rest[0] !== 'v1') return { type: 'notFound' };
    group = '';
    version = 'v1';
    tail = rest.slice(1);
  } else if (first === 'apis') {
    if (rest.length === 0) return { type: 'groupList' };
    group = rest[0]!;
    if (group === '' || !servesGroupVersion(resources, group)) return { type: 'notFound' };
    if (rest.length === 1) return { type: 'group', group };
    version = rest[1]!;
    tail = rest.slice(2);
  } else {
    return { type: 'notFound' };
  }
  if (!servesGroupVersion(resources, group, version)) return { type: 'notFound' };
  if (tail.length === 0) return { type: 'resourceList', group, version };

  let watchPath = false;
  if (tail[0] === 'watch') {
    watchPath = true;
    tail = tail.slice(1);
    if (tail.length === 0) return { type: 'notFound' };
  }
  let namespace: string | undefined;
  let viaNamespacePath = false;
  if (tail[0] === 'namespaces' && tail.length > 1) {
    namespace = tail[1];
    if (tail.length > 2 && !NAMESPACE_SUBRESOURCES.has(tail[2]!)) {
      tail = tail.slice(2);
      viaNamespacePath = true;
    }
  }
  if (tail.length > 3) return { type: 'notFound' };
  const [plural, name, subresource] = tail as [string, string | undefined, string | undefined];
  const info = resources.all().find((r) => r.group === group && r.version === version && r.plural === plural);
  if (!info) return { type: 'notFound' };
  if (viaNamespacePath && !info.namespaced) return { type: 'notFound' };
  const out: ResourceRoute = { type: 'resource', group, version, info, watchPath };
  if (namespace !== undefined) out.namespace = namespace;
  if (name !== undefined) out.name = name;
  if (subresource !== undefined) out.subresource = subresource;
  return out;
}
