import { definePlugin, POD_LOGS_REGISTRY, serviceKey, SkiffError, type Plugin, type PodLogSource } from '@skiff/core';
import { openApiRoutes } from './openapi-routes.js';
import { nodeAgentLogs, type NodeClientOptions } from './server/node-logs.js';
import { HttpApiServer } from './server/server.js';
import type { Authenticator, Authorizer, NonResourceRoute } from './server/types.js';

/** The JSON-able options, validated with the plugin's options schema (defaults applied). */
export interface ApiServerSettings {
  /** Address to listen on (default `127.0.0.1`). */
  host?: string;
  /** Port (default 6443; 0 picks a free port: read it from the {@link ApiServerKey} service). */
  port?: number;
  /** PEM certificate and key; when absent the server speaks plain HTTP. */
  tls?: { cert: string; key: string };
  /** Largest request body in bytes (default 3 MiB, as Kubernetes); larger ones answer 413. */
  maxBodyBytes?: number;
  /** How often watches with `allowWatchBookmarks=true` get a BOOKMARK (default 30 s, at most 60 s). */
  bookmarkIntervalSeconds?: number;
  /**
   * Watches without `timeoutSeconds` end after a random time between this and twice this many
   * seconds (Kubernetes' `--min-request-timeout`, default 1800); clients then resume.
   */
  minRequestTimeoutSeconds?: number;
}

/**
 * Functions that plug into the request path. They are not JSON, so they stay out of the options
 * schema: {@link apiServer} takes them from the same options object and keeps them aside.
 */
export interface ApiServerHooks {
  /** Who is asking (see {@link Authenticator}); absent: every request is the in-process system user. */
  authenticate?: Authenticator;
  /** Whether the request may proceed (see {@link Authorizer}); absent: everything is allowed. */
  authorize?: Authorizer;
  /** Where unexpected errors (bugs, never client mistakes) are reported; default `console.error`. */
  log?: (message: string, err?: unknown) => void;
  /** Non-resource paths served beside the API (such as `/openapi/v3/`), matched before the built-in routes. */
  extraRoutes?: NonResourceRoute[];
  /**
   * How to reach node agents in other processes (for `pods/<name>/log` of their pods). Absent: only
   * agents registered in this process (`POD_LOGS_REGISTRY`) serve logs.
   */
  nodeClient?: NodeClientOptions;
}

export type ApiServerOptions = ApiServerSettings & ApiServerHooks;

/** What the running API server tells others: where it listens. */
export interface ApiServerHandle {
  /** `http://host:port` or `https://host:port`; throws before the cluster started. */
  url(): string;
  /** The bound port (useful with `port: 0`); throws before the cluster started. */
  port(): number;
}

/** The service the ApiServer plugin publishes. */
export const ApiServerKey = serviceKey<ApiServerHandle>('ApiServer/server');

const optionsSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    host: { type: 'string', minLength: 1, default: '127.0.0.1' },
    port: { type: 'integer', minimum: 0, maximum: 65535, default: 6443 },
    tls: {
      type: 'object',
      additionalProperties: false,
      required: ['cert', 'key'],
      properties: { cert: { type: 'string', minLength: 1 }, key: { type: 'string', minLength: 1 } },
    },
    maxBodyBytes: { type: 'integer', minimum: 1, default: 3 * 1024 * 1024 },
    bookmarkIntervalSeconds: { type: 'number', exclusiveMinimum: 0, maximum: 60, default: 30 },
    minRequestTimeoutSeconds: { type: 'number', exclusiveMinimum: 0, default: 1800 },
  },
} as const;

const HOOK_NAMES = ['authenticate', 'authorize', 'log'] as const;

/**
 * The Kubernetes REST API over HTTP(S) for Skiff: kubectl and `@kubernetes/client-node` work
 * against it. It translates requests into `cluster.api` calls (admission and validation apply) and
 * publishes {@link ApiServerKey}. JSON-able options are checked against the plugin's schema;
 * `authenticate`, `authorize`, `log` and `extraRoutes` carry functions: they are checked here and
 * kept out of the schema (ajv validation clones options, which functions cannot survive); so does
 * `nodeClient`, a credential that should never appear in validation errors.
 */
export function apiServer(options: ApiServerOptions = {}): Plugin<ApiServerSettings> {
  const { authenticate, authorize, log, extraRoutes, nodeClient, ...settings } = options;
  if (extraRoutes !== undefined && (!Array.isArray(extraRoutes) || extraRoutes.some((r) => !r || typeof r.path !== 'string' || !r.path.startsWith('/') || typeof r.handle !== 'function'))) {
    throw new SkiffError('SKIFF_ERR_PLUGIN_OPTIONS', 'plugin "ApiServer": option extraRoutes must be a list of { path: "/…", handle() }', {
      plugin: 'ApiServer',
      causes: [{ path: 'extraRoutes', message: 'must be a list of { path, handle }' }],
    });
  }
  for (const name of HOOK_NAMES) {
    const value = options[name];
    if (value !== undefined && typeof value !== 'function') {
      throw new SkiffError('SKIFF_ERR_PLUGIN_OPTIONS', `plugin "ApiServer": option ${name} must be a function`, {
        plugin: 'ApiServer',
        causes: [{ path: name, message: 'must be a function' }],
      });
    }
  }
  const factory = definePlugin<ApiServerSettings>({
    name: 'ApiServer',
    core: '^0.1.0',
    optionsSchema,
    apply(cluster, opts) {
      const server = new HttpApiServer(
        {
          api: () => cluster.api,
          resources: cluster.resources,
          podLogs: (node) => {
            const sources = cluster.registry<PodLogSource>(POD_LOGS_REGISTRY);
            if (sources.has(node)) return sources.get(node);
            return nodeClient ? nodeAgentLogs(() => cluster.api, cluster.resources, node, nodeClient) : undefined;
          },
        },
        {
          host: opts.host ?? '127.0.0.1',
          port: opts.port ?? 6443,
          tls: opts.tls,
          ...(opts.maxBodyBytes !== undefined ? { maxBodyBytes: opts.maxBodyBytes } : {}),
          ...(opts.bookmarkIntervalSeconds !== undefined ? { bookmarkIntervalSeconds: opts.bookmarkIntervalSeconds } : {}),
          ...(opts.minRequestTimeoutSeconds !== undefined ? { minRequestTimeoutSeconds: opts.minRequestTimeoutSeconds } : {}),
          authenticate,
          authorize,
          log,
          extraRoutes: [...(extraRoutes ?? []), ...openApiRoutes(cluster)],
        },
      );
      cluster.provide(ApiServerKey, { url: () => server.url(), port: () => server.port() });
      cluster.addComponent({ name: 'ApiServer', start: () => server.listen(), stop: () => server.close() });
    },
  });
  return factory(settings);
}
