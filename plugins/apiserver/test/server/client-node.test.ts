import { CoreV1Api, KubeConfig, makeInformer, type V1ConfigMap } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cm, eventually, startServer, type Running } from './helpers.js';

let s: Running;
let kc: KubeConfig;
let core: CoreV1Api;

function kubeConfig(server: string): KubeConfig {
  const config = new KubeConfig();
  config.loadFromOptions({
    // client-node refuses http:// unless the cluster skips TLS verification.
    clusters: [{ name: 'skiff', server, skipTLSVerify: true }],
    users: [{ name: 'me' }],
    contexts: [{ name: 'skiff', cluster: 'skiff', user: 'me' }],
    currentContext: 'skiff',
  });
  return config;
}

beforeAll(async () => {
  // Watches without timeoutSeconds end after 1–2 s, so the informer must resume by itself.
  s = await startServer({ minRequestTimeoutSeconds: 1 });
  kc = kubeConfig(s.url);
  core = kc.makeApiClient(CoreV1Api);
});
afterAll(async () => {
  await s?.stop();
});

describe('@kubernetes/client-node 1.4', () => {
  it('lists, creates, patches and deletes namespaced config maps', async () => {
    const created = await core.createNamespacedConfigMap({ namespace: 'default', body: cm('cn', { a: '1' }, { app: 'cn' }) as V1ConfigMap });
    expect(created.metadata?.uid).toBeTruthy();
    const list = await core.listNamespacedConfigMap({ namespace: 'default', labelSelector: 'app=cn' });
    expect(list.items.map((i) => i.metadata?.name)).toEqual(['cn']);
    expect(list.metadata?.resourceVersion).toBeTruthy();
    // The typed patch defaults to application/json-patch+json.
    const patched = await core.patchNamespacedConfigMap({ name: 'cn', namespace: 'default', body: [{ op: 'add', path: '/data/b', value: '2' }] });
    expect(patched.data).toEqual({ a: '1', b: '2' });
    await expect(core.createNamespacedConfigMap({ namespace: 'default', body: cm('cn') as V1ConfigMap })).rejects.toMatchObject({ code: 409 });
    const deleted = await core.deleteNamespacedConfigMap({ name: 'cn', namespace: 'default' });
    expect(deleted).toBeTruthy();
    await expect(core.readNamespacedConfigMap({ name: 'cn', namespace: 'default' })).rejects.toMatchObject({ code: 404 });
    const ns = await core.listNamespace();
    expect(ns.items.map((n) => n.metadata?.name)).toContain('kube-system');
  });

  it('an informer sees add, update and delete, and survives the server closing its watch', async () => {
    const informer = makeInformer(kc, '/api/v1/namespaces/default/configmaps', () => core.listNamespacedConfigMap({ namespace: 'default' }));
    const seen: string[] = [];
    let connects = 0;
    const errors: unknown[] = [];
    informer.on('add', (o) => seen.push(`add ${o.metadata?.name}`));
    informer.on('update', (o) => seen.push(`update ${o.metadata?.name} ${JSON.stringify((o as V1ConfigMap).data ?? {})}`));
    informer.on('delete', (o) => seen.push(`delete ${o.metadata?.name}`));
    informer.on('connect', () => connects++);
    informer.on('error', (err) => errors.push(err));
    await informer.start();
    try {
      await core.createNamespacedConfigMap({ namespace: 'default', body: cm('inf', { v: '1' }) as V1ConfigMap });
      await eventually(() => seen.includes('add inf'));
      await core.patchNamespacedConfigMap({ name: 'inf', namespace: 'default', body: [{ op: 'replace', path: '/data/v', value: '2' }] });
      await eventually(() => seen.includes('update inf {"v":"2"}'));
      await core.deleteNamespacedConfigMap({ name: 'inf', namespace: 'default' });
      await eventually(() => seen.includes('delete inf'));
      // The server ends each watch after 1–2 s; the informer reconnects from its last resourceVersion.
      const before = connects;
      await eventually(() => connects >= before + 2, 15_000);
      await core.createNamespacedConfigMap({ namespace: 'default', body: cm('after', { v: '1' }) as V1ConfigMap });
      await eventually(() => seen.includes('add after'));
      expect(informer.get('after', 'default')?.data).toEqual({ v: '1' });
      expect(seen.filter((e) => e === 'add inf')).toHaveLength(1);
      expect(errors).toEqual([]);
    } finally {
      await informer.stop();
    }
  });

  it('an informer relists after its resourceVersion is compacted away, and keeps working', async () => {
    let lists = 0;
    const informer = makeInformer(kc, '/api/v1/namespaces/default/configmaps', () => {
      lists++;
      return core.listNamespacedConfigMap({ namespace: 'default' });
    });
    const seen: string[] = [];
    let connects = 0;
    const errors: unknown[] = [];
    informer.on('add', (o) => seen.push(`add ${o.metadata?.name}`));
    informer.on('connect', () => connects++);
    informer.on('error', (err) => errors.push(err));
    await informer.start();
    try {
      await core.createNamespacedConfigMap({ namespace: 'default', body: cm('before-compaction') as V1ConfigMap });
      await eventually(() => seen.includes('add before-compaction'));
      // Writes the informer does not see move the revision on; compaction then makes its resourceVersion too old.
      for (let i = 0; i < 3; i++) await core.createNamespacedConfigMap({ namespace: 'kube-system', body: cm(`elsewhere-${i}`, {}, {}, 'kube-system') as V1ConfigMap });
      await s.cluster.store.compact(await s.cluster.store.currentRevision());
      const before = connects;
      await eventually(() => connects >= before + 2, 15_000);
      await core.createNamespacedConfigMap({ namespace: 'default', body: cm('after-compaction') as V1ConfigMap });
      await eventually(() => seen.includes('add after-compaction'));
      expect(informer.list('default').map((o) => o.metadata?.name)).toEqual(expect.arrayContaining(['before-compaction', 'after-compaction']));
      // The 410 made it list again rather than resume.
      expect(lists).toBeGreaterThanOrEqual(2);
      expect(errors).toEqual([]);
    } finally {
      await informer.stop();
    }
  });
});
