import type { ConfigMap, Event } from '@skiff/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EventRecorder } from '../src/index.js';
import { createTestCluster, type TestCluster } from '../src/testing/index.js';

const cm = (name: string, namespace = 'default'): ConfigMap => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace } });

describe('EventRecorder', () => {
  let t: TestCluster;
  let target: ConfigMap;
  const events = () => t.client.resource('v1', 'Event').list({ namespace: 'default' }).then((l) => l.items as Event[]);

  beforeEach(async () => {
    t = await createTestCluster();
    target = await t.client.resource('v1', 'ConfigMap').create(cm('web'));
  });
  afterEach(async () => {
    await t.stop();
  });

  it('writes a core v1 Event about the object with source, timestamps and count 1', async () => {
    const recorder = new EventRecorder(t.client, { component: 'replicaset-controller', host: 'host-a' });
    await recorder.record(target, 'Normal', 'SuccessfulCreate', 'Created pod: web-abcde');
    const [ev, ...rest] = await events();
    expect(rest).toHaveLength(0);
    expect(ev!.metadata.name).toMatch(/^web\.[0-9a-f]+$/);
    expect(ev!.involvedObject).toEqual({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      name: 'web',
      namespace: 'default',
      uid: target.metadata.uid,
      resourceVersion: target.metadata.resourceVersion,
    });
    expect(ev).toMatchObject({
      type: 'Normal',
      reason: 'SuccessfulCreate',
      message: 'Created pod: web-abcde',
      count: 1,
      source: { component: 'replicaset-controller', host: 'host-a' },
      reportingComponent: 'replicaset-controller',
      reportingInstance: 'host-a',
    });
    expect(ev!.firstTimestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(ev!.lastTimestamp).toBe(ev!.firstTimestamp);
  });

  it('deduplicates repeats into one Event with a count, also when recorded concurrently', async () => {
    let now = Date.parse('2026-01-01T00:00:00Z');
    const recorder = new EventRecorder(t.client, { component: 'c', now: () => now });
    await recorder.record(target, 'Warning', 'FailedCreate', 'quota exceeded');
    now += 5_000;
    await Promise.all(Array.from({ length: 9 }, () => recorder.record(target, 'Warning', 'FailedCreate', 'quota exceeded')));
    const list = await events();
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ count: 10, firstTimestamp: '2026-01-01T00:00:00Z', lastTimestamp: '2026-01-01T00:00:05Z' });
  });

  it('keeps different reasons, messages, types and objects apart', async () => {
    const other = await t.client.resource('v1', 'ConfigMap').create(cm('other'));
    const recorder = new EventRecorder(t.client, { component: 'c' });
    await recorder.record(target, 'Normal', 'A', 'm');
    await recorder.record(target, 'Normal', 'B', 'm');
    await recorder.record(target, 'Normal', 'A', 'm2');
    await recorder.record(target, 'Warning', 'A', 'm');
    await recorder.record(other, 'Normal', 'A', 'm');
    await recorder.record(target, 'Normal', 'A', 'm');
    const list = await events();
    expect(list).toHaveLength(5);
    expect(list.map((e) => e.count).sort()).toEqual([1, 1, 1, 1, 2]);
  });

  it('starts a new Event after the window, when the old one is gone, and after the LRU forgot it', async () => {
    let now = Date.parse('2026-01-01T00:00:00Z');
    const recorder = new EventRecorder(t.client, { component: 'c', dedupWindowMs: 60_000, maxTracked: 1, now: () => now });
    await recorder.record(target, 'Normal', 'A', 'm');
    now += 61_000;
    await recorder.record(target, 'Normal', 'A', 'm');
    expect((await events()).map((e) => e.count)).toEqual([1, 1]);

    for (const ev of await events()) await t.client.resource('v1', 'Event').delete(ev.metadata.name!, { namespace: 'default' });
    await recorder.record(target, 'Normal', 'A', 'm');
    expect((await events()).map((e) => e.count)).toEqual([1]);

    await recorder.record(target, 'Normal', 'B', 'm'); // evicts A (maxTracked 1)
    await recorder.record(target, 'Normal', 'A', 'm');
    expect((await events()).map((e) => e.count)).toEqual([1, 1, 1]);
  });

  it('puts events about cluster-scoped objects in default, and never rejects: failures are logged', async () => {
    const errors: string[] = [];
    const recorder = new EventRecorder(t.client, { component: 'c', logger: { error: (m) => errors.push(m) } });
    const node = { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1', uid: 'u1' } };
    await recorder.record(node, 'Normal', 'NodeReady', 'ready');
    expect((await events())[0]?.involvedObject).toEqual({ apiVersion: 'v1', kind: 'Node', name: 'n1', uid: 'u1' });

    await expect(recorder.record(cm('x', 'missing-namespace'), 'Normal', 'A', 'm')).resolves.toBeUndefined();
    expect(errors).toEqual(['could not record event']);
    // The fire-and-forget form (the scheduler handle's shape) writes in the background.
    recorder.event(target, 'Normal', 'Background', 'm');
    await recorder.flush();
    expect((await events()).some((e) => e.reason === 'Background')).toBe(true);
  });

  it('truncates messages longer than 1 KiB', async () => {
    const recorder = new EventRecorder(t.client, { component: 'c' });
    await recorder.record(target, 'Normal', 'Long', 'x'.repeat(5000));
    expect((await events())[0]?.message).toHaveLength(1024);
  });

  it('bounds writes in flight and drops events beyond a full queue', async () => {
    const recorder = new EventRecorder(t.client, { component: 'c', maxInFlight: 1, maxQueued: 1 });
    await Promise.all(Array.from({ length: 5 }, (_, i) => recorder.record(target, 'Normal', `R${i}`, 'm')));
    expect(recorder.dropped).toBe(3);
    expect((await events()).map((e) => e.reason).sort()).toEqual(['R0', 'R1']);
  });
});
