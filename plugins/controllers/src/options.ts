import { LEADER_ELECTION_SCHEMA, type Client, type LeaderElectionConfig } from '@skiff/sdk';

/** Leader election of the controller manager (see `LeaderElector`; its Lease defaults to `skiff-controller-manager`). */
export type ManagerLeaderElection = LeaderElectionConfig;

/** The serializable options of `controllerManager` (validated by {@link CONTROLLER_MANAGER_OPTIONS_SCHEMA}). */
export interface ControllerManagerConfig {
  /**
   * Which controllers run, by name (`replicaset`, `replicationcontroller`, `deployment`, …; see
   * `CONTROLLERS`): `enabled` (default `['*']`, every one) minus `disabled`. Unknown names fail
   * the plugin's options with `SKIFF_ERR_PLUGIN_OPTIONS`.
   */
  controllers?: { enabled?: string[]; disabled?: string[] };
  /** Options per controller name, passed to its factory (e.g. `{ nodelifecycle: { nodeMonitorGracePeriodMs: 2000 } }`). */
  controllerOptions?: Record<string, Record<string, unknown>>;
  leaderElection?: ManagerLeaderElection;
  /**
   * Run against a remote API server instead of this process's cluster (over `httpTransport`).
   * Controllers defined with `defineController` use it directly; plugin-shaped controllers are
   * given a cluster whose API requests go there.
   */
  server?: { url: string; token?: string; caCertPem?: string };
}

/** Options of `controllerManager`: the config plus what cannot be serialized. */
export interface ControllerManagerOptions extends ControllerManagerConfig {
  /** Reach the API with this client (wins over `server`); default in-process. */
  client?: Client;
}

const names = { type: 'array', items: { type: 'string', minLength: 1 } } as const;

/** JSON Schema of {@link ControllerManagerConfig}. */
export const CONTROLLER_MANAGER_OPTIONS_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  properties: {
    controllers: { type: 'object', additionalProperties: false, properties: { enabled: names, disabled: names } },
    controllerOptions: { type: 'object', additionalProperties: { type: 'object' } },
    leaderElection: LEADER_ELECTION_SCHEMA,
    server: {
      type: 'object',
      additionalProperties: false,
      required: ['url'],
      properties: { url: { type: 'string', pattern: '^https?://' }, token: { type: 'string' }, caCertPem: { type: 'string' } },
    },
  },
} as const;
