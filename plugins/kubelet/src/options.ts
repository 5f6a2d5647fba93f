import { tmpdir } from 'node:os';
import { join } from 'node:path';
/** Options of one node agent (see {@link nodeAgent}). */
export interface NodeAgentOptions {
  /** The Node's name; pods bound to it (`spec.nodeName`) run here. */
  nodeName: string;
  /** The runtime (registry name) used for pods without `runtimeClassName`. Default `mock`. */
  runtime?: string;
  /** The pod address range, inside 127.0.0.0/8. Default `127.10.0.0/24`. */
  podCIDR?: string;
  /** `status.capacity` (and `allocatable`) of the Node. */
  capacity?: Record<string, string>;
  /** The Lease's `leaseDurationSeconds`. Default 40. */
  leaseDurationSeconds?: number;
  /** How often the Lease is renewed. Default 10 000 ms. */
  renewIntervalMs?: number;
  /** How often the Node's status (heartbeat times of conditions) is rewritten. Default 60 000 ms. */
  statusIntervalMs?: number;
  /** How often a pod with live containers is looked at again. Default 1 000 ms. */
  syncIntervalMs?: number;
  /**
   * How often the runtime is asked whether it is up (a change is posted to the Node at once). Default
   * 5 000 ms, as the kubelet. A runtime that does not answer within this long (at least 2 s) is down.
   */
  runtimeCheckIntervalMs?: number;
  /**
   * Restart backoff of exited containers: `initialMs` doubling per quick crash up to `maxMs`, back to
   * `initialMs` once an instance ran at least `resetMs` before exiting. Default 10 s → 300 s, reset after 600 s.
   */
  restartBackoff?: { initialMs?: number; maxMs?: number; resetMs?: number };
  /** Milliseconds per probe "second" (`initialDelaySeconds`, `periodSeconds`, `timeoutSeconds`). Default 1 000; tests shrink it. */
  secondsScale?: number;
  /** Where the agent keeps pod volumes (emptyDir folders, projected ConfigMaps and Secrets). Default `<tmpdir>/skiff-kubelet/<nodeName>`. */
  dataDir?: string;
  /**
   * The API server to use when the agent runs in its own process (`skiff node join`): its URL, the
   * node credential and the CA that signed its certificate. Absent: the cluster's in-process API.
   */
  server?: AgentServerConnection;
  /**
   * Port of the agent's own HTTP endpoint on 127.0.0.1 (pod logs for an API server in another
   * process; 0 picks a free one), reported in the Node's `daemonEndpoints`. Needs `server`, whose
   * token callers must present. Absent: no endpoint.
   */
  port?: number;
  /**
   * Graceful node shutdown (the kubelet's `shutdownGracePeriod`, in seconds): when set, `stop()`
   * first stops every pod on the node (preStop hooks, then SIGTERM, SIGKILL after the pod's grace
   * period capped at this) and removes its sandbox, so nothing the agent ran is left running. The
   * pods stay bound, and a new agent for the node starts their containers again. Absent: `stop()`
   * leaves pods running for the next agent to adopt.
   */
  shutdownGracePeriodSeconds?: number;
}

/** Where a node agent in its own process finds the API server. */
export interface AgentServerConnection {
  /** `https://host:port`. */
  url: string;
  /** The node credential (bearer token). */
  token: string;
  /** PEM of the CA that signed the server's certificate. */
  caCertPem?: string;
}

/** {@link NodeAgentOptions} with every default applied. */
export interface ResolvedNodeAgentOptions {
  nodeName: string;
  runtime: string;
  podCIDR: string;
  capacity: Record<string, string>;
  leaseDurationSeconds: number;
  renewIntervalMs: number;
  statusIntervalMs: number;
  syncIntervalMs: number;
  runtimeCheckIntervalMs: number;
  restartBackoff: { initialMs: number; maxMs: number; resetMs: number };
  secondsScale: number;
  dataDir: string;
  server?: AgentServerConnection;
  port?: number;
  shutdownGracePeriodSeconds?: number;
}

/** The capacity a node reports when not told otherwise. */
export const DEFAULT_CAPACITY: Readonly<Record<string, string>> = Object.freeze({ cpu: '4', memory: '8Gi', pods: '110', 'ephemeral-storage': '20Gi' });

/** Applies the defaults. */
export function resolveOptions(options: NodeAgentOptions): ResolvedNodeAgentOptions {
  return {
    nodeName: options.nodeName,
    runtime: options.runtime ?? 'mock',
    podCIDR: options.podCIDR ?? '127.10.0.0/24',
    capacity: { ...DEFAULT_CAPACITY, ...(options.capacity ?? {}) },
    leaseDurationSeconds: options.leaseDurationSeconds ?? 40,
    renewIntervalMs: options.renewIntervalMs ?? 10_000,
    statusIntervalMs: options.statusIntervalMs ?? 60_000,
    syncIntervalMs: options.syncIntervalMs ?? 1_000,
    runtimeCheckIntervalMs: options.runtimeCheckIntervalMs ?? 5_000,
    restartBackoff: {
      initialMs: options.restartBackoff?.initialMs ?? 10_000,
      maxMs: options.restartBackoff?.maxMs ?? 300_000,
      resetMs: options.restartBackoff?.resetMs ?? 600_000,
    },
    secondsScale: options.secondsScale ?? 1_000,
    dataDir: options.dataDir ?? join(tmpdir(), 'skiff-kubelet', options.nodeName),
    ...(options.server ? { server: { ...options.server } } : {}),
    ...(options.port !== undefined ? { port: options.port } : {}),
    ...(options.shutdownGracePeriodSeconds !== undefined ? { shutdownGracePeriodSeconds: options.shutdownGracePeriodSeconds } : {}),
  };
}

/** Schemas of the settings every node agent shares with hollow nodes. */
export const NODE_SHARED_SCHEMA_PROPERTIES = {
  runtime: { type: 'string', minLength: 1 },
  capacity: { type: 'object', additionalProperties: { type: 'string' } },
  leaseDurationSeconds: { type: 'integer', minimum: 1 },
  renewIntervalMs: { type: 'number', minimum: 1 },
  statusIntervalMs: { type: 'number', minimum: 1 },
  syncIntervalMs: { type: 'number', minimum: 1 },
  runtimeCheckIntervalMs: { type: 'number', minimum: 1 },
  secondsScale: { type: 'number', exclusiveMinimum: 0 },
  restartBackoff: {
    type: 'object',
    additionalProperties: false,
    properties: { initialMs: { type: 'number', minimum: 0 }, maxMs: { type: 'number', minimum: 0 }, resetMs: { type: 'number', minimum: 0 } },
  },
} as const;

/** The JSON Schema the plugin's options are validated against. */
export const NODE_AGENT_OPTIONS_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['nodeName'],
  dependencies: { port: ['server'] },
  properties: {
    ...NODE_SHARED_SCHEMA_PROPERTIES,
    nodeName: { type: 'string', minLength: 1 },
    podCIDR: { type: 'string', pattern: '^127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}/\\d{1,2}$' },
    dataDir: { type: 'string', minLength: 1 },
    server: {
      type: 'object',
      additionalProperties: false,
      required: ['url', 'token'],
      properties: { url: { type: 'string', pattern: '^https?://' }, token: { type: 'string', minLength: 1 }, caCertPem: { type: 'string', minLength: 1 } },
    },
    port: { type: 'integer', minimum: 0, maximum: 65535 },
    shutdownGracePeriodSeconds: { type: 'number', minimum: 0 },
  },
} as const;
