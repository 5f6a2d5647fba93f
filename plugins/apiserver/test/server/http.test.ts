import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cm, deployment, eventually, openWatch, request, startServer, type Running } from './helpers.js';

let s: Running;
beforeAll(async () => {
  s = await startServer({ bookmarkIntervalSeconds: 0.1 });
});
afterAll(async () => {
  await s?.stop();
});

const CM = '/api/v1/namespaces/default/configmaps';
const get = (path: string, headers?: Record<string, string>) => request(s.url, 'GET', path, headers ? { headers } : {});

describe('discovery', () => {
  it('serves /version with a minor kubectl bundles, and health checks', async () => {
    const v = await get('/version');
    expect(v.status).toBe(200);
    expect(v.headers['content-type']).toBe('application/json');
    expect(v.json).toMatchObject({ major: '1', minor: '32', gitVersion: 'v1.32.0-skiff' });
    for (const p of ['/healthz', '/livez', '/readyz']) {
      const h = await get(p);
      expect(h.status).toBe(200);
      expect(h.text).toBe('ok');
    }
  });

  it('answers legacy discovery as application/json even when aggregated discovery is asked for', async () => {
    const accept = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json';
    const api = await get('/api', { Accept: accept });
    expect(api.status).toBe(200);
    expect(api.headers['content-type']).toBe('application/json');
    expect(api.json).toMatchObject({ kind: 'APIVersions', versions: ['v1'] });
    const apis = await get('/apis', { Accept: accept });
    expect(apis.headers['content-type']).toBe('application/json');
    expect(apis.json.kind).toBe('APIGroupList');
    const names = apis.json.groups.map((g: { name: string }) => g.name);
    expect(names).toEqual(expect.arrayContaining(['apps', 'batch', 'coordination.k8s.io']));
    expect(apis.json.groups.find((g: { name: string }) => g.name === 'apps')).toEqual({
      name: 'apps',
      versions: [{ groupVersion: 'apps/v1', version: 'v1' }],
      preferredVersion: { groupVersion: 'apps/v1', version: 'v1' },
    });
    const group = await get('/apis/apps');
    expect(group.json).toMatchObject({ kind: 'APIGroup', name: 'apps' });
  });

  it('lists resources with verbs, short names, categories and subresources', async () => {
    const core = await get('/api/v1');
    expect(core.json).toMatchObject({ kind: 'APIResourceList', groupVersion: 'v1' });
    const byName = new Map(core.json.resources.map((r: { name: string }) => [r.name, r]));
    expect(byName.get('pods')).toMatchObject({ singularName: 'pod', namespaced: true, kind: 'Pod', shortNames: ['po'], categories: ['all'] });
    expect((byName.get('pods') as { verbs: string[] }).verbs).toEqual(expect.arrayContaining(['get', 'list', 'watch', 'create', 'update', 'patch', 'delete']));
    expect(byName.get('namespaces')).toMatchObject({ namespaced: false, shortNames: ['ns'] });
    for (const sub of ['pods/status', 'pods/binding', 'pods/log', 'replicationcontrollers/scale']) expect(byName.has(sub)).toBe(true);
    const apps = await get('/apis/apps/v1');
    const deploy = apps.json.resources.find((r: { name: string }) => r.name === 'deployments');
    expect(deploy).toMatchObject({ kind: 'Deployment', shortNames: ['deploy'], categories: ['all'] });
    expect(apps.json.resources.find((r: { name: string }) => r.name === 'deployments/scale')).toMatchObject({ group: 'autoscaling', version: 'v1', kind: 'Scale' });
  });

  it('answers 404 Status for unknown paths, groups, versions and resources', async () => {
    for (const p of ['/nope', '/apis/nope.io/v1', '/apis/apps/v2', '/api/v2', '/api/v1/widgets', '/api/v1/namespaces/default/widgets', '/openapi/v3/apis/nope.io/v1', '/api/v1/namespaces/default/configmaps/a/b/c']) {
      const r = await get(p);
      expect(r.status, p).toBe(404);
      expect(r.headers['content-type']).toBe('application/json');
      expect(r.json).toMatchObject({ kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'NotFound', code: 404 });
    }
  });
});

