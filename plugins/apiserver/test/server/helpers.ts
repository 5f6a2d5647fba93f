import http from 'node:http';
import { createCluster, type Cluster } from '@skiff/core';
import { apiServer, ApiServerKey, type ApiServerOptions } from '../../src/index.js';

export interface Running {
  cluster: Cluster;
  url: string;
  port: number;
  stop(): Promise<void>;
}

/** A cluster with the API server on a free port, plain HTTP. */
export async function startServer(options: ApiServerOptions = {}): Promise<Running> {
  const cluster = await createCluster({ plugins: [apiServer({ port: 0, ...options })] });
  await cluster.start();
  const handle = cluster.use(ApiServerKey);
  return { cluster, url: handle.url(), port: handle.port(), stop: () => cluster.stop() };
}

export interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
  json: any;
}

/** One raw HTTP request (no implicit Content-Type, any method, any path). */
export function request(
  base: string,
  method: string,
  path: string,
  options: { body?: string | Buffer | object; headers?: Record<string, string>; contentType?: string | null } = {},
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const url = new URL(base);
    let body: Buffer | undefined;
    const headers: Record<string, string | number> = { ...(options.headers ?? {}) };
    if (options.body !== undefined) {
      body = Buffer.isBuffer(options.body) ? options.body : Buffer.from(typeof options.body === 'string' ? options.body : JSON.stringify(options.body));
      headers['Content-Length'] = body.length;
      const ct = options.contentType === undefined ? 'application/json' : options.contentType;
      if (ct !== null) headers['Content-Type'] = ct;
    }
    const req = http.request({ host: url.hostname, port: url.port, method, path, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json: unknown;
        try {
          json = text ? JSON.parse(text) : undefined;
        } catch {
          json = undefined;
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    if (body) req.write(body);
    req.end();
  });
}

/** Polls until `check` stops throwing or returns a truthy value; fails after `timeoutMs`. */
export async function eventually<T>(check: () => T | Promise<T>, timeoutMs = 10_000, intervalMs = 25): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await check();
      if (v !== false && v !== undefined && v !== null) return v;
      last = new Error(`condition returned ${String(v)}`);
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw last;
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

export interface WatchStream {
  status: number;
  headers: http.IncomingHttpHeaders;
  /** Parsed events received so far. */
  events: any[];
  /** Resolves when the server ends the stream. */
  ended: Promise<void>;
  isEnded(): boolean;
  close(): void;
}

/** Opens a watch; resolves as soon as the response headers arrive (before any event). */
export function openWatch(base: string, path: string): Promise<WatchStream> {
  return new Promise((resolve, reject) => {
    const url = new URL(base);
    const req = http.request({ host: url.hostname, port: url.port, method: 'GET', path, agent: false }, (res) => {
      const events: any[] = [];
      let buffer = '';
      let done = false;
      const ended = new Promise<void>((r) => {
        res.on('end', () => {
          done = true;
          r();
        });
        res.on('close', () => {
          done = true;
          r();
        });
      });
      res.on('data', (c: Buffer) => {
        buffer += c.toString('utf8');
        let nl: number;
        while ((nl = buffer.indexOf('\n')) >= 0) {
          const line = buffer.slice(0, nl);
          buffer = buffer.slice(nl + 1);
          if (line.trim()) events.push(JSON.parse(line));
        }
      });
      res.on('error', () => undefined);
      resolve({ status: res.statusCode ?? 0, headers: res.headers, events, ended, isEnded: () => done, close: () => req.destroy() });
    });
    req.on('error', (err) => reject(err));
    req.end();
  });
}

export const cm = (name: string, data: Record<string, string> = {}, labels: Record<string, string> = {}, namespace = 'default') => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace, labels },
  data,
});

export const deployment = (name: string, replicas = 1, namespace = 'default') => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name, namespace, labels: { app: name } },
  spec: {
    replicas,
    selector: { matchLabels: { app: name } },
    template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'app', image: 'busybox' }] } },
  },
});
