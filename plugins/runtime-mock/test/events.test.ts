import { describe, expect, it } from 'vitest';
import { MOCK_ANNOTATIONS as M, type ContainerEvent } from '@skiff/sdk';
import { eventually } from '@skiff/sdk/testing';
import { MockRuntime } from '../src/index.js';
import { runtimeWithPod } from './fixtures.js';

describe('mock runtime: container events', () => {
  it('tells a scheduled exit (mock-run-ms) when it happens, with one timer only for containers that will exit', async () => {
    const { runtime, run } = await runtimeWithPod();
    const events: ContainerEvent[] = [];
    const unsubscribe = runtime.subscribeContainerEvents((e) => events.push(e));
    const job = await run('job', { [M.runMs]: '80', [M.exitCode]: '1' });
    const server = await run('server');
    expect(runtime.world.containers.get(job)!.exitTimer).toBeDefined();
    expect(runtime.world.containers.get(server)!.exitTimer).toBeUndefined();
    expect(events.filter((e) => e.containerId === job).map((e) => e.type)).toEqual(['created', 'started']);
    const stopped = await eventually(() => {
      const e = events.find((x) => x.containerId === job && x.type === 'stopped');
      expect(e).toBeDefined();
      return e!;
    });
    const status = await runtime.containerStatus(job);
    expect(stopped.at.getTime()).toBe(status.finishedAt!.getTime());
    unsubscribe();
    expect(runtime.world.containers.get(server)!.exitTimer).toBeUndefined();
  });

  it('does not replay the past to a first subscriber, and is silent after close()', async () => {
    const world = (await runtimeWithPod()).runtime.world;
    const first = new MockRuntime({ world });
    const { run } = await runtimeWithPod({}, first);
    const before = await run('before', { [M.runMs]: '0' });
    const events: ContainerEvent[] = [];
    first.subscribeContainerEvents((e) => events.push(e));
    expect(events).toEqual([]);
    await first.removeContainer(before);
    expect(events.map((e) => e.type)).toEqual(['deleted']);
    await first.close();
    await run('after').catch(() => undefined);
    expect(events.map((e) => e.type)).toEqual(['deleted']);
  });
});
