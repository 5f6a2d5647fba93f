import { join } from 'node:path';
import { SkiffError, type Plugin } from '@skiff/core';
import { dockerRuntime } from '@skiff/plugin-runtime-docker';
import { mockRuntime } from '@skiff/plugin-runtime-mock';
import { processRuntime } from '@skiff/plugin-runtime-process';

/** Runtime settings from flags or the config file; each runtime reads its own. */
export interface RuntimeSettings {
  /** Where runtimes keep state (the process runtime's shim and logs go under `<dataDir>/process`). */
  dataDir: string;
  /** The Docker engine (`--docker-host`); default `DOCKER_HOST`, else the default socket. */
  dockerHost?: string;
  /** The pod sandbox image for Docker (`--sandbox-image`). */
  sandboxImage?: string;
}

/** The runtime plugins this build of the CLI offers, by runtime name. */
const RUNTIMES: Record<string, (settings: RuntimeSettings) => Plugin<any>[]> = {
  mock: () => [mockRuntime()],
  process: ({ dataDir }) => [processRuntime({ stateDir: join(dataDir, 'process') })],
  docker: ({ dockerHost, sandboxImage }) => [dockerRuntime({ ...(dockerHost ? { host: dockerHost } : {}), ...(sandboxImage ? { sandboxImage } : {}) })],
};

/** The plugins that provide `runtime`; an unknown name is `SKIFF_ERR_CLI_USAGE` listing the known ones. */
export function runtimePlugins(runtime: string, settings: RuntimeSettings): Plugin<any>[] {
  const make = RUNTIMES[runtime];
  if (!make) throw new SkiffError('SKIFF_ERR_CLI_USAGE', `unknown runtime "${runtime}": this build offers ${Object.keys(RUNTIMES).join(', ')}`, { runtime });
  return make(settings);
}
