import { MockRuntime } from '../src/index.js';
import { runRuntimeConformance } from '@skiff/sdk/testing';

runRuntimeConformance('mock', async () => new MockRuntime(), {
  image: 'mock/busybox:1.36',
  makeAdopter: async (first) => new MockRuntime({ world: (first as MockRuntime).world }),
});

// The same contract when every container takes a while to start.
runRuntimeConformance('mock, 20 ms start delay', async () => new MockRuntime({ defaults: { startDelayMs: 20 } }), {
  makeAdopter: async (first) => new MockRuntime({ world: (first as MockRuntime).world, defaults: { startDelayMs: 20 } }),
});
