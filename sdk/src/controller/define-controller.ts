import { definePlugin, type Plugin, type PluginFactory } from '@skiff/core';
import { Client } from '../client/client.js';
import { inProcessTransport } from '../client/in-process.js';
import { startController, type RunningController } from './start-controller.js';
import type { ControllerDefinition } from './types.js';

export type { KindRef } from './shared-informers.js';
export type { ControllerBaseContext, ControllerContext, ControllerDefinition, ControllerSetupContext } from './types.js';

/**
 * What `defineController` returns: a plugin factory that also carries its `definition`, so a
 * controller manager can run the same controller behind leader election (with
 * `startController`) instead of as a plugin of its own.
 */
export type ControllerFactory<Options = void, State = void> = PluginFactory<Options> & {
  readonly definition: ControllerDefinition<Options, State>;
};

/**
 * Defines a controller as a plugin: the returned factory makes a plugin that, when the cluster
 * starts, opens informers for the watched kinds, waits for their caches to sync, then runs the
 * reconcile loop; it stops (draining in-flight reconciles) when the cluster stops. The factory's
 * `definition` lets a controller manager run it instead (see `startController`).
 */
export function defineController<Options = void, State = void>(definition: ControllerDefinition<Options, State>): ControllerFactory<Options, State> {
  const factory = definePlugin<Options>({
    name: definition.name,
    core: definition.core ?? '^0.1.0',
    ...(definition.optionsSchema ? { optionsSchema: definition.optionsSchema } : {}),
    apply(cluster, options) {
      let running: RunningController | undefined;
      let abort: AbortController | undefined;
      cluster.addComponent({
        name: `controller:${definition.name}`,
        // Restartable: each start runs a fresh controller (fresh informers and setup state).
        async start() {
          abort = new AbortController();
          running = await startController(definition, { client: new Client(inProcessTransport(cluster)), options, signal: abort.signal });
        },
        async stop() {
          abort?.abort();
          await running?.stop();
          running = undefined;
        },
      });
    },
  });
  const make = (options?: Options) => {
    const plugin = (factory as (options?: Options) => Plugin<Options>)(options);
    definitions.set(plugin, definition as ControllerDefinition<any, any>);
    return plugin;
  };
  return Object.assign(make, { definition }) as unknown as ControllerFactory<Options, State>;
}

/** The controller definitions behind plugins made by `defineController` factories. */
const definitions = new WeakMap<Plugin<any>, ControllerDefinition<any, any>>();

/**
 * The controller definition of a plugin made by a `defineController` factory (undefined for any
 * other plugin), so a controller manager can run it with `startController` (over its own client and
 * shared informers, behind leader election) instead of applying the plugin.
 */
export function controllerDefinitionOf(plugin: Plugin<any>): ControllerDefinition<any, any> | undefined {
  return definitions.get(plugin);
}

