import { createTestCluster, eventually } from '@skiff/sdk/testing';
import { describe, expect, it } from 'vitest';
import { scheduler } from '../src/index.js';
import { FAST, createNode, createPod, eventsFor } from './fixtures.js';

describe('scheduler: a pod that fits nowhere', () => {
  it('gets PodScheduled=False and a FailedScheduling event counting reasons the Kubernetes way, and is bound once a fitting node appears', async () => {
    await using t = await createTestCluster({ plugins: [scheduler(FAST)] });
    for (const name of ['small-1', 'small-2', 'small-3']) await createNode(t.client, name, { cpu: '1', labels: { disk: 'ssd' } });
    for (const name of ['hdd-1', 'hdd-2']) await createNode(t.client, name, { cpu: '8', labels: { disk: 'hdd' } });
    await createPod(t.client, 'big', { cpu: '2', nodeSelector: { disk: 'ssd' } });

    // Go's sort.Strings orders "2 node(s)…" before "3 Insufficient cpu".
    const expected = "0/5 nodes are available: 2 node(s) didn't match Pod's node affinity/selector, 3 Insufficient cpu.";
    const pods = t.client.resource('v1', 'Pod');
    await eventually(async () => {
      const pod = await pods.get('big', { namespace: 'default' });
      expect(pod.spec?.nodeName).toBeUndefined();
      const cond = pod.status?.conditions?.find((c) => c.type === 'PodScheduled');
      expect(cond).toMatchObject({ status: 'False', reason: 'Unschedulable', message: expected });
    });
    const [event] = await eventually(async () => {
      const events = await eventsFor(t.client, 'big', 'FailedScheduling');
      expect(events).toHaveLength(1);
      return events;
    });
    expect(event).toMatchObject({ type: 'Warning', message: expected, count: 1, involvedObject: { kind: 'Pod', name: 'big', namespace: 'default' } });

    // An unrelated node change retries the pod; the same failure bumps the event's count instead of adding one.
    const node = await t.client.resource('v1', 'Node').get('hdd-1');
    await t.client.resource('v1', 'Node').update({ ...node, metadata: { ...node.metadata, labels: { ...node.metadata.labels, touched: 'yes' } } });
    await eventually(async () => {
      const events = await eventsFor(t.client, 'big', 'FailedScheduling');
      expect(events).toHaveLength(1);
      expect(events[0]?.count).toBeGreaterThanOrEqual(2);
    });

    await createNode(t.client, 'big-ssd', { cpu: '4', labels: { disk: 'ssd' } });
    await eventually(async () => {
      const pod = await pods.get('big', { namespace: 'default' });
      expect(pod.spec?.nodeName).toBe('big-ssd');
      expect(pod.status?.conditions?.find((c) => c.type === 'PodScheduled')?.status).toBe('True');
    });
  });

  it('counts every reason of a node that fails several resource checks', async () => {
    await using t = await createTestCluster({ plugins: [scheduler(FAST)] });
    await createNode(t.client, 'n1', { cpu: '1', memory: '1Gi' });
    await createNode(t.client, 'n2', { cpu: '1', memory: '1Gi' });
    await createNode(t.client, 'n3', { cpu: '4', memory: '1Gi' });
    await createPod(t.client, 'hungry', { cpu: '2', memory: '2Gi' });
    await eventually(async () => {
      const [event] = await eventsFor(t.client, 'hungry', 'FailedScheduling');
      expect(event?.message).toBe('0/3 nodes are available: 2 Insufficient cpu, 3 Insufficient memory.');
    });
  });

  it('explains an empty cluster', async () => {
    await using t = await createTestCluster({ plugins: [scheduler(FAST)] });
    await createPod(t.client, 'lonely');
    await eventually(async () => {
      const [event] = await eventsFor(t.client, 'lonely', 'FailedScheduling');
      expect(event?.message).toBe('no nodes available to schedule pods');
    });
    await createNode(t.client, 'first');
    await eventually(async () => expect((await t.client.resource('v1', 'Pod').get('lonely', { namespace: 'default' })).spec?.nodeName).toBe('first'));
  });
});
