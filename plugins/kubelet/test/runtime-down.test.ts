import { afterEach, describe, expect, it } from 'vitest';
import type { Node } from '@skiff/core';
import { defineRuntime, runtimeError, type ContainerRuntime } from '@skiff/sdk';
import { MockRuntime } from '@skiff/plugin-runtime-mock';
import { createTestCluster, eventually, type TestCluster } from '@skiff/sdk/testing';
import { nodeAgent } from '../src/index.js';
import { boundPod, getPod } from './fixtures.js';

let tc: TestCluster | undefined;
afterEach(async () => {
  await tc?.stop();
  tc = undefined;
});

/** A mock runtime whose engine can be switched off: every call fails as an unreachable engine does. */
function switchableRuntime() {
  const state = { up: false };
  const real = new MockRuntime();
  const instance = new Proxy(real, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver) as unknown;
      if (typeof value !== 'function' || prop === 'close' || prop === 'subscribeContainerEvents') return value;
      return (...args: unknown[]) => {
        if (!state.up) throw runtimeError('SKIFF_ERR_RUNTIME_UNAVAILABLE', 'engine at unix:///run/test.sock unreachable: connect ENOENT');
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  }) as ContainerRuntime;
  const plugin = defineRuntime({ name: 'switchable', create: () => instance });
  return { state, plugin };
}

const readyOf = (node: Node) => node.status?.conditions?.find((c) => c.type === 'Ready');

describe('a container runtime that cannot be reached', () => {
  it('leaves the node registered but not Ready with the reason, and runs pods once the runtime answers', async () => {
    const { state, plugin } = switchableRuntime();
    tc = await createTestCluster({
      plugins: [plugin(), nodeAgent({ nodeName: 'node-1', runtime: 'switchable', renewIntervalMs: 100, syncIntervalMs: 50, runtimeCheckIntervalMs: 50 })],
    });
    const nodes = tc.client.resource('v1', 'Node');
    const down = readyOf(await nodes.get('node-1'));
    expect(down).toMatchObject({ status: 'False', reason: 'KubeletNotReady' });
    expect(down?.message).toBe('container runtime is down: engine at unix:///run/test.sock unreachable: connect ENOENT');
    await tc.client.resource('v1', 'Pod').create(boundPod('waits'));

    state.up = true;
    await eventually(async () => expect(readyOf(await nodes.get('node-1'))).toMatchObject({ status: 'True', reason: 'KubeletReady' }));
    await eventually(async () => expect((await getPod(tc!, 'waits')).status?.phase).toBe('Running'));

    state.up = false;
    await eventually(async () => expect(readyOf(await nodes.get('node-1'))).toMatchObject({ status: 'False', reason: 'KubeletNotReady' }));
    expect((await nodes.get('node-1')).status?.nodeInfo?.containerRuntimeVersion).toMatch(/^skiff-mock:\/\//);
  });

  it('calls a runtime that accepts calls but never answers down, and Ready again once it answers', async () => {
    const real = new MockRuntime();
    const state = { hung: true };
    const instance = new Proxy(real, {
      get(target, prop, receiver) {
        const value = Reflect.get(target, prop, receiver) as unknown;
        if (prop !== 'version' || typeof value !== 'function') return value;
        return () => (state.hung ? new Promise(() => undefined) : (value as () => unknown).call(target));
      },
    }) as ContainerRuntime;
    tc = await createTestCluster({
      plugins: [defineRuntime({ name: 'hung', create: () => instance })(), nodeAgent({ nodeName: 'node-1', runtime: 'hung', renewIntervalMs: 100, syncIntervalMs: 50, runtimeCheckIntervalMs: 50 })],
    });
    const nodes = tc.client.resource('v1', 'Node');
    const down = readyOf(await nodes.get('node-1'));
    expect(down).toMatchObject({ status: 'False', reason: 'KubeletNotReady' });
    expect(down?.message).toBe('container runtime is down: no answer to version() within 2000 ms');

    state.hung = false;
    await eventually(async () => expect(readyOf(await nodes.get('node-1'))).toMatchObject({ status: 'True', reason: 'KubeletReady' }));
  });
});
