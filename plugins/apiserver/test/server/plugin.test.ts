import http from 'node:http';
import https from 'node:https';
import { AdmissionStage, createCluster, isSkiffError } from '@skiff/core';
import forge from 'node-forge';
import { describe, expect, it } from 'vitest';
import { apiServer, ApiServerKey, sendJson } from '../../src/index.js';
import { openWatch, request, startServer } from './helpers.js';

function selfSigned(): { cert: string; key: string } {
  const keys = forge.pki.rsa.generateKeyPair(1024);
  const cert = forge.pki.createCertificate();
  cert.publicKey = keys.publicKey;
  cert.serialNumber = '01';
  cert.validity.notBefore = new Date(Date.now() - 60_000);
  cert.validity.notAfter = new Date(Date.now() + 3600_000);
  const attrs = [{ name: 'commonName', value: 'skiff-test' }];
  cert.setSubject(attrs);
  cert.setIssuer(attrs);
  cert.setExtensions([{ name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }] }]);
  cert.sign(keys.privateKey, forge.md.sha256.create());
  return { cert: forge.pki.certificateToPem(cert), key: forge.pki.privateKeyToPem(keys.privateKey) };
}

describe('the ApiServer plugin', () => {
  it('validates its JSON options and its function options', async () => {
    await expect(createCluster({ plugins: [apiServer({ port: 70000 })] })).rejects.toSatisfy((e) => isSkiffError(e, 'SKIFF_ERR_PLUGIN_OPTIONS'));
    await expect(createCluster({ plugins: [apiServer({ tls: { cert: 'x' } as never })] })).rejects.toSatisfy((e) => isSkiffError(e, 'SKIFF_ERR_PLUGIN_OPTIONS'));
    expect(() => apiServer({ authenticate: 'yes' as never })).toThrow(expect.objectContaining({ code: 'SKIFF_ERR_PLUGIN_OPTIONS' }));
  });

  it('publishes where it listens once started; port 0 picks a free port', async () => {
    const cluster = await createCluster({ plugins: [apiServer({ port: 0 })] });
    const handle = cluster.use(ApiServerKey);
    expect(() => handle.url()).toThrow(expect.objectContaining({ code: 'SKIFF_ERR_CLUSTER_STATE' }));
    await cluster.start();
    try {
      expect(handle.port()).toBeGreaterThan(0);
      expect(handle.url()).toBe(`http://127.0.0.1:${handle.port()}`);
      expect((await request(handle.url(), 'GET', '/healthz')).status).toBe(200);
    } finally {
      await cluster.stop();
    }
    await expect(request(handle.url(), 'GET', '/healthz')).rejects.toThrow();
  });

  it('serves HTTPS when given a certificate and key', async () => {
    const s = await startServer({ tls: selfSigned() });
    try {
      expect(s.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
      const body = await new Promise<string>((resolve, reject) => {
        https
          .get(`${s.url}/api/v1/namespaces`, { rejectUnauthorized: false }, (res) => {
            let text = '';
            res.on('data', (c: Buffer) => (text += c.toString()));
            res.on('end', () => resolve(text));
          })
          .on('error', reject);
      });
      expect(JSON.parse(body).kind).toBe('NamespaceList');
    } finally {
      await s.stop();
    }
  });

  it('stops promptly with open watches and idle keep-alive connections', async () => {
    const s = await startServer();
    const watches = await Promise.all([1, 2, 3].map(() => openWatch(s.url, '/api/v1/namespaces/default/configmaps?watch=true')));
    const agent = new http.Agent({ keepAlive: true });
    const idle = await new Promise<number>((resolve, reject) => {
      http.get(`${s.url}/version`, { agent }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      }).on('error', reject);
    });
    expect(idle).toBe(200);
    const started = Date.now();
    await s.stop();
    await Promise.all(watches.map((w) => w.ended));
    expect(Date.now() - started).toBeLessThan(2000);
    agent.destroy();
  });

  it('answers a bug (a non-ApiError thrown on the request path) with a 500 Status, logs it, and keeps serving', async () => {
    const logged: unknown[] = [];
    const cluster = await createCluster({ plugins: [apiServer({ port: 0, log: (message, err) => logged.push([message, err]) })] });
    cluster.hooks.mutatingAdmission.for('ConfigMap').tap({ name: 'Buggy', stage: AdmissionStage.DEFAULTING }, (obj) => {
      if (obj.metadata.name === 'boom') throw new TypeError('cannot read properties of undefined');
      return obj;
    });
    await cluster.start();
    try {
      const url = cluster.use(ApiServerKey).url();
      const body = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'boom' } };
      const r = await request(url, 'POST', '/api/v1/namespaces/default/configmaps', { body });
      expect(r.status).toBe(500);
      expect(r.headers['content-type']).toBe('application/json');
      expect(r.json).toMatchObject({ kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'InternalError', code: 500 });
      expect(logged).toHaveLength(1);
      expect((await request(url, 'GET', '/healthz')).status).toBe(200);
      const fine = await request(url, 'POST', '/api/v1/namespaces/default/configmaps', { body: { ...body, metadata: { name: 'fine' } } });
      expect(fine.status).toBe(201);
    } finally {
      await cluster.stop();
    }
  });

  it('serves extra non-resource routes (exact and prefix) behind authentication, before the built-in routes', async () => {
    const s = await startServer({
      authenticate: (req) => (req.headers.authorization === 'Bearer t' ? { username: 'u', groups: [] } : undefined),
      extraRoutes: [
        { path: '/openapi/v2', handle: (_req, res) => sendJson(res, 200, { swagger: '2.0' }) },
        { path: '/openapi/v3/', handle: (_req, res, ctx) => sendJson(res, 200, { path: ctx.path, user: ctx.user?.username, hash: ctx.query.get('hash') }) },
        { path: '/public', public: true, handle: (_req, res) => sendJson(res, 200, { open: true }) },
      ],
    });
    try {
      const auth = { headers: { Authorization: 'Bearer t' } };
      expect((await request(s.url, 'GET', '/openapi/v2', auth)).json).toEqual({ swagger: '2.0' });
      expect((await request(s.url, 'GET', '/openapi/v3/api/v1?hash=abc', auth)).json).toEqual({ path: '/openapi/v3/api/v1', user: 'u', hash: 'abc' });
      expect((await request(s.url, 'GET', '/openapi/v3', auth)).status).toBe(200);
      expect((await request(s.url, 'GET', '/openapi/v2')).status).toBe(401);
      expect((await request(s.url, 'GET', '/public')).json).toEqual({ open: true });
      expect((await request(s.url, 'GET', '/openapi/v2x', auth)).status).toBe(404);
    } finally {
      await s.stop();
    }
    expect(() => apiServer({ extraRoutes: [{ path: 'no-slash', handle: () => undefined }] })).toThrow(expect.objectContaining({ code: 'SKIFF_ERR_PLUGIN_OPTIONS' }));
  });
});
