import { definePlugin, type Cluster, type PluginFactory } from '@skiff/core';
import type { ContainerRuntime } from './types.js';

/** The name of the cluster registry (`cluster.registry<RuntimeFactory>(RUNTIME_REGISTRY)`) runtimes register in. */
export const RUNTIME_REGISTRY = 'runtime';

/** What a node agent passes when it asks a registered runtime for an instance. */
export interface RuntimeContext {
  /** The node the instance serves; runtimes that simulate nodes keep one world per node. */
  nodeName: string;
}

/**
 * Makes a runtime instance for a node. Registered by name in the `runtime` registry; the node agent
 * selects one per pod by `runtimeClassName` and calls it once per node (again after a restart, when
 * the new instance must adopt the containers the old one left).
 */
export type RuntimeFactory = (context: RuntimeContext) => ContainerRuntime | Promise<ContainerRuntime>;

/** What a runtime author writes. */
export interface RuntimeDefinition<Options = void> {
  /** The registry name, the `runtimeClassName` pods use (e.g. `mock`, `process`, `docker`). */
  name: string;
  /** The plugin's PascalCase name; default the name in PascalCase plus `Runtime` (`mock` → `MockRuntime`). */
  pluginName?: string;
  /** The semver range of @skiff/core supported (default `^0.1.0`). */
  core?: string;
  /** JSON Schema for the options, checked (defaults applied) before the cluster applies the plugin. */
  optionsSchema?: object;
  /**
   * Makes an instance for one node. Called lazily by the node agent, never while plugins apply; it
   * may connect to its backend and should fail with `SKIFF_ERR_RUNTIME_UNAVAILABLE` when it cannot.
   */
  create(options: Options, context: RuntimeContext & { cluster: Cluster }): ContainerRuntime | Promise<ContainerRuntime>;
}

function pascalCase(name: string): string {
  return name
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((part) => part[0]!.toUpperCase() + part.slice(1))
    .join('');
}

/**
 * Defines a runtime as a plugin: the returned factory (`mockRuntime(options)`) makes a plugin that
 * registers a {@link RuntimeFactory} under `definition.name` in the cluster's `runtime` registry.
 * Registering two runtimes with one name fails with `SKIFF_ERR_REGISTRY_DUPLICATE`.
 */
export function defineRuntime<Options = void>(definition: RuntimeDefinition<Options>): PluginFactory<Options> {
  return definePlugin<Options>({
    name: definition.pluginName ?? `${pascalCase(definition.name)}Runtime`,
    core: definition.core ?? '^0.1.0',
    ...(definition.optionsSchema ? { optionsSchema: definition.optionsSchema } : {}),
    apply(cluster, options) {
      const factory: RuntimeFactory = (context) => definition.create(options, { ...context, cluster });
      cluster.registry<RuntimeFactory>(RUNTIME_REGISTRY).register(definition.name, factory, cluster.currentPlugin);
    },
  });
}
