import { AdmissionStage, apiErrors, isApiError, type ConfigMap, type Pod } from '@skiff/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestCluster, eventually, type TestCluster } from '../src/testing/index.js';
import { definePlugin } from '../src/index.js';

const cm = (name: string, data: Record<string, string> = {}, labels: Record<string, string> = {}): ConfigMap => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace: 'default', labels },
  data,
});

const pod = (name: string, extra: Partial<Pod['spec']> = {}): Pod => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'default', labels: { app: 'web' } },
  spec: { containers: [{ name: 'app', image: 'busybox' }], ...extra },
});

async function status(p: Promise<unknown>): Promise<{ code: number; reason: string; causes?: { field: string; reason: string }[] }> {
  try {
    await p;
  } catch (err) {
    if (isApiError(err)) return { code: err.status.code, reason: err.status.reason, ...(err.status.details?.causes ? { causes: err.status.details.causes as never } : {}) };
    throw err;
  }
  throw new Error('expected the request to fail');
}

describe('in-process client over the API request path', () => {
  let t: TestCluster;
  beforeEach(async () => {
    t = await createTestCluster();
  });
  afterEach(async () => {
    await t.stop();
  });

  it('has the system namespaces from the start, Active', async () => {
    const list = await t.client.resource('v1', 'Namespace').list();
    expect(list.items.map((n) => n.metadata.name).sort()).toEqual(['default', 'kube-node-lease', 'kube-public', 'kube-system']);
    expect(list.items.every((n) => n.status?.phase === 'Active')).toBe(true);
    expect(list.kind).toBe('NamespaceList');
  });

  it('creates with server-set metadata and generateName, and refuses duplicates with 409', async () => {
    const cms = t.client.resource('v1', 'ConfigMap');
    const created = await cms.create(cm('a', { x: '1' }));
    expect(created.metadata.uid).toMatch(/^[0-9a-f-]{36}$/);
    expect(created.metadata.creationTimestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(created.metadata.generation).toBe(1);
    expect(Number(created.metadata.resourceVersion)).toBeGreaterThan(0);
    expect(await status(cms.create(cm('a')))).toMatchObject({ code: 409, reason: 'AlreadyExists' });
    const generated = await cms.create({ ...cm(''), metadata: { generateName: 'gen-', namespace: 'default' } });
    expect(generated.metadata.name).toMatch(/^gen-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
  });

  it('answers 404 for a missing namespace and 422 with one cause per field for invalid objects, writing nothing', async () => {
    const cms = t.client.resource('v1', 'ConfigMap');
    expect(await status(cms.create({ ...cm('a'), metadata: { name: 'a', namespace: 'nope' } }))).toMatchObject({ code: 404, reason: 'NotFound' });
    const bad = await status(cms.create({ ...cm('Bad_Name'), metadata: { name: 'Bad_Name', namespace: 'default', labels: { 'bad key!': 'v' } } }));
    expect(bad.code).toBe(422);
    expect(bad.reason).toBe('Invalid');
    expect(bad.causes?.map((c) => [c.field, c.reason])).toEqual([
      ['metadata.name', 'FieldValueInvalid'],
      ['metadata.labels', 'FieldValueInvalid'],
    ]);
    const pods = t.client.resource('v1', 'Pod');
    const noImage = await status(pods.create({ ...pod('p'), spec: { containers: [{ name: 'app' }] } } as Pod));
    expect(noImage).toMatchObject({ code: 422 });
    expect(noImage.causes?.map((c) => c.field)).toContain('spec.containers[0].image');
    expect((await cms.list({ namespace: 'default' })).items).toHaveLength(0);
    expect((await pods.list({ namespace: 'default' })).items).toHaveLength(0);
  });

  it('honours fieldValidation: Strict refuses unknown fields with 400, Warn reports them', async () => {
    const pods = t.client.resource('v1', 'Pod');
    const typo = { ...pod('p'), spec: { containers: [{ name: 'app', image: 'busybox', imagee: 'x' }] } } as unknown as Pod;
    expect(await status(pods.create(typo, { fieldValidation: 'Strict' }))).toMatchObject({ code: 400, reason: 'BadRequest' });
    const warnings: string[] = [];
    await pods.create(typo, { fieldValidation: 'Warn', warnings });
    expect(warnings).toEqual(['unknown field "spec.containers[0].imagee"']);
  });

  it('updates with compare-and-swap, bumps generation only on spec changes, and keeps status out of main writes', async () => {
    const pods = t.client.resource('v1', 'Pod');
    const p = await pods.create(pod('p'));
    const relabelled = await pods.update({ ...p, metadata: { ...p.metadata, labels: { app: 'api' } } });
    expect(relabelled.metadata.generation).toBe(1);
    expect(await status(pods.update({ ...p, metadata: { ...p.metadata, labels: { app: 'stale' } } }))).toMatchObject({ code: 409, reason: 'Conflict' });
    const withStatus = await pods.updateStatus({ ...relabelled, status: { phase: 'Running' } });
    expect(withStatus.status?.phase).toBe('Running');
    const respec = await pods.update({ ...withStatus, spec: { ...withStatus.spec!, activeDeadlineSeconds: 30 }, status: { phase: 'Failed' } });
    expect(respec.metadata.generation).toBe(2);
    expect(respec.status?.phase).toBe('Running');
    const again = await pods.update(respec);
    expect(again.metadata.resourceVersion).toBe(respec.metadata.resourceVersion);
  });

  it('patches with merge patch and JSON patch, refusing prototype keys', async () => {
    const cms = t.client.resource('v1', 'ConfigMap');
    await cms.create(cm('a', { x: '1', y: '2' }));
    const merged = await cms.patch('a', { data: { y: null, z: '3' } }, { namespace: 'default' });
    expect(merged.data).toEqual({ x: '1', z: '3' });
    const jsonPatched = await cms.patch('a', [{ op: 'replace', path: '/data/x', value: 'one' }], { namespace: 'default', type: 'application/json-patch+json' });
    expect(jsonPatched.data).toEqual({ x: 'one', z: '3' });
    expect(await status(cms.patch('a', [{ op: 'test', path: '/data/x', value: 'nope' }], { namespace: 'default', type: 'application/json-patch+json' }))).toMatchObject({ code: 400 });
    expect(await status(cms.patch('a', JSON.parse('{"__proto__": {"polluted": true}}'), { namespace: 'default' }))).toMatchObject({ code: 400 });
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    expect(await status(cms.patch('a', { data: { q: 1 } }, { namespace: 'default' }))).toMatchObject({ code: 422 });
  });

  it('lists with label and field selectors and paginates with continue', async () => {
    const cms = t.client.resource('v1', 'ConfigMap');
    for (let i = 0; i < 5; i++) await cms.create(cm(`c${i}`, {}, { tier: i % 2 ? 'odd' : 'even' }));
    expect((await cms.list({ namespace: 'default', labelSelector: 'tier in (odd)' })).items.map((c) => c.metadata.name)).toEqual(['c1', 'c3']);
    expect((await cms.list({ namespace: 'default', fieldSelector: 'metadata.name!=c0', labelSelector: 'tier=even' })).items.map((c) => c.metadata.name)).toEqual(['c2', 'c4']);
    expect(await status(cms.list({ labelSelector: 'tier in (' }))).toMatchObject({ code: 400 });
    expect(await status(cms.list({ fieldSelector: 'spec.nodeName=x' }))).toMatchObject({ code: 400 });
    const first = await cms.list({ namespace: 'default', limit: 2 });
    expect(first.items).toHaveLength(2);
    const second = await cms.list({ namespace: 'default', limit: 2, continue: first.metadata.continue! });
    expect(second.items.map((c) => c.metadata.name)).toEqual(['c2', 'c3']);
  });

  it('watches from a resourceVersion, or from the current state, and reports compaction as 410 Gone', async () => {
    const cms = t.client.resource('v1', 'ConfigMap');
    const a = await cms.create(cm('a'));
    const fromNow = await cms.watch({ namespace: 'default', resourceVersion: a.metadata.resourceVersion! });
    const initial = await cms.watch({ namespace: 'default' });
    await cms.patch('a', { data: { v: '2' } }, { namespace: 'default' });
    await cms.delete('a', { namespace: 'default' });
    const seen: string[] = [];
    for await (const e of fromNow) {
      seen.push(`${e.type} ${e.object.metadata.name}`);
      if (seen.length === 2) break;
    }
    expect(seen).toEqual(['MODIFIED a', 'DELETED a']);
    const seenInitial: string[] = [];
    for await (const e of initial) {
      seenInitial.push(e.type);
      if (seenInitial.length === 3) break;
    }
    expect(seenInitial).toEqual(['ADDED', 'MODIFIED', 'DELETED']);
    const rev = await t.cluster.store.currentRevision();
    await t.cluster.store.compact(rev);
    const old = await cms.watch({ namespace: 'default', resourceVersion: a.metadata.resourceVersion! });
    expect(await status((async () => { for await (const _ of old) { /* drain */ } })())).toMatchObject({ code: 410, reason: 'Expired' });
  });

  it('holds objects with finalizers until the last finalizer is removed', async () => {
    const cms = t.client.resource('v1', 'ConfigMap');
    await cms.create({ ...cm('f'), metadata: { name: 'f', namespace: 'default', finalizers: ['example.com/hold'] } });
    const marked = await cms.delete('f', { namespace: 'default' });
    expect(marked.metadata.deletionTimestamp).toBeTruthy();
    expect((await cms.get('f', { namespace: 'default' })).metadata.deletionTimestamp).toBeTruthy();
    await cms.patch('f', { metadata: { finalizers: null } }, { namespace: 'default' });
    expect(await status(cms.get('f', { namespace: 'default' }))).toMatchObject({ code: 404 });
    expect(await status(cms.delete('f', { namespace: 'default' }))).toMatchObject({ code: 404 });
  });

  it('checks delete preconditions and dry runs write nothing', async () => {
    const cms = t.client.resource('v1', 'ConfigMap');
    const a = await cms.create(cm('a'));
    expect(await status(cms.delete('a', { namespace: 'default', preconditions: { uid: 'other' } }))).toMatchObject({ code: 409 });
    await cms.delete('a', { namespace: 'default', dryRun: true });
    expect((await cms.get('a', { namespace: 'default' })).metadata.uid).toBe(a.metadata.uid);
    await cms.create(cm('b'), { dryRun: true });
    expect(await status(cms.get('b', { namespace: 'default' }))).toMatchObject({ code: 404 });
  });

  it('answers 404 for kinds it does not serve and 400 for mismatched bodies', async () => {
    expect(await status(t.client.resource('example.com/v1', 'Widget').list())).toMatchObject({ code: 404 });
    const cms = t.client.resource('v1', 'ConfigMap');
    expect(await status(cms.create({ ...cm('a'), kind: 'Secret' } as never))).toMatchObject({ code: 400 });
  });
});

describe('admission hooks', () => {
  it('mutating admission changes objects before validation; validating admission can refuse', async () => {
    const policy = definePlugin({
      name: 'TeamPolicy',
      core: '^0.1.0',
      apply(cluster) {
        cluster.hooks.mutatingAdmission.for('ConfigMap').tap({ name: 'TeamPolicy', stage: AdmissionStage.DEFAULTING }, (obj) => ({
          ...obj,
          metadata: { ...obj.metadata, labels: { team: 'core', ...obj.metadata.labels } },
        }));
        cluster.hooks.validatingAdmission.for('ConfigMap').tapPromise('TeamPolicy', async (obj, req) => {
          if (obj.metadata.labels?.['team'] === 'forbidden') throw apiErrors.forbidden({ kind: 'ConfigMap', name: obj.metadata.name }, `team forbidden may not ${req.operation}`);
        });
      },
    });
    const t = await createTestCluster({ plugins: [policy()] });
    try {
      const cms = t.client.resource('v1', 'ConfigMap');
      expect((await cms.create(cm('a'))).metadata.labels).toEqual({ team: 'core' });
      expect(await status(cms.create(cm('b', {}, { team: 'forbidden' })))).toMatchObject({ code: 403, reason: 'Forbidden' });
      expect(await status(cms.get('b', { namespace: 'default' }))).toMatchObject({ code: 404 });
    } finally {
      await t.stop();
    }
  });

  it('objectChanged hears every stored write', async () => {
    const heard: string[] = [];
    const listener = definePlugin({ name: 'Listener', core: '*', apply: (c) => c.hooks.objectChanged.tap('Listener', (e) => void heard.push(`${e.type} ${e.resource}/${e.object.metadata.name}`)) });
    const t = await createTestCluster({ plugins: [listener()] });
    try {
      const cms = t.client.resource('v1', 'ConfigMap');
      await cms.create(cm('a'));
      await cms.patch('a', { data: { k: 'v' } }, { namespace: 'default' });
      await cms.delete('a', { namespace: 'default' });
      await eventually(() => expect(heard.filter((h) => h.includes('configmaps'))).toEqual(['ADDED configmaps/a', 'MODIFIED configmaps/a', 'DELETED configmaps/a']));
    } finally {
      await t.stop();
    }
  });
});
