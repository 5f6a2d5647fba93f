import { POD_LOGS_REGISTRY, definePlugin, type Plugin, type PodLogSource } from '@skiff/core';
import { NodeAgent } from './node-agent.js';
import type { NodePodLogs } from './pod-logs.js';
import { NODE_AGENT_OPTIONS_SCHEMA, type NodeAgentOptions } from './options.js';

/** The live agents of each cluster, by node name (for tests and tools). */
const agents = new WeakMap<object, Map<string, NodeAgent>>();

/**
 * The plugin name of a node's agent: `NodeAgent` plus the node name in PascalCase
 * (`node-1` → `NodeAgentNode1`), so one cluster can run several agents (one per node).
 */
export function nodeAgentPluginName(nodeName: string): string {
  const suffix = nodeName
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((part) => part[0]!.toUpperCase() + part.slice(1))
    .join('');
  return `NodeAgent${suffix}`;
}

/**
 * The node agent plugin: adds a component that, when the cluster starts, runs a {@link NodeAgent}
 * for `options.nodeName` (registers the Node, renews its Lease, runs its pods through the runtime
 * registered as `options.runtime` or the pod's `runtimeClassName`) and stops it with the cluster.
 * Needs a runtime plugin (e.g. `mockRuntime()`) in the same cluster. Several agents may share a
 * cluster; each plugin is named by {@link nodeAgentPluginName}. Each agent's {@link NodePodLogs} is
 * registered under its node name in the cluster registry `POD_LOGS_REGISTRY` (`podLogs`).
 */
export function nodeAgent(options: NodeAgentOptions): Plugin<NodeAgentOptions> {
  const factory = definePlugin<NodeAgentOptions>({
    name: nodeAgentPluginName(options.nodeName),
    core: '^0.1.0',
    optionsSchema: NODE_AGENT_OPTIONS_SCHEMA,
    apply(cluster, opts) {
      const agent = new NodeAgent(cluster, opts);
      // Registered once, here: registries reject duplicates and have no unregister.
      cluster.registry<PodLogSource>(POD_LOGS_REGISTRY).register(opts.nodeName, agent.podLogs, nodeAgentPluginName(opts.nodeName));
      cluster.addComponent({
        name: `node-agent:${opts.nodeName}`,
        async start() {
          let byNode = agents.get(cluster);
          if (!byNode) agents.set(cluster, (byNode = new Map()));
          byNode.set(opts.nodeName, agent);
          await agent.start();
        },
        async stop() {
          agents.get(cluster)?.delete(opts.nodeName);
          await agent.stop();
        },
      });
    },
  });
  return factory(options);
}

/** The running agent of `nodeName` in `cluster`, if its plugin is applied and the cluster started. */
export function nodeAgentOf(cluster: object, nodeName: string): NodeAgent | undefined {
  return agents.get(cluster)?.get(nodeName);
}
