/**
 * Decodes the bodies the real kubectl (1.32, via the dispatcher) POSTs for imperative `create`
 * commands. kubectl ≥ 1.32 sends protobuf; should a body arrive as JSON (an older kubectl), the
 * JSON is asserted instead.
 */
import type { KubeObject } from '@skiff/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeProtobufDeleteOptions, decodeProtobufObject, isProtobufContentType } from '../../src/protobuf/index.js';
import { startFakeApiServer, type CapturedRequest, type FakeApiServer } from './fake-apiserver.js';
import { drainRoutes } from './drain-routes.js';
import { hasKubectl, kubectlFor, type Kubectl } from './kubectl-runner.js';

describe.skipIf(process.env['CI'] !== 'true' && !hasKubectl)('real kubectl protobuf bodies', () => {
  let server: FakeApiServer;
  let kubectl: Kubectl;
  const formats: string[] = [];

  beforeAll(async () => {
    server = await startFakeApiServer();
    kubectl = kubectlFor(server.url);
  });

  afterAll(async () => {
    kubectl.dispose();
    await server.close();
    console.info(`kubectl body formats: ${formats.join(', ')}`);
  });

  /** Runs kubectl and returns the single body it POSTed, decoded (protobuf) or parsed (JSON). */
  async function posted(args: string[], pathPart: string, expectOutput = /created/): Promise<KubeObject> {
    server.captured.length = 0;
    const result = await kubectl.run(args);
    expect(result.output).toMatch(expectOutput);
    expect(result.code).toBe(0);
    const posts = server.captured.filter((c: CapturedRequest) => c.method === 'POST');
    expect(posts).toHaveLength(1);
    const post = posts[0] as CapturedRequest;
    expect(post.path).toContain(pathPart);
    const label = args.slice(0, 2).join(' ');
    if (isProtobufContentType(post.contentType)) {
      formats.push(`${label}=protobuf`);
      expect(post.body.subarray(0, 4).toString('latin1')).toBe('k8s\0');
      return decodeProtobufObject(post.body);
    }
    formats.push(`${label}=json`);
    expect(post.contentType).toMatch(/json/);
    return JSON.parse(post.body.toString('utf8')) as KubeObject;
  }

  const create = (args: string[], pathPart: string) => posted(['create', ...args], pathPart);

  it('create configmap', async () => {
    const obj = await create(['configmap', 'x', '--from-literal=a=b'], '/api/v1/namespaces/default/configmaps');
    expect(obj).toEqual({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' }, data: { a: 'b' } });
  });

  it('create secret generic', async () => {
    const obj = await create(['secret', 'generic', 's', '--from-literal=k=v'], '/api/v1/namespaces/default/secrets');
    expect(obj).toEqual({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, data: { k: Buffer.from('v').toString('base64') } });
  });

  it('create namespace', async () => {
    const obj = await create(['namespace', 'n'], '/api/v1/namespaces');
    expect(obj.apiVersion).toBe('v1');
    expect(obj.kind).toBe('Namespace');
    expect(obj.metadata).toEqual({ name: 'n' });
  });

  it('create deployment', async () => {
    const obj = await create(['deployment', 'd', '--image=busybox', '--replicas=2'], '/apis/apps/v1/namespaces/default/deployments');
    expect(obj).toMatchObject({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'd', labels: { app: 'd' } },
      spec: {
        replicas: 2,
        selector: { matchLabels: { app: 'd' } },
        template: { metadata: { labels: { app: 'd' } }, spec: { containers: [{ name: 'busybox', image: 'busybox' }] } },
      },
    });
  });

  it('create job', async () => {
    const obj = await create(['job', 'j', '--image=busybox'], '/apis/batch/v1/namespaces/default/jobs');
    expect(obj).toMatchObject({
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'j' },
      spec: { template: { spec: { containers: [{ name: 'j', image: 'busybox' }], restartPolicy: 'Never' } } },
    });
  });

  it('create service clusterip', async () => {
    const obj = await create(['service', 'clusterip', 'svc', '--tcp=80:8080'], '/api/v1/namespaces/default/services');
    expect(obj).toMatchObject({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'svc', labels: { app: 'svc' } },
      spec: { type: 'ClusterIP', selector: { app: 'svc' }, ports: [{ name: '80-8080', protocol: 'TCP', port: 80, targetPort: 8080 }] },
    });
  });

  it('create serviceaccount', async () => {
    const obj = await create(['serviceaccount', 'sa'], '/api/v1/namespaces/default/serviceaccounts');
    expect(obj).toEqual({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'sa' } });
  });

  it('create cronjob', async () => {
    const obj = await create(['cronjob', 'cj', '--image=busybox', '--schedule=*/5 * * * *'], '/apis/batch/v1/namespaces/default/cronjobs');
    expect(obj).toMatchObject({
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: { name: 'cj' },
      spec: {
        schedule: '*/5 * * * *',
        jobTemplate: { metadata: { name: 'cj' }, spec: { template: { spec: { containers: [{ name: 'cj', image: 'busybox' }], restartPolicy: 'OnFailure' } } } },
      },
    });
  });

  it('auth can-i (resource and non-resource SelfSubjectAccessReview)', async () => {
    const resource = await posted(['auth', 'can-i', 'create', 'deployments.apps', '-n', 'team-a'], 'selfsubjectaccessreviews', /yes/);
    expect(resource).toEqual({
      apiVersion: 'authorization.k8s.io/v1',
      kind: 'SelfSubjectAccessReview',
      metadata: {},
      spec: { resourceAttributes: { namespace: 'team-a', verb: 'create', group: 'apps', resource: 'deployments' } },
      status: { allowed: false },
    });
    const nonResource = await posted(['auth', 'can-i', 'get', '/logs'], 'selfsubjectaccessreviews', /yes/);
    expect(nonResource).toMatchObject({ spec: { nonResourceAttributes: { path: '/logs', verb: 'get' } } });
  });

  it('drain --disable-eviction sends a protobuf DeleteOptions with DELETE', async () => {
    server.captured.length = 0;
    server.routes = [drainRoutes()];
    try {
      const result = await kubectl.run(['drain', 'node-1', '--disable-eviction', '--grace-period=5', '--timeout=20s']);
      expect(result.output).toMatch(/drained/);
      const deletes = server.captured.filter((c) => c.method === 'DELETE');
      expect(deletes).toHaveLength(1);
      const del = deletes[0] as CapturedRequest;
      expect(del.path).toContain('/api/v1/namespaces/default/pods/web-1');
      if (isProtobufContentType(del.contentType)) {
        formats.push('drain=protobuf');
        expect(decodeProtobufDeleteOptions(del.body)).toEqual({ apiVersion: 'v1', kind: 'DeleteOptions', gracePeriodSeconds: 5 });
      } else {
        formats.push('drain=json');
        expect(JSON.parse(del.body.toString('utf8'))).toMatchObject({ gracePeriodSeconds: 5 });
      }
    } finally {
      server.routes = [];
    }
  });
});
