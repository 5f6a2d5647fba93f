import { SkiffError, type Plugin } from '@skiff/core';

/** Settings of the simulated parts {@link wholeClusterPlugins} adds. */
export interface WholeClusterOptions {
  /** How many simulated nodes (`node-0` … `node-<n-1>`, on the mock runtime). */
  nodes: number;
  /** Run the scheduler (default true). */
  scheduler?: boolean;
  /** Run the controller manager with every core controller (default true). */
  controllers?: boolean;
}

type PluginFactory = (options?: any) => Plugin<any>;

/**
 * Loads an optional peer package of the SDK by name. The names are not written as literal imports
 * on purpose: the plugins are built with the SDK, so the SDK cannot depend on them at build time.
 */
async function load(pkg: string, exportName: string): Promise<PluginFactory> {
  let mod: Record<string, unknown>;
  try {
    mod = (await import(/* @vite-ignore */ pkg)) as Record<string, unknown>;
  } catch (err) {
    throw new SkiffError('SKIFF_ERR_PLUGIN_MISSING_DEPENDENCY', `createTestCluster({ nodes }) needs ${pkg}; add it to your devDependencies (${(err as Error).message})`, { package: pkg });
  }
  const factory = mod[exportName];
  if (typeof factory !== 'function') throw new SkiffError('SKIFF_ERR_PLUGIN_MISSING_DEPENDENCY', `${pkg} does not export ${exportName}`, { package: pkg });
  return factory as PluginFactory;
}

/**
 * The plugins of a whole simulated cluster: the mock runtime and `nodes` hollow nodes (with test
 * timings: Leases renewed every second, pods looked at every 50 ms, restarts after 100 ms doubling
 * to 1 s), the scheduler, and the controller manager. They come from the optional peer packages
 * `@skiff/plugin-runtime-mock`, `@skiff/plugin-kubelet`, `@skiff/plugin-scheduler` and
 * `@skiff/plugin-controllers`; a missing one fails with `SKIFF_ERR_PLUGIN_MISSING_DEPENDENCY`.
 */
export async function wholeClusterPlugins(options: WholeClusterOptions): Promise<Plugin<any>[]> {
  const plugins: Plugin<any>[] = [];
  if (options.nodes > 0) {
    const mockRuntime = await load('@skiff/plugin-runtime-mock', 'mockRuntime');
    const hollowNodes = await load('@skiff/plugin-kubelet', 'hollowNodes');
    plugins.push(
      mockRuntime(),
      hollowNodes({
        count: options.nodes,
        namePrefix: 'node-',
        renewIntervalMs: 1_000,
        statusIntervalMs: 10_000,
        syncIntervalMs: 50,
        resyncIntervalMs: 5_000,
        restartBackoff: { initialMs: 100, maxMs: 1_000 },
        secondsScale: 100,
      }),
    );
  }
  if (options.scheduler !== false) plugins.push((await load('@skiff/plugin-scheduler', 'scheduler'))());
  if (options.controllers !== false) plugins.push((await load('@skiff/plugin-controllers', 'controllerManager'))());
  return plugins;
}
