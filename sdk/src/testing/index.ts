export { createTestCluster, type TestCluster, type TestClusterOptions } from './test-cluster.js';
export { eventually, type EventuallyOptions } from './eventually.js';
export { runRuntimeConformance, RUNTIME_SCENARIOS, type RuntimeConformanceOptions, type RuntimeScenario } from './runtime-conformance.js';
export { wholeClusterPlugins, type WholeClusterOptions } from './whole-cluster.js';
