import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ObjectApi, PodLogSource, UserInfo } from '@skiff/core';
import type { ResourceRoute } from './router.js';

/** Server-wide settings and bookkeeping the handlers need. */
export interface ServerRuntime {
  /** Largest request body accepted (bytes); bigger ones answer 413. */
  maxBodyBytes: number;
  /** How often a watch with `allowWatchBookmarks=true` gets a BOOKMARK (ms). */
  bookmarkIntervalMs: number;
  /** Watches without `timeoutSeconds` end after a random time in [min, 2·min] seconds (Kubernetes' `--min-request-timeout`). */
  minRequestTimeoutSeconds: number;
  /** Open watch and log streams, stopped when the server stops. */
  watches: Set<{ stop(): void }>;
  /** The log source of the node agent running on a node, if any. */
  podLogs: (nodeName: string) => PodLogSource | undefined;
  /** Reports unexpected errors (bugs); never throws. */
  log: (message: string, err?: unknown) => void;
}

/** One resource request on its way through the handlers. */
export interface ResourceContext {
  req: IncomingMessage;
  res: ServerResponse;
  route: ResourceRoute;
  query: URLSearchParams;
  /** The authenticated user; undefined means the in-process system user. */
  user: UserInfo | undefined;
  api: ObjectApi;
  runtime: ServerRuntime;
}
