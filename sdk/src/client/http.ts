import http from 'node:http';
import https from 'node:https';
import { ApiError, apiErrors, type ApiWatch, type ApiWatchEvent, type KubeObject, type ResourceInfo, type StatusObject } from '@skiff/core';
import type { Transport } from './transport.js';

export interface HttpTransportOptions {
  /** The API server, e.g. `https://127.0.0.1:6443`. */
  server: string;
  /** A bearer token. */
  token?: string;
  /** The CA that signed the server's certificate (PEM). */
  caCertPem?: string;
  /** Per-request timeout for non-watch requests in ms (default 30 s). */
  timeoutMs?: number;
}

interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

interface DiscoveredResource {
  name: string;
  singularName?: string;
  namespaced: boolean;
  kind: string;
  shortNames?: string[];
  categories?: string[];
}

/**
 * A transport that talks to a Skiff (or Kubernetes) API server over HTTP(S), for components that
 * run in their own process. It discovers resources from `/api/v1` and `/apis/<group>/<version>`,
 * answers errors as `ApiError`s carrying the server's `Status`, and streams watches as
 * newline-delimited JSON (an in-stream ERROR event arrives as an ERROR event, as in-process).
 */
export function httpTransport(options: HttpTransportOptions): Transport {
  const base = new URL(options.server);
  const secure = base.protocol === 'https:';
  const agent = secure ? new https.Agent({ keepAlive: true, ...(options.caCertPem ? { ca: options.caCertPem } : {}) }) : new http.Agent({ keepAlive: true });
  const discovered = new Map<string, Promise<ResourceInfo | undefined>>();

  const send = (method: string, path: string, body?: unknown, contentType = 'application/json', stream = false) =>
    new Promise<{ res: http.IncomingMessage; req: http.ClientRequest }>((resolve, reject) => {
      const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
      const headers: Record<string, string | number> = { Accept: 'application/json' };
      if (options.token) headers['Authorization'] = `Bearer ${options.token}`;
      if (payload) {
        headers['Content-Type'] = contentType;
        headers['Content-Length'] = payload.length;
      }
      const request = (secure ? https : http).request(
        { protocol: base.protocol, hostname: base.hostname, port: base.port, method, path, headers, agent, ...(stream ? {} : { timeout: options.timeoutMs ?? 30_000 }) },
        (res) => resolve({ res, req: request }),
      );
      request.on('timeout', () => request.destroy(new Error(`${method} ${path} timed out`)));
      request.on('error', reject);
      request.end(payload);
    });

  const call = async (method: string, path: string, body?: unknown, contentType?: string): Promise<KubeObject> => {
    const { res } = await send(method, path, body, contentType);
    const chunks: Buffer[] = [];
    for await (const chunk of res) chunks.push(chunk as Buffer);
    const reply: Reply = { status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) };
    let parsed: unknown;
    try {
      parsed = reply.body.length ? JSON.parse(reply.body.toString('utf8')) : undefined;
    } catch {
      parsed = undefined;
    }
    if (reply.status >= 400) {
      const status = parsed as StatusObject | undefined;
      if (status?.kind === 'Status') throw new ApiError(status);
      throw new ApiError({ apiVersion: 'v1', kind: 'Status', metadata: {}, status: 'Failure', message: `${method} ${path}: HTTP ${reply.status}`, reason: 'Unknown', code: reply.status });
    }
    return parsed as KubeObject;
  };

  const resolve = (apiVersion: string, kind: string): Promise<ResourceInfo | undefined> => {
    const key = `${apiVersion}/${kind}`;
    let found = discovered.get(key);
    if (!found) {
      const slash = apiVersion.lastIndexOf('/');
      const group = slash < 0 ? '' : apiVersion.slice(0, slash);
      const version = slash < 0 ? apiVersion : apiVersion.slice(slash + 1);
      found = call('GET', group ? `/apis/${group}/${version}` : `/api/${version}`)
        .then((list) => {
          const resources = (list as unknown as { resources: DiscoveredResource[] }).resources ?? [];
          const main = resources.find((r) => r.kind === kind && !r.name.includes('/'));
          if (!main) return undefined;
          const sub = (s: string) => resources.some((r) => r.name === `${main.name}/${s}`);
          return {
            group,
            version,
            kind,
            plural: main.name,
            singular: main.singularName || kind.toLowerCase(),
            namespaced: main.namespaced,
            shortNames: main.shortNames ?? [],
            categories: main.categories ?? [],
            statusSubresource: sub('status'),
            scaleSubresource: sub('scale'),
          };
        })
        .catch((err: unknown) => {
          discovered.delete(key);
          if (err instanceof ApiError && err.httpCode === 404) return undefined;
          throw err;
        });
      discovered.set(key, found);
    }
    return found;
  };

  const path = (res: ResourceInfo, namespace: string | undefined, name?: string, sub?: string) => {
    const root = res.group ? `/apis/${res.group}/${res.version}` : `/api/${res.version}`;
    const ns = res.namespaced && namespace ? `/namespaces/${encodeURIComponent(namespace)}` : '';
    return `${root}${ns}/${res.plural}${name !== undefined ? `/${encodeURIComponent(name)}` : ''}${sub ? `/${sub}` : ''}`;
  };
  const query = (params: Record<string, string | number | boolean | undefined>) => {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') q.set(k, String(v));
    const text = q.toString();
    return text ? `?${text}` : '';
  };

  return {
    async resolve(apiVersion, kind) {
      const res = await resolve(apiVersion, kind);
      if (!res) throw apiErrors.unknownResource(`no kind "${kind}" is served for version "${apiVersion}"`);
      return res;
    },
    get: (res, ns, name) => call('GET', path(res, ns, name)),
    list: (res, ns, q) => call('GET', path(res, ns) + query({ labelSelector: q.labelSelector, fieldSelector: q.fieldSelector, limit: q.limit, continue: q.continue })) as never,
    create: (res, ns, body, o) => call('POST', path(res, ns) + query({ dryRun: o.dryRun ? 'All' : undefined, fieldValidation: o.fieldValidation }), body),
    update: (res, ns, name, body, o) => call('PUT', path(res, ns, name, o.subresource) + query({ dryRun: o.dryRun ? 'All' : undefined, fieldValidation: o.fieldValidation }), body),
    bind: async (res, ns, name, binding, o) => {
      await call('POST', path(res, ns, name, 'binding') + query({ dryRun: o.dryRun ? 'All' : undefined }), binding);
    },
    patch: (res, ns, name, patch, type, o) => call('PATCH', path(res, ns, name, o.subresource) + query({ dryRun: o.dryRun ? 'All' : undefined }), patch, type),
    delete: (res, ns, name, q, o) =>
      call('DELETE', path(res, ns, name) + query({ dryRun: o.dryRun ? 'All' : undefined }), { apiVersion: 'v1', kind: 'DeleteOptions', ...q }),
    async watch(res, ns, q): Promise<ApiWatch> {
      const { res: stream, req } = await send('GET', path(res, ns) + query({ watch: 'true', resourceVersion: q.resourceVersion, labelSelector: q.labelSelector, fieldSelector: q.fieldSelector, timeoutSeconds: q.timeoutSeconds }), undefined, undefined, true);
      if ((stream.statusCode ?? 0) >= 400) {
        const chunks: Buffer[] = [];
        for await (const chunk of stream) chunks.push(chunk as Buffer);
        const status = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as StatusObject;
        throw new ApiError(status.kind === 'Status' ? status : { apiVersion: 'v1', kind: 'Status', metadata: {}, status: 'Failure', message: `watch: HTTP ${stream.statusCode}`, reason: 'Unknown', code: stream.statusCode ?? 500 });
      }
      return {
        stop: () => req.destroy(),
        async *[Symbol.asyncIterator]() {
          let buffered = '';
          try {
            for await (const chunk of stream) {
              buffered += (chunk as Buffer).toString('utf8');
              let newline = buffered.indexOf('\n');
              while (newline >= 0) {
                const line = buffered.slice(0, newline).trim();
                buffered = buffered.slice(newline + 1);
                if (line) yield JSON.parse(line) as ApiWatchEvent;
                newline = buffered.indexOf('\n');
              }
            }
          } catch (err) {
            // A stream we destroyed ourselves (stop) just ends.
            if (!req.destroyed) throw err;
          } finally {
            req.destroy();
          }
        },
      };
    },
  };
}
