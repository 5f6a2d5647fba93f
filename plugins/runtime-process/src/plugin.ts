import { join } from 'node:path';
import { defineRuntime } from '@skiff/sdk';
import { ProcessRuntime } from './process-runtime.js';

/** Options for the {@link processRuntime} plugin. */
export interface ProcessRuntimePluginOptions {
  /**
   * Where state and logs live: each node's in `<stateDir>/<nodeName>`, so nodes of one cluster never
   * see (and never adopt or remove) each other's containers. Default `<os.tmpdir()>/skiff-process-<nodeName>`.
   */
  stateDir?: string;
  /** A container's log file is rotated before it would pass this size. Default 10 MiB. */
  logMaxBytes?: number;
  /** Log files kept per container, the current one included. Default 5. */
  logMaxFiles?: number;
}

/** The JSON Schema of {@link ProcessRuntimePluginOptions}. */
export const PROCESS_RUNTIME_OPTIONS_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  properties: {
    stateDir: { type: 'string', minLength: 1 },
    logMaxBytes: { type: 'integer', minimum: 1024 },
    logMaxFiles: { type: 'integer', minimum: 1, maximum: 100 },
  },
} as const;

/**
 * The process runtime plugin: registers `process` in the cluster's `runtime` registry. Each node
 * agent gets an instance over its node's state directory (`<stateDir>/<nodeName>`, or
 * `<os.tmpdir()>/skiff-process-<nodeName>`), so a restarted agent adopts the containers its
 * predecessor left.
 */
export const processRuntime = defineRuntime<ProcessRuntimePluginOptions | void>({
  name: 'process',
  pluginName: 'ProcessRuntime',
  optionsSchema: PROCESS_RUNTIME_OPTIONS_SCHEMA,
  create(options, context) {
    const { stateDir, ...rest } = options ?? {};
    return new ProcessRuntime({ ...rest, nodeName: context.nodeName, ...(stateDir ? { stateDir: join(stateDir, context.nodeName) } : {}) });
  },
});
