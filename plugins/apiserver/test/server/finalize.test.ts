import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtinAdmission, createCluster, type Cluster } from '@skiff/core';
import { apiServer, ApiServerKey } from '../../src/index.js';
import { request } from './helpers.js';

let cluster: Cluster;
let url: string;

beforeAll(async () => {
  cluster = await createCluster({ plugins: [...builtinAdmission(), apiServer({ port: 0 })] });
  await cluster.start();
  url = cluster.use(ApiServerKey).url();
});
afterAll(() => cluster.stop());

describe('namespaces/<name>/finalize', () => {
  it('replaces only spec.finalizers, and a terminating namespace without finalizers goes away', async () => {
    expect((await request(url, 'POST', '/api/v1/namespaces', { body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'doomed' } }, contentType: 'application/json' })).status).toBe(201);
    const deleted = await request(url, 'DELETE', '/api/v1/namespaces/doomed');
    expect(deleted.json).toMatchObject({ metadata: { name: 'doomed' }, spec: { finalizers: ['kubernetes'] }, status: { phase: 'Terminating' } });
    const current = (await request(url, 'GET', '/api/v1/namespaces/doomed')).json;
    // Labels in the body are ignored: only the finalizers change.
    const body = { ...current, metadata: { ...current.metadata, labels: { sneaky: 'yes' } }, spec: { finalizers: [] } };
    const finalized = await request(url, 'PUT', '/api/v1/namespaces/doomed/finalize', { body, contentType: 'application/json' });
    expect(finalized.status).toBe(200);
    expect(finalized.json.metadata.labels?.['sneaky']).toBeUndefined();
    expect((await request(url, 'GET', '/api/v1/namespaces/doomed')).status).toBe(404);
  });

  it('answers 405 to other verbs and 404 on other kinds', async () => {
    expect((await request(url, 'GET', '/api/v1/namespaces/default/finalize')).status).toBe(405);
    expect((await request(url, 'PUT', '/api/v1/nodes/n1/finalize', { body: {}, contentType: 'application/json' })).status).toBe(404);
  });
});
