import { SkiffError, checkPlugins, definePlugin, flattenPlugins, type Cluster, type Component, type Plugin } from '@skiff/core';
import { Client, controllerDefinitionOf, httpTransport, inProcessTransport } from '@skiff/sdk';
import { daemonSetController } from './daemonset/index.js';
import { deploymentController } from './deployment/index.js';
import { endpointsController } from './endpoints/index.js';
import { garbageCollector } from './garbage-collector/index.js';
import { jobController } from './job/index.js';
import { namespaceController } from './namespace/index.js';
import { nodeLifecycleController } from './node-lifecycle/index.js';
import { CONTROLLER_MANAGER_OPTIONS_SCHEMA, type ControllerManagerConfig, type ControllerManagerOptions } from './options.js';
import { replicaSetController, replicationControllerController } from './replicaset/index.js';
import { clusterView } from './shared/cluster-view.js';
import { ControllerManager } from './shared/controller-manager.js';

/**
 * One controller the manager can run, by the name `controllers.enabled` / `disabled` use
 * (Kubernetes' `--controllers` names).
 *
 * Contract for `create`: return the controller as a plugin. A plugin made by a `defineController`
 * factory is run by the manager itself (over the manager's client — remote or in-process — with
 * informers shared among all controllers, behind leader election). Any other plugin is applied to a
 * view of the cluster whose `addComponent` hands its components to the manager: they are started
 * when the manager becomes the leader and stopped when it stops leading, possibly many times, so
 * they must be restartable; their API requests through `cluster.api` go to the manager's server.
 */
export interface ControllerEntry {
  name: string;
  /** Makes the controller's plugin; `options` are `controllerOptions[name]` of the manager, if given. */
  create(options?: Record<string, unknown>): Plugin<any>;
}

/** A controller's options from `controllerOptions`, or `{}` (checked against the controller's schema when the manager is applied). */
const given = <T>(options: Record<string, unknown> | undefined): T => (options ?? {}) as T;

/** Every controller the manager runs by default, in start order. Other controllers are added here. */
export const CONTROLLERS: ControllerEntry[] = [
  { name: 'replicaset', create: () => replicaSetController() },
  { name: 'replicationcontroller', create: () => replicationControllerController() },
  { name: 'deployment', create: () => deploymentController() },
  { name: 'daemonset', create: (options) => daemonSetController(given(options)) },
  { name: 'job', create: (options) => jobController(given(options)) },
  { name: 'endpoint', create: (options) => endpointsController(given(options)) },
  { name: 'nodelifecycle', create: (options) => nodeLifecycleController(given(options)) },
  { name: 'garbagecollector', create: (options) => garbageCollector(given(options)) },
  { name: 'namespace', create: (options) => namespaceController(given(options)) },
];

/** The entries `config.controllers` selects: `enabled` (default every one; `*` means every one) minus `disabled`. */
export function selectControllers(config: ControllerManagerConfig, all: readonly ControllerEntry[] = CONTROLLERS): ControllerEntry[] {
  const known = new Set(all.map((e) => e.name));
  const enabled = config.controllers?.enabled ?? ['*'];
  const disabled = new Set(config.controllers?.disabled ?? []);
  for (const name of [...enabled, ...disabled, ...Object.keys(config.controllerOptions ?? {})]) {
    if (name !== '*' && !known.has(name)) {
      throw new SkiffError('SKIFF_ERR_PLUGIN_OPTIONS', `ControllerManager: unknown controller "${name}" (known: ${[...known].join(', ')})`, { plugin: 'ControllerManager', controller: name });
    }
  }
  const wanted = enabled.includes('*') ? known : new Set(enabled);
  return all.filter((e) => wanted.has(e.name) && !disabled.has(e.name));
}

const running = new WeakMap<Cluster, ControllerManager>();

/**
 * The controller manager (`ControllerManager`): a preset that runs the selected controllers (every
 * one by default) behind leader election on the Lease `kube-system/skiff-controller-manager`, so
 * that of many managers only one acts; when it loses the Lease its controllers stop. It talks to
 * this process's cluster, or to a remote API server (`server` or `client`).
 */
export function controllerManager(options: ControllerManagerOptions = {}): Plugin<ControllerManagerConfig> {
  const { client: givenClient, ...config } = options;
  const factory = definePlugin<ControllerManagerConfig>({
    name: 'ControllerManager',
    core: '^0.1.0',
    optionsSchema: CONTROLLER_MANAGER_OPTIONS_SCHEMA,
    async apply(cluster, validated) {
      const entries = selectControllers(validated);
      const remote = validated.server ? httpTransport({ server: validated.server.url, ...(validated.server.token ? { token: validated.server.token } : {}), ...(validated.server.caCertPem ? { caCertPem: validated.server.caCertPem } : {}) }) : undefined;
      const client = givenClient ?? (remote ? new Client(remote) : new Client(inProcessTransport(cluster)));
      const plugins = flattenPlugins(entries.map((e) => e.create(validated.controllerOptions?.[e.name])));
      // Each controller's options against its own schema, its core range, duplicates: fail now, as the cluster would.
      checkPlugins(plugins);
      const components: Component[] = [];
      const view = clusterView(cluster, components, givenClient?.transport ?? remote);
      for (const plugin of plugins) {
        if (!controllerDefinitionOf(plugin)) await plugin.definition.apply(view, plugin.options);
      }
      const manager = new ControllerManager({ client, controllers: plugins, components, ...(validated.leaderElection ? { leaderElection: validated.leaderElection } : {}) });
      cluster.addComponent({
        name: 'controller-manager',
        async start() {
          running.set(cluster, manager);
          await manager.start();
        },
        async stop() {
          running.delete(cluster);
          await manager.stop();
        },
      });
    },
  });
  return factory(config);
}

/** The running controller manager of `cluster`, if its plugin is applied and the cluster started. */
export function controllerManagerOf(cluster: Cluster): ControllerManager | undefined {
  return running.get(cluster);
}
