import { X509Certificate } from 'node:crypto';
import { readFile, rm, stat, writeFile } from 'node:fs/promises';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { isSkiffError } from '@skiff/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ensurePki } from '../../src/auth/index.js';
import forge from 'node-forge';
import { tempDir } from './helpers.js';

/** A server certificate signed by the CA on disk that expired yesterday. */
async function writeExpiredServerCert(caPath: string, caKeyPath: string, certPath: string, keyPem: string): Promise<void> {
  const caCert = forge.pki.certificateFromPem(await readFile(caPath, 'utf8'));
  const caKey = forge.pki.privateKeyFromPem(await readFile(caKeyPath, 'utf8'));
  const key = forge.pki.privateKeyFromPem(keyPem);
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.setRsaPublicKey(key.n, key.e);
  cert.serialNumber = '0abc';
  cert.validity.notBefore = new Date(Date.now() - 10 * 24 * 3600 * 1000);
  cert.validity.notAfter = new Date(Date.now() - 24 * 3600 * 1000);
  cert.setSubject([{ name: 'commonName', value: 'expired' }]);
  cert.setIssuer(caCert.subject.attributes);
  cert.setExtensions([{ name: 'subjectAltName', altNames: HOSTS.map((h) => (h === '127.0.0.1' ? { type: 7, ip: h } : { type: 2, value: h })) }]);
  cert.sign(caKey, forge.md.sha256.create());
  await writeFile(certPath, forge.pki.certificateToPem(cert));
}

const HOSTS = ['127.0.0.1', 'localhost', 'skiff-test-host'];

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ dir, cleanup } = await tempDir()));
afterEach(() => cleanup());

async function expectPkiError(promise: Promise<unknown>, path: string): Promise<void> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(isSkiffError(err, 'SKIFF_ERR_AUTH_PKI')).toBe(true);
  expect((err as { details: Record<string, unknown> }).details).toMatchObject({ path });
}

function get(port: number, options: https.RequestOptions): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = https.get({ host: '127.0.0.1', port, path: '/', agent: false, ...options }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
  });
}