describe('CRUD', () => {
  it('creates (201), gets, conflicts (409), validates (422), updates (200), deletes (200), then 404s', async () => {
    const created = await request(s.url, 'POST', `${CM}?fieldManager=kubectl-create`, { body: cm('crud', { a: '1' }) });
    expect(created.status).toBe(201);
    expect(created.headers['content-type']).toBe('application/json');
    expect(created.json).toMatchObject({ kind: 'ConfigMap', apiVersion: 'v1', metadata: { name: 'crud', namespace: 'default' }, data: { a: '1' } });
    const got = await get(`${CM}/crud`);
    expect(got.status).toBe(200);
    expect(got.json.metadata.uid).toBe(created.json.metadata.uid);
    const dup = await request(s.url, 'POST', CM, { body: cm('crud') });
    expect(dup.status).toBe(409);
    expect(dup.json).toMatchObject({ kind: 'Status', reason: 'AlreadyExists', code: 409 });
    const invalid = await request(s.url, 'POST', CM, { body: cm('Bad_Name') });
    expect(invalid.status).toBe(422);
    expect(invalid.json.reason).toBe('Invalid');
    expect(invalid.json.details.causes[0]).toMatchObject({ field: 'metadata.name' });
    const updated = await request(s.url, 'PUT', `${CM}/crud`, { body: { ...got.json, data: { a: '2' } } });
    expect(updated.status).toBe(200);
    expect(updated.json.data).toEqual({ a: '2' });
    const stale = await request(s.url, 'PUT', `${CM}/crud`, { body: { ...got.json, data: { a: '3' } } });
    expect(stale.status).toBe(409);
    expect(stale.json.reason).toBe('Conflict');
    const deleted = await request(s.url, 'DELETE', `${CM}/crud`, { body: { kind: 'DeleteOptions', apiVersion: 'v1', propagationPolicy: 'Background' } });
    expect(deleted.status).toBe(200);
    expect(deleted.json).toMatchObject({ kind: 'ConfigMap', metadata: { name: 'crud' } });
    const gone = await get(`${CM}/crud`);
    expect(gone.status).toBe(404);
    expect(gone.json).toMatchObject({ kind: 'Status', reason: 'NotFound', message: 'configmaps "crud" not found', details: { name: 'crud', kind: 'configmaps' } });
  });

  it('creates cluster-scoped objects and deletes with query parameters and an empty body', async () => {
    const ns = await request(s.url, 'POST', '/api/v1/namespaces', { body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team-a' } } });
    expect(ns.status).toBe(201);
    expect((await get('/api/v1/namespaces/team-a')).json.status.phase).toBe('Active');
    const c = await request(s.url, 'POST', '/api/v1/namespaces/team-a/configmaps', { body: cm('x', {}, {}, 'team-a') });
    expect(c.status).toBe(201);
    const wrongUid = await request(s.url, 'DELETE', '/api/v1/namespaces/team-a/configmaps/x?preconditions.uid=nope');
    expect(wrongUid.status).toBe(409);
    const bad = await request(s.url, 'DELETE', '/api/v1/namespaces/team-a/configmaps/x?propagationPolicy=Sideways');
    expect(bad.status).toBe(400);
    const del = await request(s.url, 'DELETE', '/api/v1/namespaces/team-a/configmaps/x?propagationPolicy=Background&gracePeriodSeconds=0');
    expect(del.status).toBe(200);
  });

  it('answers 400 for bad JSON and mismatched kinds, treats a missing Content-Type as JSON', async () => {
    const bad = await request(s.url, 'POST', CM, { body: '{"apiVersion": "v1", "kind": ' });
    expect(bad.status).toBe(400);
    expect(bad.json).toMatchObject({ kind: 'Status', reason: 'BadRequest', code: 400 });
    const wrongKind = await request(s.url, 'POST', CM, { body: { ...cm('k'), kind: 'Secret' } });
    expect(wrongKind.status).toBe(400);
    const proto = await request(s.url, 'POST', CM, { body: { __proto__: { polluted: true }, ...cm('p') }, contentType: 'application/json' });
    expect(proto.status).toBe(201); // JSON.stringify drops the literal __proto__; the raw key is tested below
    const raw = await request(s.url, 'POST', CM, { body: '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"q","namespace":"default"},"__proto__":{"x":1}}' });
    expect(raw.status).toBe(400);
    const noType = await request(s.url, 'POST', CM, { body: cm('no-type'), contentType: null });
    expect(noType.status).toBe(201);
    const text = await request(s.url, 'POST', CM, { body: cm('text'), contentType: 'text/plain' });
    expect(text.status).toBe(415);
    expect(text.json).toMatchObject({ kind: 'Status', reason: 'UnsupportedMediaType', code: 415 });
    // A truncated protobuf envelope is a bad request, not a crash.
    const protobuf = await request(s.url, 'POST', CM, { body: Buffer.from('k8s\0\n\x02v1'), contentType: 'application/vnd.kubernetes.protobuf' });
    expect(protobuf.status).toBe(400);
    expect(protobuf.json).toMatchObject({ kind: 'Status', reason: 'BadRequest', code: 400 });
  });

  it('answers 413 for bodies over 3 MiB', async () => {
    const big = cm('big', { blob: 'x'.repeat(3 * 1024 * 1024 + 10) });
    const r = await request(s.url, 'POST', CM, { body: big });
    expect(r.status).toBe(413);
    expect(r.json).toMatchObject({ kind: 'Status', reason: 'RequestEntityTooLarge', code: 413 });
    expect((await get('/healthz')).status).toBe(200);
  });

  it('answers 405 for verbs a path does not serve', async () => {
    expect((await request(s.url, 'POST', `${CM}/x`, { body: cm('x') })).status).toBe(405);
    expect((await request(s.url, 'PUT', CM, { body: cm('x') })).status).toBe(405);
    expect((await request(s.url, 'POST', '/api/v1/configmaps', { body: cm('x') })).status).toBe(405);
    expect((await request(s.url, 'DELETE', '/api')).status).toBe(405);
  });

  it('honours dryRun=All and rejects unknown dryRun values', async () => {
    const dry = await request(s.url, 'POST', `${CM}?dryRun=All`, { body: cm('dry') });
    expect(dry.status).toBe(201);
    expect((await get(`${CM}/dry`)).status).toBe(404);
    expect((await request(s.url, 'POST', `${CM}?dryRun=Some`, { body: cm('dry') })).status).toBe(400);
  });

  it('Strict refuses unknown fields, Warn answers them as Warning headers', async () => {
    const body = { ...cm('fv'), extra: 'x' };
    const strict = await request(s.url, 'POST', `${CM}?fieldValidation=Strict`, { body });
    expect(strict.status).toBe(400);
    expect(strict.json.message).toContain('unknown field "extra"');
    const warn = await request(s.url, 'POST', `${CM}?fieldValidation=Warn`, { body });
    expect(warn.status).toBe(201);
    expect(warn.headers['warning']).toBe('299 - "unknown field \\"extra\\""');
    expect((await request(s.url, 'POST', `${CM}?fieldValidation=Loose`, { body })).status).toBe(400);
  });

  it('patches with merge and JSON patch; refuses other content types with 415', async () => {
    await request(s.url, 'POST', CM, { body: cm('pt', { a: '1' }) });
    const merge = await request(s.url, 'PATCH', `${CM}/pt`, { body: { data: { b: '2' } }, contentType: 'application/merge-patch+json' });
    expect(merge.status).toBe(200);
    expect(merge.json.data).toEqual({ a: '1', b: '2' });
    const json = await request(s.url, 'PATCH', `${CM}/pt`, { body: [{ op: 'remove', path: '/data/a' }], contentType: 'application/json-patch+json' });
    expect(json.status).toBe(200);
    expect(json.json.data).toEqual({ b: '2' });
    const plain = await request(s.url, 'PATCH', `${CM}/pt`, { body: { data: {} }, contentType: 'application/json' });
    expect(plain.status).toBe(415);
    const badOp = await request(s.url, 'PATCH', `${CM}/pt`, { body: [{ op: 'explode', path: '/data' }], contentType: 'application/json-patch+json' });
    expect(badOp.status).toBe(400);
    const missing = await request(s.url, 'PATCH', `${CM}/nope`, { body: { data: {} }, contentType: 'application/merge-patch+json' });
    expect(missing.status).toBe(404);
  });

  it('passes strategic merge and apply patches on to the request path', async () => {
    const smp = await request(s.url, 'PATCH', `${CM}/pt`, { body: { data: { c: '3' } }, contentType: 'application/strategic-merge-patch+json' });
    // Core answers 415 until it serves strategic merge; either way the server must not fail.
    expect([200, 415]).toContain(smp.status);
    expect(smp.json.kind).toBe(smp.status === 200 ? 'ConfigMap' : 'Status');
    const noManager = await request(s.url, 'PATCH', `${CM}/pt`, { body: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: pt\n', contentType: 'application/apply-patch+yaml' });
    expect(noManager.status).toBe(400);
    const badYaml = await request(s.url, 'PATCH', `${CM}/pt?fieldManager=t`, { body: 'a: [', contentType: 'application/apply-patch+yaml' });
    expect(badYaml.status).toBe(400);
    const apply = await request(s.url, 'PATCH', `${CM}/pt?fieldManager=t&force=true`, { body: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: pt\n', contentType: 'application/apply-patch+yaml' });
    expect(apply.status).toBeLessThan(500);
  });
});

describe('lists', () => {
  it('filters by label and field selectors, pages with limit and continue', async () => {
    await request(s.url, 'POST', '/api/v1/namespaces', { body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'lists' } } });
    const path = '/api/v1/namespaces/lists/configmaps';
    for (let i = 0; i < 5; i++) {
      const r = await request(s.url, 'POST', path, { body: cm(`c${i}`, {}, { app: i % 2 ? 'web' : 'db', tier: String(i) }, 'lists') });
      expect(r.status).toBe(201);
    }
    const all = await get(path);
    expect(all.json).toMatchObject({ kind: 'ConfigMapList', apiVersion: 'v1' });
    expect(Number(all.json.metadata.resourceVersion)).toBeGreaterThan(0);
    expect(all.json.items).toHaveLength(5);
    const web = await get(`${path}?labelSelector=${encodeURIComponent('app in (web)')}`);
    expect(web.json.items.map((i: { metadata: { name: string } }) => i.metadata.name)).toEqual(['c1', 'c3']);
    const notDb = await get(`${path}?labelSelector=${encodeURIComponent('app!=db,tier')}`);
    expect(notDb.json.items).toHaveLength(2);
    const byName = await get(`${path}?fieldSelector=metadata.name%3Dc2`);
    expect(byName.json.items.map((i: { metadata: { name: string } }) => i.metadata.name)).toEqual(['c2']);
    const badSel = await get(`${path}?labelSelector=${encodeURIComponent('app in (')}`);
    expect(badSel.status).toBe(400);
    const badField = await get(`${path}?fieldSelector=spec.nope%3Dx`);
    expect(badField.status).toBe(400);
    const page1 = await get(`${path}?limit=2`);
    expect(page1.json.items).toHaveLength(2);
    expect(page1.json.metadata.continue).toBeTruthy();
    const names: string[] = page1.json.items.map((i: { metadata: { name: string } }) => i.metadata.name);
    let token = page1.json.metadata.continue as string | undefined;
    while (token) {
      const page = await get(`${path}?limit=2&continue=${encodeURIComponent(token)}`);
      expect(page.status).toBe(200);
      names.push(...page.json.items.map((i: { metadata: { name: string } }) => i.metadata.name));
      token = page.json.metadata.continue;
    }
    expect(names).toEqual(['c0', 'c1', 'c2', 'c3', 'c4']);
    const across = await get('/api/v1/configmaps?labelSelector=app%3Dweb');
    expect(across.json.items.length).toBeGreaterThanOrEqual(2);
    expect((await get(`${path}?limit=abc`)).status).toBe(400);
  });
});

describe('watch', () => {
  it('flushes headers before any event, streams events strictly after resourceVersion, ends at timeoutSeconds', async () => {
    const list = await get(CM);
    const rv = list.json.metadata.resourceVersion as string;
    const w = await openWatch(s.url, `${CM}?watch=true&resourceVersion=${rv}&timeoutSeconds=2`);
    expect(w.status).toBe(200);
    expect(w.headers['content-type']).toBe('application/json');
    expect(w.headers['transfer-encoding']).toBe('chunked');
    expect(w.events).toHaveLength(0);
    await request(s.url, 'POST', CM, { body: cm('w1') });
    await request(s.url, 'PATCH', `${CM}/w1`, { body: { data: { x: '1' } }, contentType: 'application/merge-patch+json' });
    await request(s.url, 'DELETE', `${CM}/w1`);
    await eventually(() => w.events.length >= 3);
    expect(w.events.map((e) => e.type)).toEqual(['ADDED', 'MODIFIED', 'DELETED']);
    for (const e of w.events) {
      expect(e.object).toMatchObject({ kind: 'ConfigMap', apiVersion: 'v1', metadata: { name: 'w1' } });
      expect(Number(e.object.metadata.resourceVersion)).toBeGreaterThan(Number(rv));
    }
    const started = Date.now();
    await w.ended;
    expect(Date.now() - started).toBeLessThan(4000);
  });

  it('sends the current state first without a resourceVersion, and watches one object by name', async () => {
    await request(s.url, 'POST', CM, { body: cm('one') });
    const w = await openWatch(s.url, `${CM}?watch=1&timeoutSeconds=5`);
    await eventually(() => w.events.some((e) => e.object.metadata.name === 'one'));
    expect(w.events.every((e) => e.type === 'ADDED')).toBe(true);
    w.close();
    const named = await openWatch(s.url, `${CM}/one?watch=true&timeoutSeconds=5`);
    await eventually(() => named.events.length === 1);
    await request(s.url, 'POST', CM, { body: cm('other') });
    await request(s.url, 'PATCH', `${CM}/one`, { body: { data: { y: '1' } }, contentType: 'application/merge-patch+json' });
    await eventually(() => named.events.length === 2);
    expect(named.events.map((e) => [e.type, e.object.metadata.name])).toEqual([
      ['ADDED', 'one'],
      ['MODIFIED', 'one'],
    ]);
    named.close();
    const legacy = await openWatch(s.url, `/api/v1/watch/namespaces/default/configmaps?timeoutSeconds=5&fieldSelector=metadata.name%3Done`);
    await eventually(() => legacy.events.length === 1);
    legacy.close();
  });

  it('ends with an in-stream 410 ERROR after compaction', async () => {
    const first = await request(s.url, 'POST', CM, { body: cm('old1') });
    await request(s.url, 'POST', CM, { body: cm('old2') });
    const rev = await s.cluster.store.currentRevision();
    await s.cluster.store.compact(rev);
    const w = await openWatch(s.url, `${CM}?watch=true&resourceVersion=${Number(first.json.metadata.resourceVersion) - 1}`);
    expect(w.status).toBe(200);
    await w.ended;
    expect(w.events).toHaveLength(1);
    expect(w.events[0]).toMatchObject({ type: 'ERROR', object: { kind: 'Status', apiVersion: 'v1', code: 410, reason: 'Expired' } });
  });

  it('sends BOOKMARKs only when asked', async () => {
    const rv = (await get(CM)).json.metadata.resourceVersion;
    const plain = await openWatch(s.url, `${CM}?watch=true&resourceVersion=${rv}&timeoutSeconds=1`);
    const marked = await openWatch(s.url, `${CM}?watch=true&resourceVersion=${rv}&allowWatchBookmarks=true&timeoutSeconds=5`);
    await eventually(() => marked.events.some((e) => e.type === 'BOOKMARK'));
    const bookmark = marked.events.find((e) => e.type === 'BOOKMARK');
    expect(bookmark.object).toMatchObject({ kind: 'ConfigMap', apiVersion: 'v1', metadata: { resourceVersion: rv } });
    await plain.ended;
    expect(plain.events).toHaveLength(0);
    marked.close();
  });

  it('refuses watch-list (sendInitialEvents) and bad selectors with a 400 Status', async () => {
    const wl = await get(`${CM}?watch=true&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true`);
    expect(wl.status).toBe(400);
    expect(wl.json).toMatchObject({ kind: 'Status', code: 400 });
    expect(wl.json.message).toContain('sendInitialEvents');
    expect((await get(`${CM}?watch=true&labelSelector=a%20in%20(`)).status).toBe(400);
    expect((await get(`${CM}?watch=true&resourceVersion=banana`)).status).toBe(400);
  });

  it('closes open watches promptly when the server stops', async () => {
    const other = await startServer();
    const w = await openWatch(other.url, `${CM}?watch=true`);
    expect(w.status).toBe(200);
    const started = Date.now();
    await other.stop();
    await w.ended;
    expect(Date.now() - started).toBeLessThan(2000);
  });
});

describe('subresources', () => {
  it('scale: GET answers autoscaling/v1 Scale, PATCH and PUT set spec.replicas', async () => {
    const d = await request(s.url, 'POST', '/apis/apps/v1/namespaces/default/deployments', { body: deployment('web', 1) });
    expect(d.status).toBe(201);
    const path = '/apis/apps/v1/namespaces/default/deployments/web/scale';
    const scale = await get(path);
    expect(scale.status).toBe(200);
    expect(scale.json).toMatchObject({ apiVersion: 'autoscaling/v1', kind: 'Scale', metadata: { name: 'web', namespace: 'default' }, spec: { replicas: 1 }, status: { replicas: 0, selector: 'app=web' } });
    const patched = await request(s.url, 'PATCH', path, { body: { spec: { replicas: 3 } }, contentType: 'application/merge-patch+json' });
    expect(patched.status).toBe(200);
    expect(patched.json.spec.replicas).toBe(3);
    expect((await get('/apis/apps/v1/namespaces/default/deployments/web')).json.spec.replicas).toBe(3);
    const put = await request(s.url, 'PUT', path, { body: { ...patched.json, spec: { replicas: 5 } }, contentType: null });
    expect(put.status).toBe(200);
    expect(put.json.spec.replicas).toBe(5);
    const stale = await request(s.url, 'PUT', path, { body: { ...patched.json, spec: { replicas: 6 } } });
    expect(stale.status).toBe(409);
    const negative = await request(s.url, 'PATCH', path, { body: { spec: { replicas: -1 } }, contentType: 'application/merge-patch+json' });
    expect(negative.status).toBe(422);
    expect((await get('/apis/apps/v1/namespaces/default/deployments/nope/scale')).status).toBe(404);
    expect((await get('/api/v1/namespaces/default/configmaps/pt/scale')).status).toBe(404);
  });

  it('status: PUT/PATCH on /status change only status', async () => {
    const path = '/apis/apps/v1/namespaces/default/deployments/web';
    const st = await request(s.url, 'PATCH', `${path}/status`, { body: { status: { replicas: 2 }, spec: { replicas: 9 } }, contentType: 'application/merge-patch+json' });
    expect(st.status).toBe(200);
    expect(st.json.status.replicas).toBe(2);
    expect(st.json.spec.replicas).toBe(5);
    expect((await get(`${path}/scale`)).json.status.replicas).toBe(2);
    expect((await get(`${path}/status`)).json.kind).toBe('Deployment');
  });

  it('binding sets spec.nodeName once; a second binding is 409', async () => {
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p1', namespace: 'default' }, spec: { containers: [{ name: 'c', image: 'busybox' }] } };
    expect((await request(s.url, 'POST', '/api/v1/namespaces/default/pods', { body: pod })).status).toBe(201);
    const binding = { apiVersion: 'v1', kind: 'Binding', metadata: { name: 'p1' }, target: { apiVersion: 'v1', kind: 'Node', name: 'node-1' } };
    const bound = await request(s.url, 'POST', '/api/v1/namespaces/default/pods/p1/binding', { body: binding });
    expect(bound.status).toBe(201);
    expect(bound.json).toMatchObject({ kind: 'Status', status: 'Success' });
    expect((await get('/api/v1/namespaces/default/pods/p1')).json.spec.nodeName).toBe('node-1');
    const again = await request(s.url, 'POST', '/api/v1/namespaces/default/pods/p1/binding', { body: { ...binding, target: { name: 'node-2' } } });
    expect(again.status).toBe(409);
    expect(again.json.message).toContain('already assigned');
    const noTarget = await request(s.url, 'POST', '/api/v1/namespaces/default/pods/p1/binding', { body: { apiVersion: 'v1', kind: 'Binding', metadata: { name: 'p1' } } });
    expect(noTarget.status).toBe(422);
    const missing = await request(s.url, 'POST', '/api/v1/namespaces/default/pods/nope/binding', { body: { ...binding, metadata: { name: 'nope' } } });
    const otherName = await request(s.url, 'POST', '/api/v1/namespaces/default/pods/p1/binding', { body: { ...binding, metadata: { name: 'p2' } } });
    expect(otherName.status).toBe(400);
    expect(missing.status).toBe(404);
  });

  it('log answers a clear Status while no node agent serves logs', async () => {
    const log = await get('/api/v1/namespaces/default/pods/p1/log?container=c');
    expect(log.status).toBe(400);
    expect(log.json.message).toMatch(/no node agent serves logs for node|does not have a node assigned/);
    expect((await get('/api/v1/namespaces/default/pods/nope/log')).status).toBe(404);
  });
});

describe('authentication and authorization hooks', () => {
  it('answers 401 without a user and 403 with Kubernetes wording when denied', async () => {
    const seen: string[] = [];
    const guarded = await startServer({
      authenticate: (req) => (req.headers.authorization === 'Bearer good' ? { username: 'alice', groups: ['devs'] } : undefined),
      authorize: async (a) => {
        seen.push(`${a.verb} ${a.resource ?? a.path} ${a.namespace ?? ''} ${a.subresource ?? ''}`.trim());
        return a.verb === 'list' || !a.resourceRequest ? { allowed: true } : { allowed: false, reason: 'no rule' };
      },
    });
    try {
      expect((await request(guarded.url, 'GET', '/healthz')).status).toBe(200);
      expect((await request(guarded.url, 'GET', '/version')).status).toBe(200);
      const anon = await request(guarded.url, 'GET', CM);
      expect(anon.status).toBe(401);
      expect(anon.json).toMatchObject({ kind: 'Status', reason: 'Unauthorized', code: 401 });
      const auth = { Authorization: 'Bearer good' };
      expect((await request(guarded.url, 'GET', CM, { headers: auth })).status).toBe(200);
      const denied = await request(guarded.url, 'GET', `${CM}/x`, { headers: auth });
      expect(denied.status).toBe(403);
      expect(denied.json.message).toBe('configmaps "x" is forbidden: User "alice" cannot get resource "configmaps" in API group "" in the namespace "default": no rule');
      const scale = await request(guarded.url, 'GET', '/apis/apps/v1/namespaces/default/deployments/d/scale', { headers: auth });
      expect(scale.json.message).toContain('cannot get resource "deployments/scale" in API group "apps"');
      expect(seen).toContain('get deployments default scale');
    } finally {
      await guarded.stop();
    }
  });
});
