import type { MockDefaults } from './behaviour.js';
import { MockRuntime } from './mock-runtime.js';
import { defineRuntime } from '@skiff/sdk';
import { MockWorld } from './world.js';

/** Options for the {@link mockRuntime} plugin. */
export interface MockRuntimePluginOptions {
  /** Behaviour for containers whose annotations say nothing (start delay, CPU, memory). */
  defaults?: MockDefaults;
}

/** One world per simulated node per cluster, so a node agent restarted in the cluster adopts its containers. */
const worlds = new WeakMap<object, Map<string, MockWorld>>();

function worldFor(cluster: object, nodeName: string): MockWorld {
  let byNode = worlds.get(cluster);
  if (!byNode) worlds.set(cluster, (byNode = new Map()));
  let world = byNode.get(nodeName);
  if (!world) byNode.set(nodeName, (world = new MockWorld()));
  return world;
}

/**
 * The mock runtime plugin: registers `mock` in the cluster's `runtime` registry. Each node gets its
 * own simulated world, kept for the cluster's life, so every instance the node agent makes for a
 * node (for example after a restart) sees the same containers.
 */
export const mockRuntime = defineRuntime<MockRuntimePluginOptions | void>({
  name: 'mock',
  pluginName: 'MockRuntime',
  optionsSchema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      defaults: {
        type: 'object',
        additionalProperties: false,
        properties: {
          startDelayMs: { type: 'number', minimum: 0 },
          cpuMillicores: { type: 'number', minimum: 0 },
          memoryBytes: { type: 'number', minimum: 0 },
        },
      },
    },
  },
  create(options, context) {
    return new MockRuntime({ world: worldFor(context.cluster, context.nodeName), defaults: options?.defaults ?? {} });
  },
});
