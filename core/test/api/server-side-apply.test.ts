import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createBuiltinSchemaRegistry,
  createCluster,
  fieldsV1Of,
  isApiError,
  PatchSchema,
  type ApplyManagedFieldsEntry,
  type Cluster,
  type KubeObject,
  type ResourceInfo,
} from '../../src/index.js';

type Json = Record<string, unknown>;

function deployment(containers: Json[] = [{ name: 'app', image: 'nginx:1' }], spec: Json = {}, labels: Record<string, string> = { app: 'web' }): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', labels },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers } },
      ...spec,
    },
  };
}

const podSpecOf = (obj: Json): Json => ((obj['spec'] as Json)['template'] as Json)['spec'] as Json;
const entries = (obj: KubeObject): ApplyManagedFieldsEntry[] => (obj.metadata.managedFields ?? []) as ApplyManagedFieldsEntry[];

async function failure(p: Promise<unknown>): Promise<{ code: number; reason: string; message: string }> {
  try {
    await p;
  } catch (err) {
    if (isApiError(err)) return { code: err.status.code, reason: err.status.reason, message: err.status.message };
    throw err;
  }
  throw new Error('expected the request to fail');
}

describe('FieldsV1 of an applied configuration', () => {
  it('uses f:, k: (list-map keys, sorted), v: (sets) and . as Kubernetes does, without server-owned fields', () => {
    const schema = PatchSchema.forKind(createBuiltinSchemaRegistry(), 'apps/v1', 'Deployment');
    const obj = deployment([{ name: 'app', image: 'nginx:1', args: ['-v'], ports: [{ containerPort: 80, protocol: 'TCP' }] }]);
    obj.metadata = { ...obj.metadata, namespace: 'default', resourceVersion: '3', finalizers: ['x'] };
    expect(fieldsV1Of(obj, schema)).toEqual({
      'f:metadata': { 'f:labels': { '.': {}, 'f:app': {} }, 'f:finalizers': { 'v:"x"': {} } },
      'f:spec': {
        'f:replicas': {},
        'f:selector': { 'f:matchLabels': { '.': {}, 'f:app': {} } },
        'f:template': {
          'f:metadata': { 'f:labels': { '.': {}, 'f:app': {} } },
          'f:spec': {
            'f:containers': {
              'k:{"name":"app"}': {
                '.': {},
                'f:name': {},
                'f:image': {},
                'f:args': {},
                'f:ports': { 'k:{"containerPort":80,"protocol":"TCP"}': { '.': {}, 'f:containerPort': {}, 'f:protocol': {} } },
              },
            },
          },
        },
      },
    });
  });
});

