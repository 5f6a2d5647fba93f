import type { Pod } from '@skiff/core';
import { createTestCluster, eventually } from '@skiff/sdk/testing';
import { describe, expect, it } from 'vitest';
import { podRequests, quantityMilli, quantityValue, scheduler } from '../src/index.js';
import { FAST, createNode, podObject } from './fixtures.js';

/** A small deterministic PRNG so the burst is the same every run. */
function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

describe('scheduler: no overcommit', () => {
  it('never puts more requests on a node than it has allocatable after a burst of 500 pods racing for too little room', async () => {
    await using t = await createTestCluster({ plugins: [scheduler(FAST)] });
    const NODES = 10;
    for (let i = 0; i < NODES; i++) await createNode(t.client, `node-${i}`, { cpu: '1', memory: '1Gi', pods: '30' });
    const random = prng(42);
    const cpus = ['50m', '100m', '250m'];
    const mems = ['32Mi', '64Mi', '128Mi'];
    const pods = Array.from({ length: 500 }, (_, i) => podObject(`burst-${i}`, { cpu: cpus[Math.floor(random() * 3)]!, memory: mems[Math.floor(random() * 3)]! }));
    // All 500 at once: the scheduler sees them arrive while it is already binding earlier ones.
    await Promise.all(pods.map((p) => t.client.resource('v1', 'Pod').create(p)));

    const settled = async () => {
      const list = (await t.client.resource('v1', 'Pod').list({ namespace: 'default' })).items;
      const pending = list.filter((p) => !p.spec?.nodeName);
      // Quiescent: every pod is bound or was found unschedulable.
      for (const p of pending) expect(p.status?.conditions?.find((c) => c.type === 'PodScheduled')?.reason).toBe('Unschedulable');
      return list;
    };
    const list = await eventually(settled, { timeoutMs: 60_000, intervalMs: 200 });

    const byNode = new Map<string, Pod[]>();
    for (const p of list) if (p.spec?.nodeName) byNode.set(p.spec.nodeName, [...(byNode.get(p.spec.nodeName) ?? []), p]);
    let bound = 0;
    for (const [node, onNode] of byNode) {
      let cpu = 0;
      let mem = 0;
      for (const p of onNode) {
        const r = podRequests(p);
        cpu += r.milliCPU;
        mem += r.memory;
      }
      expect({ node, cpu: cpu <= quantityMilli('1'), memory: mem <= quantityValue('1Gi'), pods: onNode.length <= 30 }).toEqual({ node, cpu: true, memory: true, pods: true });
      bound += onNode.length;
    }
    // Room was short: some pods are left pending, and the cluster is well used (not starved by the race).
    expect(bound).toBeLessThan(500);
    expect(bound).toBeGreaterThan(NODES * 5);
    const pending = list.filter((p) => !p.spec?.nodeName);
    expect(pending.length).toBe(500 - bound);
  });
});
