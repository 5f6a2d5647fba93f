import { SkiffError } from '@skiff/core';
import { NODE_SHARED_SCHEMA_PROPERTIES, resolveOptions } from '../options.js';

/** Options of the {@link hollowNodes} plugin: `count` simulated nodes sharing one watch, one queue and one lease renewer. */
export interface HollowNodesOptions {
  /** How many nodes (at most {@link MAX_HOLLOW_NODES}). */
  count: number;
  /** Node names are `${namePrefix}${i}`, `i` from 0, not zero-padded. Default `hollow-node-`. */
  namePrefix?: string;
  /** The runtime (registry name) for pods without `runtimeClassName`. Default `mock`. */
  runtime?: string;
  /** `status.capacity` (and `allocatable`) of every node. Default as a node agent's. */
  capacity?: Record<string, string>;
  /** The Leases' `leaseDurationSeconds`. Default 40. */
  leaseDurationSeconds?: number;
  /** Every node's Lease is renewed once per this period, the renewals spread evenly over it. Default 10 000 ms. */
  renewIntervalMs?: number;
  /** Every node's status is rewritten once per this period, spread likewise. Default 60 000 ms. */
  statusIntervalMs?: number;
  /** How often a pod with live containers on a runtime without container events is looked at again. Default 1 000 ms. */
  syncIntervalMs?: number;
  /** How often a pod with live containers on a runtime with container events is looked at again. Default 60 000 ms. */
  resyncIntervalMs?: number;
  /** How many pods are synced at once, over all nodes. Default 64. */
  concurrency?: number;
  /** How many Lease/Node writes of the heartbeat loops may be in flight at once. Default 16. */
  apiConcurrency?: number;
  /** Restart backoff, as the node agent's option. */
  restartBackoff?: { initialMs?: number; maxMs?: number; resetMs?: number };
  /** Milliseconds per probe "second", as the node agent's option. Default 1 000. */
  secondsScale?: number;
}

/** {@link HollowNodesOptions} with every default applied. */
export interface ResolvedHollowNodesOptions {
  count: number;
  namePrefix: string;
  runtime: string;
  capacity: Record<string, string>;
  leaseDurationSeconds: number;
  renewIntervalMs: number;
  statusIntervalMs: number;
  syncIntervalMs: number;
  resyncIntervalMs: number;
  concurrency: number;
  apiConcurrency: number;
  restartBackoff: { initialMs: number; maxMs: number; resetMs: number };
  secondsScale: number;
}

/** The first octet pair of hollow pod ranges: node `i` gets `127.(100 + ⌊i/256⌋).(i mod 256).0/24`. */
const FIRST_SECOND_OCTET = 100;

/** How many hollow nodes fit the address plan (127.100.0.0/24 … 127.255.255.0/24). */
export const MAX_HOLLOW_NODES = (256 - FIRST_SECOND_OCTET) * 256;

/** The pod range of hollow node `i`: `127.(100 + ⌊i/256⌋).(i mod 256).0/24`, clear of a node agent's default `127.10.0.0/24`. */
export function hollowPodCIDR(i: number): string {
  if (!Number.isInteger(i) || i < 0 || i >= MAX_HOLLOW_NODES) {
    throw new SkiffError('SKIFF_ERR_PLUGIN_OPTIONS', `hollow node index ${i} is outside 0..${MAX_HOLLOW_NODES - 1}`, { index: i });
  }
  return `127.${FIRST_SECOND_OCTET + Math.floor(i / 256)}.${i % 256}.0/24`;
}

/** Applies the defaults. */
export function resolveHollowOptions(options: HollowNodesOptions): ResolvedHollowNodesOptions {
  if (!Number.isInteger(options.count) || options.count < 0 || options.count > MAX_HOLLOW_NODES) {
    throw new SkiffError('SKIFF_ERR_PLUGIN_OPTIONS', `hollowNodes: count must be an integer in 0..${MAX_HOLLOW_NODES}, got ${options.count}`, { count: options.count });
  }
  const { count, namePrefix, resyncIntervalMs, concurrency, apiConcurrency, ...shared } = options;
  // Every setting a hollow node shares with a node agent takes the node agent's default.
  const node = resolveOptions({ nodeName: 'hollow-node', ...shared });
  return {
    count,
    namePrefix: namePrefix ?? 'hollow-node-',
    runtime: node.runtime,
    capacity: node.capacity,
    leaseDurationSeconds: node.leaseDurationSeconds,
    renewIntervalMs: node.renewIntervalMs,
    statusIntervalMs: node.statusIntervalMs,
    syncIntervalMs: node.syncIntervalMs,
    resyncIntervalMs: resyncIntervalMs ?? 60_000,
    concurrency: concurrency ?? 64,
    apiConcurrency: apiConcurrency ?? 16,
    restartBackoff: node.restartBackoff,
    secondsScale: node.secondsScale,
  };
}

/** The JSON Schema the plugin's options are validated against. */
export const HOLLOW_NODES_OPTIONS_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['count'],
  properties: {
    count: { type: 'integer', minimum: 0, maximum: MAX_HOLLOW_NODES },
    namePrefix: { type: 'string', pattern: '^[a-z0-9]([-a-z0-9.]*[-a-z0-9.])?$' },
    ...NODE_SHARED_SCHEMA_PROPERTIES,
    resyncIntervalMs: { type: 'number', minimum: 1 },
    concurrency: { type: 'integer', minimum: 1 },
    apiConcurrency: { type: 'integer', minimum: 1 },
  },
} as const;