describe('server-side apply through the API request path', () => {
  let cluster: Cluster;
  let res: ResourceInfo;
  beforeEach(async () => {
    cluster = await createCluster();
    await cluster.start();
    res = cluster.resources.require('apps/v1', 'Deployment');
  });
  afterEach(async () => {
    await cluster.stop();
  });

  it('creates the object when it does not exist and records the manager', async () => {
    const { object, created } = await cluster.api.apply(res, 'default', 'web', deployment(), { fieldManager: 'kubectl' });
    expect(created).toBe(true);
    expect(object.metadata.uid).toBeTruthy();
    expect(await cluster.api.get(res, 'default', 'web')).toEqual(object);
    const [entry, ...rest] = entries(object);
    expect(rest).toEqual([]);
    expect(entry).toMatchObject({ manager: 'kubectl', operation: 'Apply', apiVersion: 'apps/v1', fieldsType: 'FieldsV1' });
    expect(entry!.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(entry!.fieldsV1).toMatchObject({
      'f:spec': { 'f:replicas': {}, 'f:template': { 'f:spec': { 'f:containers': { 'k:{"name":"app"}': { '.': {}, 'f:image': {}, 'f:name': {} } } } } },
    });
  });

  it('updates on apply, keeping fields other writers set, and replaces the manager entry', async () => {
    await cluster.api.apply(res, 'default', 'web', deployment(), { fieldManager: 'kubectl' });
    await cluster.api.patch(res, 'default', 'web', { metadata: { labels: { team: 'blue' }, annotations: { note: 'x' } }, spec: { minReadySeconds: 5 } }, 'application/merge-patch+json');
    const { object, created } = await cluster.api.apply(res, 'default', 'web', deployment([{ name: 'app', image: 'nginx:2' }], { replicas: 2 }), { fieldManager: 'kubectl' });
    expect(created).toBe(false);
    expect(object.metadata.labels).toEqual({ app: 'web', team: 'blue' });
    expect(object.metadata.annotations).toEqual({ note: 'x' });
    expect(object['spec']).toMatchObject({ replicas: 2, minReadySeconds: 5 });
    expect(podSpecOf(object)['containers']).toEqual([{ name: 'app', image: 'nginx:2' }]);
    expect(object.metadata.generation).toBe(3); // the merge patch changed spec too
    expect(entries(object).map((e) => e.manager)).toEqual(['kubectl']);
    expect(await cluster.api.get(res, 'default', 'web')).toEqual(object);
  });

  it('merges what two managers apply and records both', async () => {
    await cluster.api.apply(res, 'default', 'web', deployment(), { fieldManager: 'team-a' });
    const { object } = await cluster.api.apply(res, 'default', 'web', deployment([{ name: 'sidecar', image: 'envoy' }], { replicas: 1 }), { fieldManager: 'team-b' });
    expect((podSpecOf(object)['containers'] as Json[]).map((c) => c['name']).sort()).toEqual(['app', 'sidecar']);
    expect(entries(object).map((e) => e.manager)).toEqual(['team-a', 'team-b']);
  });

  it('answers 409 when another manager owns a field with a different value; force takes it over', async () => {
    await cluster.api.apply(res, 'default', 'web', deployment(), { fieldManager: 'team-a' });
    const conflict = await failure(cluster.api.apply(res, 'default', 'web', deployment(undefined, { replicas: 5 }), { fieldManager: 'team-b' }));
    expect(conflict).toMatchObject({ code: 409, reason: 'Conflict' });
    expect(conflict.message).toContain('conflict with "team-a": .spec.replicas');
    expect(conflict.message).toContain(`deployments.apps "web"`);
    const { object } = await cluster.api.apply(res, 'default', 'web', deployment(undefined, { replicas: 5 }), { fieldManager: 'team-b', force: true });
    expect(object['spec']).toMatchObject({ replicas: 5 });
    const teamA = entries(object).find((e) => e.manager === 'team-a')!;
    expect((teamA.fieldsV1['f:spec'] ?? {})['f:replicas']).toBeUndefined();
  });

  it('removes fields the manager stopped applying, unless another manager owns them', async () => {
    const two = [{ name: 'app', image: 'nginx:1' }, { name: 'debug', image: 'busybox' }];
    await cluster.api.apply(res, 'default', 'web', deployment(two, {}, { app: 'web', tier: 'front', owner: 'a' }), { fieldManager: 'team-a' });
    await cluster.api.apply(res, 'default', 'web', deployment([{ name: 'app', image: 'nginx:1' }], {}, { app: 'web', owner: 'a' }), { fieldManager: 'team-b' });
    const { object } = await cluster.api.apply(res, 'default', 'web', deployment([{ name: 'app', image: 'nginx:1' }], {}, { app: 'web' }), { fieldManager: 'team-a' });
    expect(object.metadata.labels).toEqual({ app: 'web', owner: 'a' });
    expect((podSpecOf(object)['containers'] as Json[]).map((c) => c['name'])).toEqual(['app']);
  });

  it('writes nothing when an apply changes nothing', async () => {
    const { object: first } = await cluster.api.apply(res, 'default', 'web', deployment(), { fieldManager: 'kubectl' });
    const { object: again, created } = await cluster.api.apply(res, 'default', 'web', deployment(), { fieldManager: 'kubectl' });
    expect(created).toBe(false);
    expect(again).toEqual(first);
    expect(again.metadata.resourceVersion).toBe(first.metadata.resourceVersion);
  });

  it('refuses an apply without fieldManager with 400', async () => {
    expect(await failure(cluster.api.apply(res, 'default', 'web', deployment()))).toMatchObject({ code: 400, reason: 'BadRequest' });
    expect(await failure(cluster.api.patch(res, 'default', 'web', deployment(), 'application/apply-patch+yaml'))).toMatchObject({ code: 400 });
  });

  it('refuses a body whose name differs from the URL, or with patch directives (400)', async () => {
    expect(await failure(cluster.api.apply(res, 'default', 'other', deployment(), { fieldManager: 'kubectl' }))).toMatchObject({ code: 400 });
    const directive = deployment([{ name: 'app', image: 'nginx:1', $patch: 'replace' }]);
    expect(await failure(cluster.api.apply(res, 'default', 'web', directive, { fieldManager: 'kubectl' }))).toMatchObject({ code: 400 });
  });

  it('honours dryRun: nothing is created or changed', async () => {
    const dry = await cluster.api.apply(res, 'default', 'web', deployment(), { fieldManager: 'kubectl', dryRun: true });
    expect(dry.created).toBe(true);
    expect(entries(dry.object)).toHaveLength(1);
    expect(await failure(cluster.api.get(res, 'default', 'web'))).toMatchObject({ code: 404 });
    const { object: stored } = await cluster.api.apply(res, 'default', 'web', deployment(), { fieldManager: 'kubectl' });
    const dryUpdate = await cluster.api.apply(res, 'default', 'web', deployment(undefined, { replicas: 3 }), { fieldManager: 'kubectl', dryRun: true });
    expect(dryUpdate.object['spec']).toMatchObject({ replicas: 3 });
    expect(await cluster.api.get(res, 'default', 'web')).toEqual(stored);
  });

  it('still validates: 422 on create and on update, writing nothing', async () => {
    const bad = deployment(undefined, { replicas: 'three' });
    expect(await failure(cluster.api.apply(res, 'default', 'web', bad, { fieldManager: 'kubectl' }))).toMatchObject({ code: 422, reason: 'Invalid' });
    expect(await failure(cluster.api.get(res, 'default', 'web'))).toMatchObject({ code: 404 });
    const { object: stored } = await cluster.api.apply(res, 'default', 'web', deployment(), { fieldManager: 'kubectl' });
    expect(await failure(cluster.api.apply(res, 'default', 'web', bad, { fieldManager: 'kubectl' }))).toMatchObject({ code: 422 });
    expect(await cluster.api.get(res, 'default', 'web')).toEqual(stored);
  });

  it('is what patch() does with application/apply-patch+yaml, and accepts JSON text', async () => {
    const created = await cluster.api.patch(res, 'default', 'web', JSON.stringify(deployment()), 'application/apply-patch+yaml', { fieldManager: 'kubectl' });
    expect(entries(created).map((e) => e.manager)).toEqual(['kubectl']);
    const updated = await cluster.api.patch(res, 'default', 'web', deployment(undefined, { replicas: 4 }), 'application/apply-patch+yaml', { fieldManager: 'kubectl' });
    expect(updated['spec']).toMatchObject({ replicas: 4 });
    expect(await failure(cluster.api.patch(res, 'default', 'web', 'kind: Deployment\n', 'application/apply-patch+yaml', { fieldManager: 'kubectl' }))).toMatchObject({ code: 415 });
  });

  it('honours a resourceVersion in the applied object as a precondition', async () => {
    const { object } = await cluster.api.apply(res, 'default', 'web', deployment(), { fieldManager: 'kubectl' });
    const stale = deployment(undefined, { replicas: 2 });
    stale.metadata.resourceVersion = String(Number(object.metadata.resourceVersion) + 100);
    expect(await failure(cluster.api.apply(res, 'default', 'web', stale, { fieldManager: 'kubectl' }))).toMatchObject({ code: 409 });
  });
});
