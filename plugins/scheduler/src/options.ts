import { EXTENSION_POINTS, LEADER_ELECTION_SCHEMA, type ExtensionPoint, type LeaderElectionConfig, type SchedulerPluginDefinition } from '@skiff/sdk';
import type { Client } from '@skiff/sdk';
import type { PluginRef } from './default-profile.js';

/** Plugins to enable and disable at one extension point (Kubernetes' `PluginSet`). */
export interface PluginSet {
  /** Added after the defaults (or, for a default plugin, changes its weight). */
  enabled?: PluginRef[];
  /** Removed from the defaults; `{ name: '*' }` removes every default. */
  disabled?: { name: string }[];
}

/** One profile: the plugins that schedule pods whose `spec.schedulerName` is `schedulerName`. */
export interface ProfileConfig {
  schedulerName: string;
  /**
   * Per extension point; `multiPoint` enables a plugin at every point it implements (the easy way
   * to add a custom plugin) and disables it at all of them.
   */
  plugins?: Partial<Record<ExtensionPoint | 'multiPoint', PluginSet>>;
  /** Args per plugin, validated against its `argsSchema`. */
  pluginConfig?: { name: string; args?: unknown }[];
  /** Overrides the scheduler-wide `percentageOfNodesToScore` for this profile. */
  percentageOfNodesToScore?: number;
}

/** Leader election of the scheduler (see `LeaderElector`; its Lease defaults to `kube-scheduler`). */
export type { LeaderElectionConfig };

/** The serializable options (validated by {@link SCHEDULER_OPTIONS_SCHEMA}). */
export interface SchedulerConfig {
  /** Profiles by `schedulerName`; default one profile, `default-scheduler`, with the default plugins. */
  profiles?: ProfileConfig[];
  /**
   * Stop looking for feasible nodes once this percentage of all nodes has been found feasible
   * (at least 100 nodes). 0 (default) is adaptive like Kubernetes: 50% minus 1% per 125 nodes,
   * at least 5%. 100 examines every node.
   */
  percentageOfNodesToScore?: number;
  /** Backoff of a pod after a failed attempt: initial (default 1 000 ms) doubling up to max (default 10 000 ms). */
  podInitialBackoffMs?: number;
  podMaxBackoffMs?: number;
  /** An unschedulable pod is retried after this long without a relevant event (default 300 000 ms). */
  podMaxUnschedulableMs?: number;
  /** Default wait limit of a Permit `Wait` (default 15 000 ms). */
  permitTimeoutMs?: number;
  leaderElection?: LeaderElectionConfig;
  /** Record a `Scheduled` Event for each bound pod (default true). */
  recordScheduledEvents?: boolean;
}

/** Options of {@link scheduler}: the config plus what cannot be serialized. */
export interface SchedulerOptions extends SchedulerConfig {
  /** Reach the API with this client (e.g. over `httpTransport`); default in-process. */
  client?: Client;
  /** Out-of-tree plugins (from `defineSchedulerPlugin`) that profiles may enable. */
  plugins?: SchedulerPluginDefinition<any>[];
}

const pluginSet = {
  type: 'object',
  additionalProperties: false,
  properties: {
    enabled: {
      type: 'array',
      items: { type: 'object', additionalProperties: false, required: ['name'], properties: { name: { type: 'string', minLength: 1 }, weight: { type: 'integer', minimum: 0, maximum: 100 } } },
    },
    disabled: { type: 'array', items: { type: 'object', additionalProperties: false, required: ['name'], properties: { name: { type: 'string', minLength: 1 } } } },
  },
} as const;

/** JSON Schema of {@link SchedulerConfig}. */
export const SCHEDULER_OPTIONS_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  properties: {
    profiles: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['schedulerName'],
        properties: {
          schedulerName: { type: 'string', minLength: 1 },
          plugins: {
            type: 'object',
            additionalProperties: false,
            properties: Object.fromEntries([...EXTENSION_POINTS, 'multiPoint'].map((p) => [p, pluginSet])),
          },
          pluginConfig: {
            type: 'array',
            items: { type: 'object', additionalProperties: false, required: ['name'], properties: { name: { type: 'string', minLength: 1 }, args: {} } },
          },
          percentageOfNodesToScore: { type: 'number', minimum: 0, maximum: 100 },
        },
      },
    },
    percentageOfNodesToScore: { type: 'number', minimum: 0, maximum: 100 },
    podInitialBackoffMs: { type: 'number', minimum: 0 },
    podMaxBackoffMs: { type: 'number', minimum: 0 },
    podMaxUnschedulableMs: { type: 'number', minimum: 1 },
    permitTimeoutMs: { type: 'number', minimum: 0 },
    recordScheduledEvents: { type: 'boolean' },
    leaderElection: LEADER_ELECTION_SCHEMA,
  },
} as const;
