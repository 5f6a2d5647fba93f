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
  /** Restart backoff of exited containers: `initialMs` doubling per restart up to `maxMs`. Default 10 s → 300 s. */
  restartBackoff?: { initialMs?: number; maxMs?: number };
  /** Milliseconds per probe "second" (`initialDelaySeconds`, `periodSeconds`, `timeoutSeconds`). Default 1 000; tests shrink it. */
  secondsScale?: number;
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
  restartBackoff: { initialMs: number; maxMs: number };
  secondsScale: number;
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
    restartBackoff: { initialMs: options.restartBackoff?.initialMs ?? 10_000, maxMs: options.restartBackoff?.maxMs ?? 300_000 },
    secondsScale: options.secondsScale ?? 1_000,
  };
}

/** The JSON Schema the plugin's options are validated against. */
export const NODE_AGENT_OPTIONS_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['nodeName'],
  properties: {
    nodeName: { type: 'string', minLength: 1 },
    runtime: { type: 'string', minLength: 1 },
    podCIDR: { type: 'string', pattern: '^127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}/\\d{1,2}$' },
    capacity: { type: 'object', additionalProperties: { type: 'string' } },
    leaseDurationSeconds: { type: 'integer', minimum: 1 },
    renewIntervalMs: { type: 'number', minimum: 1 },
    statusIntervalMs: { type: 'number', minimum: 1 },
    syncIntervalMs: { type: 'number', minimum: 1 },
    secondsScale: { type: 'number', exclusiveMinimum: 0 },
    restartBackoff: {
      type: 'object',
      additionalProperties: false,
      properties: { initialMs: { type: 'number', minimum: 0 }, maxMs: { type: 'number', minimum: 0 } },
    },
  },
} as const;
