import { afterAll, expect } from 'vitest';
import { runRuntimeConformance } from '@skiff/sdk/testing';
import { ProcessRuntime } from '../src/index.js';
import { reap, tempStateDir } from './helpers.js';

// One state directory for the file: the suite's adopter is a second instance over the same one.
const stateDir = tempStateDir('skiff-process-conformance-');

runRuntimeConformance('process', async () => new ProcessRuntime({ stateDir }), { image: 'busybox:1.36' });

afterAll(() => {
  // Every test removes its sandbox: nothing may be left running.
  expect(reap(stateDir)).toEqual([]);
});
