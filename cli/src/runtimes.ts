import { SkiffError, type Plugin } from '@skiff/core';
import { mockRuntime } from '@skiff/plugin-runtime-mock';

/** The runtime plugins this build of the CLI offers, by runtime name. */
const RUNTIMES: Record<string, () => Plugin<any>[]> = {
  mock: () => [mockRuntime()],
};

/** The plugins that provide `runtime`; an unknown name is `SKIFF_ERR_CLI_USAGE` listing the known ones. */
export function runtimePlugins(runtime: string): Plugin<any>[] {
  const make = RUNTIMES[runtime];
  if (!make) throw new SkiffError('SKIFF_ERR_CLI_USAGE', `unknown runtime "${runtime}": this build offers ${Object.keys(RUNTIMES).join(', ')}`, { runtime });
  return make();
}
