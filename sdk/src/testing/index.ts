export { createTestCluster, type TestCluster, type TestClusterOptions } from './test-cluster.js';
export { eventually, type EventuallyOptions } from './eventually.js';
