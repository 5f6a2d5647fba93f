import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import type { Client } from '../client/client.js';
import type { LeaderElectorOptions } from './leader-elector.js';

/**
 * A component's `leaderElection` option (kube-scheduler's and kube-controller-manager's
 * `--leader-elect*` flags), as the scheduler and the controller manager take it.
 */
export interface LeaderElectionConfig {
  /** Default true: only the holder of the Lease does the work. */
  leaderElect?: boolean;
  /** Default: the component's own Lease name, in `kube-system`. */
  leaseName?: string;
  leaseNamespace?: string;
  /** Default `<hostname>_<random uuid>`. */
  identity?: string;
  /** Kubernetes' defaults: 15 000, 10 000 and 2 000 ms. */
  leaseDurationMs?: number;
  renewDeadlineMs?: number;
  retryPeriodMs?: number;
}

/** JSON Schema of {@link LeaderElectionConfig}, for components' option schemas. */
export const LEADER_ELECTION_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  properties: {
    leaderElect: { type: 'boolean' },
    leaseName: { type: 'string', minLength: 1 },
    leaseNamespace: { type: 'string', minLength: 1 },
    identity: { type: 'string', minLength: 1 },
    leaseDurationMs: { type: 'number', exclusiveMinimum: 0 },
    renewDeadlineMs: { type: 'number', exclusiveMinimum: 0 },
    retryPeriodMs: { type: 'number', exclusiveMinimum: 0 },
  },
} as const;

/** The candidate identity a component uses: the configured one, else `<hostname>_<random uuid>`. */
export function leaderIdentity(config: LeaderElectionConfig = {}): string {
  return config.identity ?? `${hostname()}_${randomUUID()}`;
}

/**
 * The {@link LeaderElectorOptions} (without callbacks) for a component's config: its Lease
 * (`leaseName ?? defaultLeaseName` in `leaseNamespace ?? kube-system`), `identity` and the timings
 * that are set.
 */
export function leaderElectorSettings(config: LeaderElectionConfig, client: Client, defaultLeaseName: string, identity: string): LeaderElectorOptions {
  return {
    client,
    name: config.leaseName ?? defaultLeaseName,
    namespace: config.leaseNamespace ?? 'kube-system',
    identity,
    ...(config.leaseDurationMs !== undefined ? { leaseDurationMs: config.leaseDurationMs } : {}),
    ...(config.renewDeadlineMs !== undefined ? { renewDeadlineMs: config.renewDeadlineMs } : {}),
    ...(config.retryPeriodMs !== undefined ? { retryPeriodMs: config.retryPeriodMs } : {}),
  };
}
