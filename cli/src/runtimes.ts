import { join } from 'node:path';
import { SkiffError, type Plugin } from '@skiff/core';
import { mockRuntime } from '@skiff/plugin-runtime-mock';
import { processRuntime } from '@skiff/plugin-runtime-process';

/** The runtime plugins this build of the CLI offers, by runtime name; state goes under `dataDir`. */
const RUNTIMES: Record<string, (dataDir: string) => Plugin<any>[]> = {
  mock: () => [mockRuntime()],
  process: (dataDir) => [processRuntime({ stateDir: join(dataDir, 'process') })],
};

/** The plugins that provide `runtime`; an unknown name is `SKIFF_ERR_CLI_USAGE` listing the known ones. */
export function runtimePlugins(runtime: string, dataDir: string): Plugin<any>[] {
  const make = RUNTIMES[runtime];
  if (!make) throw new SkiffError('SKIFF_ERR_CLI_USAGE', `unknown runtime "${runtime}": this build offers ${Object.keys(RUNTIMES).join(', ')}`, { runtime });
  return make(dataDir);
}
