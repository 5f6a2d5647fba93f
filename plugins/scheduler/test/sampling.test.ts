import { defineSchedulerPlugin } from '@skiff/sdk';
import { createTestCluster, eventually } from '@skiff/sdk/testing';
import { describe, expect, it } from 'vitest';
import { scheduler } from '../src/index.js';
import { FAST, createNode, createPod, podsByName } from './fixtures.js';

describe('scheduler: sampling feasible nodes', () => {
  it('stops after enough feasible nodes, rotating where it starts, yet still finds the one node that fits', async () => {
    const visits: string[][] = [];
    const counter = defineSchedulerPlugin({
      name: 'Counter',
      create: () => ({
        preFilter: () => void visits.push([]),
        filter: (_s, _pod, node) => void visits[visits.length - 1]!.push(node.name),
      }),
    });
    await using t = await createTestCluster({
      plugins: [scheduler({ ...FAST, plugins: [counter], profiles: [{ schedulerName: 'default-scheduler', plugins: { filter: { enabled: [{ name: 'Counter' }] }, preFilter: { enabled: [{ name: 'Counter' }] } } }] })],
    });
    const NODES = 300; // adaptive: 50% - 300/125 = 48% → 144 nodes
    await Promise.all(Array.from({ length: NODES }, (_, i) => createNode(t.client, `n${String(i).padStart(3, '0')}`, { labels: { special: i === 7 ? 'yes' : 'no' } })));
    await createPod(t.client, 'first');
    await eventually(async () => expect((await podsByName(t.client)).get('first')?.spec?.nodeName).toBeDefined());
    await createPod(t.client, 'second');
    await eventually(async () => expect((await podsByName(t.client)).get('second')?.spec?.nodeName).toBeDefined());
    const [first, second] = visits.slice(-2);
    expect(first).toHaveLength(144);
    expect(second).toHaveLength(144);
    expect(new Set([...first!, ...second!]).size).toBe(288); // the second search started where the first stopped

    // A pod only one node can take: every node is examined, and that one is chosen.
    await createPod(t.client, 'needle', { nodeSelector: { special: 'yes' } });
    await eventually(async () => expect((await podsByName(t.client)).get('needle')?.spec?.nodeName).toBe('n007'));
  });
});
