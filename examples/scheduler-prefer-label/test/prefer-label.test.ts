import type { Pod } from '@skiff/core';
import { scheduler } from '@skiff/plugin-scheduler';
import { createTestCluster, eventually } from '@skiff/sdk/testing';
import { describe, expect, it } from 'vitest';
import { preferLabel } from '../src/index.js';

const profile = (args: unknown) => [
  {
    schedulerName: 'default-scheduler',
    plugins: { score: { enabled: [{ name: 'PreferLabel', weight: 10 }] } },
    pluginConfig: [{ name: 'PreferLabel', args }],
  },
];

async function addNode(client: import('@skiff/sdk').Client, name: string, labels: Record<string, string> = {}) {
  const nodes = client.resource('v1', 'Node');
  const node = await nodes.create({ apiVersion: 'v1', kind: 'Node', metadata: { name, labels: { 'kubernetes.io/hostname': name, ...labels } } });
  const resources = { cpu: '4', memory: '8Gi', pods: '110' };
  await nodes.updateStatus({ ...node, status: { capacity: resources, allocatable: resources } });
}

const pod = (name: string): Pod => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'default' },
  spec: { containers: [{ name: 'app', image: 'busybox', resources: { requests: { cpu: '100m', memory: '64Mi' } } }] },
});

describe('PreferLabel example scheduler plugin', () => {
  it('puts pods on the nodes that carry the label', async () => {
    await using t = await createTestCluster({
      plugins: [scheduler({ plugins: [preferLabel], profiles: profile({ label: 'example.com/fast' }), leaderElection: { leaderElect: false } })],
    });
    for (let i = 0; i < 4; i++) await addNode(t.client, `plain-${i}`);
    await addNode(t.client, 'fast-a', { 'example.com/fast': 'true' });
    await addNode(t.client, 'fast-b', { 'example.com/fast': 'yes' });
    const pods = t.client.resource('v1', 'Pod');
    for (let i = 0; i < 10; i++) await pods.create(pod(`web-${i}`));
    const placed = await eventually(async () => {
      const list = (await pods.list({ namespace: 'default' })).items;
      expect(list.every((p) => p.spec?.nodeName)).toBe(true);
      return list.map((p) => p.spec!.nodeName!);
    });
    expect(new Set(placed)).toEqual(new Set(['fast-a', 'fast-b']));
  });

  it('matches the value when one is given', async () => {
    await using t = await createTestCluster({
      plugins: [scheduler({ plugins: [preferLabel], profiles: profile({ label: 'disk', value: 'nvme' }), leaderElection: { leaderElect: false } })],
    });
    await addNode(t.client, 'sata', { disk: 'sata' });
    await addNode(t.client, 'nvme', { disk: 'nvme' });
    await addNode(t.client, 'none');
    const pods = t.client.resource('v1', 'Pod');
    for (let i = 0; i < 3; i++) await pods.create(pod(`db-${i}`));
    await eventually(async () => {
      const list = (await pods.list({ namespace: 'default' })).items;
      expect(list.map((p) => p.spec?.nodeName)).toEqual(['nvme', 'nvme', 'nvme']);
    });
  });

  it('refuses args without a label', async () => {
    await expect(createTestCluster({ plugins: [scheduler({ plugins: [preferLabel], profiles: profile({}) })] })).rejects.toMatchObject({
      code: 'SKIFF_ERR_PLUGIN_OPTIONS',
      details: { plugin: 'PreferLabel' },
    });
  });
});
