import type { Pod } from '@skiff/core';
import { mockRuntime } from '@skiff/plugin-runtime-mock';
import { createTestCluster, type TestCluster } from '@skiff/sdk/testing';
import { nodeAgent } from '../src/index.js';

/** A test cluster with the mock runtime and a fast agent for `node-1`. */
export function clusterWithAgent(): Promise<TestCluster> {
  return createTestCluster({
    plugins: [
      mockRuntime(),
      nodeAgent({ nodeName: 'node-1', renewIntervalMs: 100, syncIntervalMs: 50, restartBackoff: { initialMs: 50, maxMs: 400 } }),
    ],
  });
}

/** A pod bound to `node-1` with one container `app`. */
export function boundPod(name: string, overrides: { annotations?: Record<string, string>; spec?: Partial<NonNullable<Pod['spec']>> } = {}): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default', ...(overrides.annotations ? { annotations: overrides.annotations } : {}) },
    spec: { nodeName: 'node-1', containers: [{ name: 'app', image: 'busybox:1.36' }], ...(overrides.spec ?? {}) },
  };
}

/** Reads a pod. */
export function getPod(tc: TestCluster, name: string): Promise<Pod> {
  return tc.client.resource('v1', 'Pod').get(name, { namespace: 'default' });
}
