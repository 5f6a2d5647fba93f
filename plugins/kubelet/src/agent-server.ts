import { createHash, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { apiErrors, isApiError, podLogOptionsFromQuery, type PodLogSource, type StatusObject } from '@skiff/core';

/** Settings of a node agent's own HTTP endpoint (Kubernetes' kubelet port). */
export interface AgentServerOptions {
  host: string;
  /** 0 picks a free port. */
  port: number;
  /** The bearer token callers (the API server) must present. */
  token: string;
  logs: PodLogSource;
}

const UNAUTHORIZED: StatusObject = { apiVersion: 'v1', kind: 'Status', metadata: {}, status: 'Failure', message: 'Unauthorized', reason: 'Unauthorized', code: 401 };

const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();

function sendStatus(res: http.ServerResponse, status: StatusObject): void {
  const body = JSON.stringify(status);
  res.writeHead(status.code ?? 500, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

/**
 * A node agent's HTTP endpoint, for API servers in another process: `GET /healthz`, and
 * `GET /containerLogs/<namespace>/<pod>[/<container>]?follow&previous&timestamps&tailLines&sinceSeconds&limitBytes`
 * streaming `text/plain`. Every request needs `Authorization: Bearer <token>` (401 otherwise);
 * errors are Kubernetes Statuses the API server passes on.
 */
export class AgentServer {
  private readonly server: http.Server;
  private readonly expected: Buffer;
  private readonly streams = new Set<AbortController>();

  constructor(private readonly options: AgentServerOptions) {
    this.expected = digest(options.token);
    this.server = http.createServer((req, res) => void this.handle(req, res));
  }

  /** Starts listening; resolves with the bound port. */
  listen(): Promise<number> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.options.port, this.options.host, () => {
        this.server.off('error', reject);
        resolve((this.server.address() as AddressInfo).port);
      });
    });
  }

  /** Ends open log streams and stops listening. */
  async close(): Promise<void> {
    for (const stream of this.streams) stream.abort();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private authorized(req: http.IncomingMessage): boolean {
    const match = /^Bearer (\S+)$/i.exec(req.headers.authorization ?? '');
    return !!match && timingSafeEqual(digest(match[1]!), this.expected);
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://agent');
    if (!this.authorized(req)) return sendStatus(res, UNAUTHORIZED);
    if (req.method !== 'GET') return sendStatus(res, apiErrors.methodNotSupported({ kind: 'nodes', name: url.pathname }, req.method ?? '').status);
    if (url.pathname === '/healthz') {
      res.writeHead(200, { 'Content-Type': 'text/plain' });
      return void res.end('ok');
    }
    const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
    if (parts[0] !== 'containerLogs' || parts.length < 3 || parts.length > 4) return sendStatus(res, apiErrors.unknownResource(url.pathname).status);
    const abort = new AbortController();
    this.streams.add(abort);
    res.on('close', () => abort.abort());
    try {
      const options = podLogOptionsFromQuery(url.searchParams);
      if (parts[3]) options.container = parts[3];
      const stream = await this.options.logs.logs(parts[1]!, parts[2]!, options, abort.signal);
      res.writeHead(200, { 'Content-Type': 'text/plain', 'Cache-Control': 'no-cache, private' });
      res.flushHeaders();
      for await (const chunk of stream) {
        if (abort.signal.aborted) break;
        res.write(chunk);
      }
      res.end();
    } catch (err) {
      if (res.headersSent) res.destroy();
      else sendStatus(res, isApiError(err) ? err.status : apiErrors.internal((err as Error).message).status);
    } finally {
      this.streams.delete(abort);
    }
  }
}
