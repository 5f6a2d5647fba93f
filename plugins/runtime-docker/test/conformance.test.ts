import { afterAll, expect } from 'vitest';
import { runRuntimeConformance } from '@skiff/sdk/testing';
import { DockerRuntime } from '../src/index.js';
import { TEST_IMAGE, describeEngine, engineAvailable, removeNode, runtimeOptions, testNode } from './engine.js';

const nodeName = testNode('conformance');

if (engineAvailable) {
  runRuntimeConformance('docker', async () => new DockerRuntime(runtimeOptions(nodeName)), { image: TEST_IMAGE });
  afterAll(async () => {
    // Every test removes its sandbox: nothing may be left behind.
    expect(await removeNode(nodeName)).toBe(0);
  });
} else {
  describeEngine('runtime conformance: docker', () => undefined);
}
