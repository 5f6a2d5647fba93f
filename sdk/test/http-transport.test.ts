import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCluster, isApiError, type Cluster, type ConfigMap } from '@skiff/core';
import { ApiServerKey, secureApiServer, type SecureApiServer } from '@skiff/plugin-apiserver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, httpTransport, inProcessTransport } from '../src/index.js';
import { eventually } from '../src/testing/index.js';

let dir: string;
let cluster: Cluster;
let secure: SecureApiServer;
let url: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'skiff-http-'));
  secure = await secureApiServer({ dataDir: dir, port: 0 });
  cluster = await createCluster({ plugins: secure.plugins });
  await cluster.start();
  url = cluster.use(ApiServerKey).url();
}, 120_000);

afterAll(async () => {
  await cluster?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const cm = (name: string, data: Record<string, string> = {}): ConfigMap => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'default' }, data });

async function statusOf(p: Promise<unknown>): Promise<number> {
  try {
    await p;
  } catch (err) {
    if (isApiError(err)) return err.status.code;
    throw err;
  }
  return 0;
}

describe('one client, two transports', () => {
  const transports = {
    'in-process': () => new Client(inProcessTransport(cluster)),
    https: () => new Client(httpTransport({ server: url, token: secure.tokens.adminToken, caCertPem: secure.pki.caCertPem })),
  };

  for (const [name, make] of Object.entries(transports)) {
    it(`${name}: CRUD, conflicts, selectors and errors behave the same`, async () => {
      const client = make();
      const cms = client.resource('v1', 'ConfigMap');
      const prefix = name === 'https' ? 'h' : 'i';
      const created = await cms.create(cm(`${prefix}-a`, { x: '1' }));
      expect(await statusOf(cms.create(cm(`${prefix}-a`)))).toBe(409);
      const patched = await cms.patch(`${prefix}-a`, { data: { y: '2' } }, { namespace: 'default' });
      expect(patched.data).toEqual({ x: '1', y: '2' });
      expect(await statusOf(cms.update({ ...created, data: { stale: 'yes' } }))).toBe(409);
      expect(await statusOf(cms.get('missing', { namespace: 'default' }))).toBe(404);
      expect(await statusOf(cms.create({ ...cm(`${prefix}-Bad`), metadata: { name: `${prefix}-Bad`, namespace: 'default' } }))).toBe(422);
      expect(await statusOf(client.resource('example.com/v1', 'Widget').list())).toBe(404);
      const listed = await cms.list({ namespace: 'default', fieldSelector: `metadata.name=${prefix}-a` });
      expect(listed.items.map((c) => c.metadata.name)).toEqual([`${prefix}-a`]);
      await cms.delete(`${prefix}-a`, { namespace: 'default' });
      expect(await statusOf(cms.get(`${prefix}-a`, { namespace: 'default' }))).toBe(404);
    });

    it(`${name}: binds a pod through pods/<name>/binding, never moving an assigned or replaced pod`, async () => {
      const pods = make().resource('v1', 'Pod');
      const podName = `${name === 'https' ? 'h' : 'i'}-bound`;
      const pod = await pods.create({ apiVersion: 'v1', kind: 'Pod', metadata: { name: podName, namespace: 'default' }, spec: { containers: [{ name: 'c', image: 'busybox' }] } });
      expect(await statusOf(pods.bind(podName, 'node-a', { namespace: 'default', uid: 'not-the-uid' }))).toBe(409);
      await pods.bind(podName, 'node-a', { namespace: 'default', uid: pod.metadata.uid! });
      expect((await pods.get(podName, { namespace: 'default' })).spec?.nodeName).toBe('node-a');
      expect(await statusOf(pods.bind(podName, 'node-b', { namespace: 'default' }))).toBe(409);
      expect((await pods.get(podName, { namespace: 'default' })).spec?.nodeName).toBe('node-a');
      expect(await statusOf(make().resource('v1', 'ConfigMap').bind('x', 'node-a', { namespace: 'default' }))).toBe(404);
    });

    it(`${name}: watches and informers see changes, and relist after compaction`, async () => {
      const client = make();
      const cms = client.resource('v1', 'ConfigMap');
      const prefix = name === 'https' ? 'hw' : 'iw';
      const informer = cms.informer({ namespace: 'default' }, { backoff: { initialMs: 10, maxMs: 100 } });
      informer.start();
      expect(await informer.waitForSync()).toBe(true);
      await cms.create(cm(`${prefix}-1`));
      await eventually(() => expect(informer.get(`default/${prefix}-1`)).toBeDefined());
      const rv = (await cms.get(`${prefix}-1`, { namespace: 'default' })).metadata.resourceVersion!;
      await cluster.store.compact(await cluster.store.currentRevision());
      const stale = await cms.watch({ namespace: 'default', resourceVersion: String(Number(rv) - 1) });
      expect(await statusOf((async () => { for await (const _ of stale) { /* drain */ } })())).toBe(410);
      await cms.create(cm(`${prefix}-2`));
      await cms.delete(`${prefix}-1`, { namespace: 'default' });
      await eventually(() => {
        expect(informer.get(`default/${prefix}-2`)).toBeDefined();
        expect(informer.get(`default/${prefix}-1`)).toBeUndefined();
      });
      informer.stop();
    });
  }

  it('https: a wrong token is refused with 401', async () => {
    const client = new Client(httpTransport({ server: url, token: 'wrong', caCertPem: secure.pki.caCertPem }));
    expect(await statusOf(client.resource('v1', 'ConfigMap').list())).toBe(401);
  });
});