describe('ensurePki', () => {
  it('generates a CA and a server certificate with the requested SANs, keys mode 0600', async () => {
    const pki = await ensurePki(dir, { hosts: HOSTS });
    expect(pki.generated).toEqual({ ca: true, server: true });
    expect(pki.caPath).toBe(join(dir, 'pki', 'ca.crt'));
    expect(pki.caKeyPath).toBe(join(dir, 'pki', 'ca.key'));
    expect(pki.certPath).toBe(join(dir, 'pki', 'server.crt'));
    expect(pki.keyPath).toBe(join(dir, 'pki', 'server.key'));
    for (const key of [pki.caKeyPath!, pki.keyPath]) expect((await stat(key)).mode & 0o777).toBe(0o600);
    expect(await readFile(pki.caPath, 'utf8')).toBe(pki.caCertPem);
    expect(await readFile(pki.certPath, 'utf8')).toBe(pki.certPem);
    expect(await readFile(pki.keyPath, 'utf8')).toBe(pki.keyPem);

    const ca = new X509Certificate(pki.caCertPem);
    const cert = new X509Certificate(pki.certPem);
    expect(ca.ca).toBe(true);
    expect(cert.ca).toBe(false);
    expect(cert.checkIssued(ca)).toBe(true);
    expect(cert.verify(ca.publicKey)).toBe(true);
    expect(cert.subjectAltName).toContain('IP Address:127.0.0.1');
    expect(cert.subjectAltName).toContain('DNS:localhost');
    expect(cert.subjectAltName).toContain('DNS:skiff-test-host');
    const year = 365 * 24 * 3600 * 1000;
    const serverLife = Date.parse(cert.validTo) - Date.parse(cert.validFrom);
    expect(serverLife).toBeGreaterThanOrEqual(year - 24 * 3600 * 1000);
    expect(serverLife).toBeLessThanOrEqual(year + 24 * 3600 * 1000);
    expect(Date.parse(ca.validTo) - Date.now()).toBeGreaterThan(9 * year);
  });

  it('reuses the files on later starts', async () => {
    const first = await ensurePki(dir, { hosts: HOSTS });
    const second = await ensurePki(dir, { hosts: ['localhost', '127.0.0.1'] });
    expect(second.generated).toEqual({ ca: false, server: false });
    expect(second.caCertPem).toBe(first.caCertPem);
    expect(second.certPem).toBe(first.certPem);
    expect(second.keyPem).toBe(first.keyPem);
  });

  it('regenerates only the server certificate when a requested host is missing', async () => {
    const first = await ensurePki(dir, { hosts: ['127.0.0.1', 'localhost'] });
    const second = await ensurePki(dir, { hosts: ['127.0.0.1', 'localhost', 'new-host.example'] });
    expect(second.generated).toEqual({ ca: false, server: true });
    expect(second.caCertPem).toBe(first.caCertPem);
    expect(second.certPem).not.toBe(first.certPem);
    expect(new X509Certificate(second.certPem).subjectAltName).toContain('DNS:new-host.example');
    expect(new X509Certificate(second.certPem).checkIssued(new X509Certificate(first.caCertPem))).toBe(true);
  });

  it('regenerates the server certificate when it is (about to be) expired', async () => {
    const first = await ensurePki(dir, { hosts: HOSTS });
    // A one-year certificate always "expires within two years": the renewal path runs.
    const second = await ensurePki(dir, { hosts: HOSTS, renewBeforeMs: 2 * 365 * 24 * 3600 * 1000 });
    expect(second.generated).toEqual({ ca: false, server: true });
    expect(second.caCertPem).toBe(first.caCertPem);
    expect(second.certPem).not.toBe(first.certPem);
  });

  it('regenerates an expired server certificate', async () => {
    const first = await ensurePki(dir, { hosts: HOSTS });
    await writeExpiredServerCert(first.caPath, first.caKeyPath!, first.certPath, first.keyPem);
    expect(Date.parse(new X509Certificate(await readFile(first.certPath, 'utf8')).validTo)).toBeLessThan(Date.now());
    const second = await ensurePki(dir, { hosts: HOSTS });
    expect(second.generated).toEqual({ ca: false, server: true });
    expect(second.caCertPem).toBe(first.caCertPem);
    expect(Date.parse(new X509Certificate(second.certPem).validTo)).toBeGreaterThan(Date.now());
    expect(await readFile(second.certPath, 'utf8')).toBe(second.certPem);
  });

  it('regenerates a server certificate another CA issued', async () => {
    const first = await ensurePki(dir, { hosts: HOSTS });
    const other = await tempDir();
    try {
      const otherPki = await ensurePki(other.dir, { hosts: HOSTS });
      await writeFile(first.certPath, otherPki.certPem);
      await writeFile(first.keyPath, otherPki.keyPem);
    } finally {
      await other.cleanup();
    }
    const second = await ensurePki(dir, { hosts: HOSTS });
    expect(second.generated).toEqual({ ca: false, server: true });
    expect(new X509Certificate(second.certPem).checkIssued(new X509Certificate(first.caCertPem))).toBe(true);
  });

  it('refuses a CA certificate that is not a CA', async () => {
    const pki = await ensurePki(dir, { hosts: HOSTS });
    await writeFile(pki.caPath, pki.certPem);
    await writeFile(pki.caKeyPath!, pki.keyPem);
    await expectPkiError(ensurePki(dir, { hosts: HOSTS }), pki.caPath);
    expect(await readFile(pki.caPath, 'utf8')).toBe(pki.certPem);
  });

  it('serves TLS that verifies with the CA and fails without it', async () => {
    const pki = await ensurePki(dir, { hosts: HOSTS });
    const server = https.createServer({ cert: pki.certPem, key: pki.keyPem }, (_req, res) => res.end('ok'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      await expect(get(port, { ca: pki.caCertPem })).resolves.toEqual({ status: 200, body: 'ok' });
      await expect(get(port, { ca: pki.caCertPem, servername: 'localhost', headers: { host: 'localhost' } })).resolves.toMatchObject({ status: 200 });
      const err = await get(port, {}).then(
        () => undefined,
        (e: unknown) => e as NodeJS.ErrnoException,
      );
      expect(err?.code).toMatch(/SELF_SIGNED|UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER/);
      // Another CA does not verify it either.
      const other = await tempDir();
      try {
        const otherPki = await ensurePki(other.dir, { hosts: HOSTS });
        await expect(get(port, { ca: otherPki.caCertPem })).rejects.toThrow();
      } finally {
        await other.cleanup();
      }
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('fails with a coded error on a corrupt CA certificate and leaves every file untouched', async () => {
    const pki = await ensurePki(dir, { hosts: HOSTS });
    await writeFile(pki.caPath, 'not a certificate\n');
    const before = await Promise.all([pki.caPath, pki.caKeyPath!, pki.certPath, pki.keyPath].map((p) => readFile(p, 'utf8')));
    await expectPkiError(ensurePki(dir, { hosts: [...HOSTS, 'another-host'] }), pki.caPath);
    const after = await Promise.all([pki.caPath, pki.caKeyPath!, pki.certPath, pki.keyPath].map((p) => readFile(p, 'utf8')));
    expect(after).toEqual(before);
  });

  it('fails with a coded error on a corrupt server key, a mismatched key, or half a pair', async () => {
    const pki = await ensurePki(dir, { hosts: HOSTS });
    await writeFile(pki.keyPath, '-----BEGIN RSA PRIVATE KEY-----\ngarbage\n-----END RSA PRIVATE KEY-----\n');
    await expectPkiError(ensurePki(dir, { hosts: HOSTS }), pki.keyPath);
    expect(await readFile(pki.keyPath, 'utf8')).toContain('garbage');

    // The CA's key next to the server certificate: parses, but does not match.
    await writeFile(pki.keyPath, await readFile(pki.caKeyPath!, 'utf8'));
    await expectPkiError(ensurePki(dir, { hosts: HOSTS }), pki.keyPath);

    await rm(pki.caKeyPath!);
    await expectPkiError(ensurePki(dir, { hosts: HOSTS }), pki.caKeyPath!);
    expect(await readFile(pki.caPath, 'utf8')).toBe(pki.caCertPem);
  });
});
