import http from 'node:http';
import https from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { SkiffError, type ObjectApi, type PodLogSource, type ResourceRegistry } from '@skiff/core';
import { MAX_BODY_BYTES } from './body.js';
import type { ServerRuntime } from './context.js';
import { createRequestListener } from './handler.js';
import type { Authenticator, Authorizer, NonResourceRoute } from './types.js';

export interface HttpApiServerConfig {
  host: string;
  /** 0 picks a free port. */
  port: number;
  /** PEM certificate and key: serve HTTPS. Absent: plain HTTP. */
  tls?: { cert: string; key: string } | undefined;
  maxBodyBytes?: number;
  bookmarkIntervalSeconds?: number;
  minRequestTimeoutSeconds?: number;
  authenticate?: Authenticator | undefined;
  authorize?: Authorizer | undefined;
  log?: ((message: string, err?: unknown) => void) | undefined;
  /** Non-resource paths served beside the API, e.g. OpenAPI documents. */
  extraRoutes?: readonly NonResourceRoute[] | undefined;
}

export interface HttpApiServerDeps {
  /** The request path; read per request. */
  api: () => ObjectApi;
  resources: ResourceRegistry;
  /** The log source of the node agent running on a node, if any (serves `pods/<name>/log`). */
  podLogs?: (nodeName: string) => PodLogSource | undefined;
}

/**
 * The Kubernetes REST API over node:http or node:https. Request and socket timeouts are off so
 * watches can stream for as long as they are asked to; `close()` ends open watches and drops every
 * connection, so it returns promptly.
 */
export class HttpApiServer {
  private server: http.Server | https.Server | undefined;
  private readonly sockets = new Set<Socket>();
  private readonly runtime: ServerRuntime;
  private boundPort: number | undefined;

  constructor(
    private readonly deps: HttpApiServerDeps,
    private readonly config: HttpApiServerConfig,
  ) {
    this.runtime = {
      maxBodyBytes: config.maxBodyBytes ?? MAX_BODY_BYTES,
      bookmarkIntervalMs: (config.bookmarkIntervalSeconds ?? 30) * 1000,
      minRequestTimeoutSeconds: config.minRequestTimeoutSeconds ?? 1800,
      watches: new Set(),
      podLogs: deps.podLogs ?? (() => undefined),
      log:
        config.log ??
        ((message, err) => {
          console.error(message, err);
        }),
    };
  }

  /** Starts listening; resolves once the port is bound. */
  async listen(): Promise<void> {
    if (this.server) return;
    const listener = createRequestListener({
      runtime: this.runtime,
      resources: this.deps.resources,
      api: this.deps.api,
      authenticate: this.config.authenticate,
      authorize: this.config.authorize,
      serverAddress: () => `${this.hostForUrl()}:${this.port()}`,
      extraRoutes: this.config.extraRoutes,
    });
    const server = this.config.tls ? https.createServer({ cert: this.config.tls.cert, key: this.config.tls.key }, listener) : http.createServer(listener);
    // Watches stream for minutes: no whole-request deadline and no idle-socket timeout.
    server.requestTimeout = 0;
    server.headersTimeout = 60_000;
    server.timeout = 0;
    server.keepAliveTimeout = 65_000;
    server.on('connection', (socket: Socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    server.on('secureConnection', (socket: Socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    server.on('clientError', (_err, socket: Socket) => {
      if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
      else socket.destroy();
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.config.port, this.config.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    server.on('error', (err) => this.runtime.log('apiserver: server error', err));
    this.server = server;
    this.boundPort = (server.address() as AddressInfo).port;
  }

  /** Ends open watches, stops accepting, and drops every connection. */
  async close(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    for (const watch of [...this.runtime.watches]) watch.stop();
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeAllConnections();
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
    await closed;
  }

  /** The bound port; throws before `listen()`. */
  port(): number {
    if (this.boundPort === undefined) {
      throw new SkiffError('SKIFF_ERR_CLUSTER_STATE', 'the API server is not listening yet: start the cluster first', { component: 'ApiServer' });
    }
    return this.boundPort;
  }

  /** `http(s)://host:port`; throws before `listen()`. */
  url(): string {
    return `${this.config.tls ? 'https' : 'http'}://${this.hostForUrl()}:${this.port()}`;
  }

  private hostForUrl(): string {
    const host = this.config.host === '0.0.0.0' ? '127.0.0.1' : this.config.host === '::' ? '::1' : this.config.host;
    return host.includes(':') ? `[${host}]` : host;
  }
}
