import { createTestCluster, eventually } from '@skiff/sdk/testing';
import { describe, expect, it } from 'vitest';
import { scheduler } from '../src/index.js';
import { FAST, createNode, createPod, eventsFor, podsByName } from './fixtures.js';

describe('scheduler: placement', () => {
  it('binds a pending pod to a node and records a Scheduled event', async () => {
    await using t = await createTestCluster({ plugins: [scheduler(FAST)] });
    await createNode(t.client, 'node-1');
    await createPod(t.client, 'web', { cpu: '100m' });
    const pods = t.client.resource('v1', 'Pod');
    await eventually(async () => expect((await pods.get('web', { namespace: 'default' })).spec?.nodeName).toBe('node-1'));
    await eventually(async () => {
      const [ev] = await eventsFor(t.client, 'web', 'Scheduled');
      expect(ev?.message).toBe('Successfully assigned default/web to node-1');
      expect(ev?.type).toBe('Normal');
    });
  });
});

describe('scheduler: the client option', () => {
  it('schedules the cluster its client talks to, not the one it runs in', async () => {
    await using target = await createTestCluster();
    await using host = await createTestCluster({ plugins: [scheduler({ ...FAST, client: target.client })] });
    await createNode(target.client, 'remote-node');
    await createPod(target.client, 'remote-pod');
    await eventually(async () => expect((await podsByName(target.client)).get('remote-pod')?.spec?.nodeName).toBe('remote-node'));
    expect((await host.client.resource('v1', 'Pod').list({ namespace: 'default' })).items).toHaveLength(0);
  });
});
