import { createCluster, isApiError, type Cluster, type KubeObject } from '@skiff/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { crdResource, customResourceDefinitions } from '../../src/crd/index.js';

const widgetCrd = (extra: Record<string, unknown> = {}): KubeObject => ({
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: 'widgets.example.com' },
  spec: {
    group: 'example.com',
    scope: 'Namespaced',
    names: { plural: 'widgets', singular: 'widget', kind: 'Widget', shortNames: ['wd'] },
    versions: [
      {
        name: 'v1',
        served: true,
        storage: true,
        subresources: { status: {} },
        schema: {
          openAPIV3Schema: {
            type: 'object',
            properties: {
              spec: { type: 'object', required: ['size'], properties: { size: { type: 'integer', minimum: 1 } } },
              status: { type: 'object', properties: { ready: { type: 'boolean' } } },
            },
          },
        },
      },
    ],
    ...extra,
  },
});

const widget = (name: string, size: unknown): KubeObject => ({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name, namespace: 'default' }, spec: { size } });

async function eventually(fn: () => Promise<void> | void, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await fn();
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 20));
    }
  }
}

async function codeOf(p: Promise<unknown>): Promise<number | undefined> {
  try {
    await p;
  } catch (err) {
    if (isApiError(err)) return err.status.code;
    throw err;
  }
  return undefined;
}

describe('CustomResourceDefinitions', () => {
  let cluster: Cluster;
  beforeEach(async () => {
    cluster = await createCluster({ plugins: [customResourceDefinitions()] });
    await cluster.start();
  });
  afterEach(async () => {
    await cluster.stop();
  });

  it('serves a created definition at once, validates its objects, and establishes it', async () => {
    await cluster.api.create(crdResource, undefined, widgetCrd());
    const res = cluster.resources.require('example.com/v1', 'Widget');
    expect(res).toMatchObject({ plural: 'widgets', namespaced: true, shortNames: ['wd'], statusSubresource: true });
    const created = await cluster.api.create(res, 'default', widget('w1', 3));
    expect(created.metadata.uid).toBeTruthy();
    expect(await codeOf(cluster.api.create(res, 'default', widget('w2', 0)))).toBe(422);
    expect(await codeOf(cluster.api.create(res, 'default', widget('w3', 'big')))).toBe(422);
    // The status subresource keeps main writes from changing status.
    const updated = await cluster.api.update(res, 'default', 'w1', { ...created, status: { ready: true } });
    expect(updated['status']).toBeUndefined();
    await eventually(async () => {
      const crd = await cluster.api.get(crdResource, undefined, 'widgets.example.com');
      const conditions = (crd['status'] as { conditions: { type: string; status: string }[] }).conditions;
      expect(conditions.find((c) => c.type === 'Established')?.status).toBe('True');
    });
  });

  it('refuses definitions Kubernetes refuses', async () => {
    expect(await codeOf(cluster.api.create(crdResource, undefined, { ...widgetCrd(), metadata: { name: 'wrong.example.com' } }))).toBe(422);
    expect(await codeOf(cluster.api.create(crdResource, undefined, { ...widgetCrd({ group: 'nodot' }), metadata: { name: 'widgets.nodot' } }))).toBe(422);
    const twoStorage = widgetCrd();
    (twoStorage['spec'] as { versions: unknown[] }).versions.push({ name: 'v2', served: true, storage: true });
    expect(await codeOf(cluster.api.create(crdResource, undefined, twoStorage))).toBe(422);
    const claimsPods = widgetCrd({ group: '', names: { plural: 'pods', kind: 'Pod2' } });
    expect(await codeOf(cluster.api.create(crdResource, undefined, { ...claimsPods, metadata: { name: 'pods.' } }))).toBe(422);
    expect(cluster.resources.forKind('example.com/v1', 'Widget')).toBeUndefined();
  });

  it('deletes every object of a deleted definition, then stops serving it', async () => {
    await cluster.api.create(crdResource, undefined, widgetCrd());
    const res = cluster.resources.require('example.com/v1', 'Widget');
    await cluster.api.create(res, 'default', widget('a', 1));
    await cluster.api.create(res, 'default', widget('b', 2));
    await cluster.api.delete(crdResource, undefined, 'widgets.example.com');
    await eventually(async () => {
      expect(await codeOf(cluster.api.get(crdResource, undefined, 'widgets.example.com'))).toBe(404);
      expect(cluster.resources.forKind('example.com/v1', 'Widget')).toBeUndefined();
    });
    expect((await cluster.store.list('/registry/example.com/widgets/')).items).toHaveLength(0);
  });

  it('serves definitions already stored when a cluster starts on the same store', async () => {
    await cluster.api.create(crdResource, undefined, widgetCrd());
    const store = cluster.store;
    // A second cluster over the same store (as after a restart with a durable store).
    const again = await createCluster({ plugins: [customResourceDefinitions()], store: 'shared' });
    // The first cluster still owns the store: closing is left to it.
    const shared = new Proxy(store, {
      get: (target, prop) => {
        if (prop === 'close') return async () => undefined;
        const value: unknown = Reflect.get(target, prop);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    again.registries.store.register('shared', () => shared);
    await again.start();
    try {
      expect(again.resources.forKind('example.com/v1', 'Widget')?.plural).toBe('widgets');
    } finally {
      await again.stop();
    }
  });
});
