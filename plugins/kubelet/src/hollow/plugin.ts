import { POD_LOGS_REGISTRY, definePlugin, type Plugin, type PodLogSource } from '@skiff/core';
import { HollowNodes } from './hollow-nodes.js';
import { HOLLOW_NODES_OPTIONS_SCHEMA, type HollowNodesOptions } from './options.js';

/** The plugin's name; one `hollowNodes` plugin per cluster. */
export const HOLLOW_NODES_PLUGIN = 'HollowNodes';

const running = new WeakMap<object, HollowNodes>();

/**
 * Simulated nodes (kwok-like): `hollowNodes({ count: 1000 })` adds a component that, when the
 * cluster starts, registers `hollow-node-0` … `hollow-node-999` (each with its own Node, Lease and
 * pod range `127.(100+⌊i/256⌋).(i mod 256).0/24`) and runs the pods bound to them through the
 * runtime `options.runtime` (default `mock`, which needs `mockRuntime()` in the cluster) — with one
 * shared watch, work queue, lease renewer and status loop (see {@link HollowNodes}). Each node's
 * pod logs are registered under its name in `POD_LOGS_REGISTRY`, so `kubectl logs` works.
 */
export function hollowNodes(options: HollowNodesOptions): Plugin<HollowNodesOptions> {
  const factory = definePlugin<HollowNodesOptions>({
    name: HOLLOW_NODES_PLUGIN,
    core: '^0.1.0',
    optionsSchema: HOLLOW_NODES_OPTIONS_SCHEMA,
    apply(cluster, opts) {
      const hollow = new HollowNodes(cluster, opts);
      const logs = cluster.registry<PodLogSource>(POD_LOGS_REGISTRY);
      for (const node of hollow.nodes.values()) logs.register(node.name, node.podLogs, HOLLOW_NODES_PLUGIN);
      cluster.addComponent({
        name: 'hollow-nodes',
        async start() {
          running.set(cluster, hollow);
          await hollow.start();
        },
        async stop() {
          running.delete(cluster);
          await hollow.stop();
        },
      });
    },
  });
  return factory(options);
}

/** The running {@link HollowNodes} of a cluster, if its plugin is applied and the cluster started. */
export function hollowNodesOf(cluster: object): HollowNodes | undefined {
  return running.get(cluster);
}
