/**
 * @skiff/plugin-runtime-mock: a simulated container runtime (like kwok) for tests and scale. Pods
 * choose their containers' behaviour with `skiff.dev/mock-*` annotations (`MOCK_ANNOTATIONS` in
 * `@skiff/sdk`): start delay, run time, exit code, start and image failures, log lines, CPU and
 * memory usage, exec (probe) results.
 */
export { MockRuntime, MOCK_RUNTIME_VERSION, type MockRuntimeOptions } from './mock-runtime.js';
export { MockWorld, type MockContainer, type MockExit, type MockSandbox } from './world.js';
export { readBehaviour, type MockBehaviour, type MockDefaults } from './behaviour.js';
export { mockRuntime, type MockRuntimePluginOptions } from './plugin.js';
