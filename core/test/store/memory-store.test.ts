import { memoryStore } from '../../src/store/index.js';
import { runStoreConformance } from '../../src/testing/index.js';

runStoreConformance('memory', async () => memoryStore(), { modelRuns: 150 });
