/**
 * @skiff/plugin-runtime-process: a container runtime that runs each container's command as a host
 * process group, sharing its pod's loopback address (127.0.0.0/8), with CRI-format rotated logs,
 * SIGTERM-then-SIGKILL stops, exit codes recorded by a per-container shim, stats from `/proc`, and
 * adoption of running containers by a new instance over the same state directory.
 */
export {
  ProcessRuntime,
  PROCESS_RUNTIME_VERSION,
  DEFAULT_LOG_MAX_BYTES,
  DEFAULT_LOG_MAX_FILES,
  defaultStateDir,
  type ProcessRuntimeOptions,
} from './process-runtime.js';
export { processRuntime, PROCESS_RUNTIME_OPTIONS_SCHEMA, type ProcessRuntimePluginOptions } from './plugin.js';
export { ENTRYPOINTLESS_IMAGES, imageBaseName, resolveArgv, containerEnv } from './command.js';
export { parseCriLine } from './log-reader.js';
export { UNKNOWN_EXIT_CODE } from './container-state.js';
export type { ProcessContainerStats } from './stats.js';
