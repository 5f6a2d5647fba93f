import type { ConfigMap, Secret } from '@skiff/core';
import { describe, expect, it } from 'vitest';
import { defineController, TerminalError } from '../src/index.js';
import { createTestCluster, eventually } from '../src/testing/index.js';

describe('defineController', () => {
  it('reconciles the primary kind level-triggered, reads from the cache and writes through the API', async () => {
    const seen: string[] = [];
    // Mirrors every ConfigMap labelled mirror=yes into a Secret it owns.
    const mirror = defineController({
      name: 'Mirror',
      for: { apiVersion: 'v1', kind: 'ConfigMap' },
      owns: [{ apiVersion: 'v1', kind: 'Secret' }],
      async reconcile(ctx, req) {
        seen.push(`${req.namespace}/${req.name}`);
        const source = ctx.cache<ConfigMap>({ apiVersion: 'v1', kind: 'ConfigMap' }).get(`${req.namespace}/${req.name}`);
        const secrets = ctx.client.resource('v1', 'Secret');
        const existing = ctx.cache<Secret>({ apiVersion: 'v1', kind: 'Secret' }).get(`${req.namespace}/${req.name}`);
        if (!source || source.metadata.labels?.['mirror'] !== 'yes') {
          if (existing) await secrets.delete(req.name, { namespace: req.namespace! });
          return;
        }
        const desired: Secret = {
          apiVersion: 'v1',
          kind: 'Secret',
          metadata: {
            name: req.name,
            namespace: req.namespace!,
            ownerReferences: [{ apiVersion: 'v1', kind: 'ConfigMap', name: req.name, uid: source.metadata.uid!, controller: true }],
          },
          stringData: source.data ?? {},
        };
        if (!existing) await secrets.create(desired);
        else if (JSON.stringify(existing.metadata.annotations?.['mirror/source']) !== JSON.stringify(source.metadata.resourceVersion)) {
          await secrets.update({ ...existing, stringData: source.data ?? {}, metadata: { ...existing.metadata, annotations: { 'mirror/source': source.metadata.resourceVersion! } } });
        }
      },
    });
    const t = await createTestCluster({ plugins: [mirror()] });
    try {
      const cms = t.client.resource('v1', 'ConfigMap');
      const secrets = t.client.resource('v1', 'Secret');
      await cms.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'm', namespace: 'default', labels: { mirror: 'yes' } }, data: { k: 'v' } });
      await eventually(async () => expect((await secrets.get('m', { namespace: 'default' })).metadata.ownerReferences?.[0]?.name).toBe('m'));
      // Deleting the owned Secret re-triggers the owner, which recreates it.
      await secrets.delete('m', { namespace: 'default' });
      await eventually(async () => expect((await secrets.get('m', { namespace: 'default' })).metadata.name).toBe('m'));
      await cms.patch('m', { metadata: { labels: { mirror: 'no' } } }, { namespace: 'default' });
      await eventually(async () => expect((await secrets.list({ namespace: 'default' })).items).toHaveLength(0));
      expect(seen.every((k) => k === 'default/m')).toBe(true);
    } finally {
      await t.stop();
    }
  });

  it('maps other kinds to requests with watches, and records terminal errors without retrying', async () => {
    let attempts = 0;
    const failing = defineController({
      name: 'Failing',
      for: { apiVersion: 'v1', kind: 'Namespace' },
      watches: [{ apiVersion: 'v1', kind: 'ConfigMap', map: (obj) => [{ name: obj.metadata.namespace! }] }],
      reconcile(_ctx, req) {
        if (req.name !== 'default') return;
        attempts++;
        throw new TerminalError('cannot ever work');
      },
    });
    const t = await createTestCluster({ plugins: [failing()] });
    try {
      await eventually(() => expect(attempts).toBe(1));
      await t.client.resource('v1', 'ConfigMap').create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'poke', namespace: 'default' } });
      await eventually(() => expect(attempts).toBe(2));
    } finally {
      await t.stop();
    }
  });

  it('validates controller options before the cluster starts', async () => {
    const withOptions = defineController<{ selector: string }>({
      name: 'WithOptions',
      for: { apiVersion: 'v1', kind: 'ConfigMap' },
      optionsSchema: { type: 'object', required: ['selector'], properties: { selector: { type: 'string' } } },
      reconcile() {},
    });
    await expect(createTestCluster({ plugins: [withOptions({} as never)] })).rejects.toMatchObject({ code: 'SKIFF_ERR_PLUGIN_OPTIONS' });
  });
});
