import { createPrivateKey, generateKeyPair, randomBytes, X509Certificate } from 'node:crypto';
import { isIP } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import forge from 'node-forge';
import { authFileError, readIfExists, writeFileAtomic } from './files.js';

const generateKeyPairAsync = promisify(generateKeyPair);

const DAY_MS = 24 * 60 * 60 * 1000;
const CA_VALIDITY_DAYS = 3650;
const SERVER_VALIDITY_DAYS = 365;

export interface EnsurePkiOptions {
  /**
   * Names and addresses the server certificate must cover: IPs become IP SANs, the rest DNS SANs.
   * Empty means `['127.0.0.1', 'localhost']`.
   */
  hosts: string[];
  /** Renew the server certificate when it expires within this many milliseconds (default one day). */
  renewBeforeMs?: number;
}

export interface Pki {
  caCertPem: string;
  certPem: string;
  keyPem: string;
  /** `<dir>/pki/ca.crt` */
  caPath: string;
  /** `<dir>/pki/ca.key` (mode 0600) */
  caKeyPath?: string;
  /** `<dir>/pki/server.crt` */
  certPath: string;
  /** `<dir>/pki/server.key` (mode 0600) */
  keyPath: string;
  /** What this call generated (false = reused from disk). */
  generated: { ca: boolean; server: boolean };
}

interface KeyPair {
  certPem: string;
  keyPem: string;
}

/**
 * Makes sure `<dir>/pki` holds a CA and a server certificate signed by it, and returns them.
 *
 * - First start: generates an RSA 2048 CA (10 years, `basicConstraints` CA, `keyUsage`
 *   keyCertSign/cRLSign) and a server certificate (1 year, serverAuth) whose SANs are
 *   `options.hosts`; writes `ca.crt`, `ca.key`, `server.crt`, `server.key` (keys mode 0600, the
 *   directory 0700).
 * - Later starts reuse them. The server certificate (never the CA) is regenerated when it has
 *   expired or expires within `renewBeforeMs`, when its SANs lack a requested host, or when it
 *   was not issued by the CA on disk.
 * - A file that cannot be parsed, a key that does not match its certificate, a CA that is not a
 *   CA or has expired, or half a pair (a certificate without its key) fails with a coded error
 *   (code `SKIFF_ERR_AUTH_PKI`, `details.path`) and nothing on disk is changed.
 *
 * Not safe against two processes initialising the same directory at the same moment.
 */
export async function ensurePki(dir: string, options: EnsurePkiOptions): Promise<Pki> {
  const pkiDir = join(dir, 'pki');
  const caPath = join(pkiDir, 'ca.crt');
  const caKeyPath = join(pkiDir, 'ca.key');
  const certPath = join(pkiDir, 'server.crt');
  const keyPath = join(pkiDir, 'server.key');
  const requested = options.hosts.filter((h) => h.length > 0);
  const hosts = [...new Set(requested.length > 0 ? requested : ['127.0.0.1', 'localhost'])];
  const renewBeforeMs = options.renewBeforeMs ?? DAY_MS;

  // Read and check everything before writing anything, so a corrupt file changes nothing.
  let ca = await loadPair(caPath, caKeyPath);
  if (ca) checkCa(ca, caPath);
  const server = await loadPair(certPath, keyPath);
  const generated = { ca: false, server: false };

  if (!ca) {
    if (server) throw authFileError('SKIFF_ERR_AUTH_PKI', caPath, 'the server certificate exists but its CA is missing');
    ca = await createCa();
    await writeFileAtomic(caKeyPath, ca.keyPem, 0o600);
    await writeFileAtomic(caPath, ca.certPem, 0o644);
    generated.ca = true;
  }

  let current = server;
  if (!current || needsRenewal(current, ca, hosts, renewBeforeMs)) {
    current = await createServerCert(ca, hosts);
    await writeFileAtomic(keyPath, current.keyPem, 0o600);
    await writeFileAtomic(certPath, current.certPem, 0o644);
    generated.server = true;
  }
  return { caCertPem: ca.certPem, certPem: current.certPem, keyPem: current.keyPem, caPath, caKeyPath, certPath, keyPath, generated };
}

/** Reads a certificate and its key; undefined when both are absent; coded error when corrupt. */
async function loadPair(certPath: string, keyPath: string): Promise<KeyPair | undefined> {
  const [certPem, keyPem] = await Promise.all([readIfExists(certPath), readIfExists(keyPath)]);
  if (certPem === undefined && keyPem === undefined) return undefined;
  if (certPem === undefined) throw authFileError('SKIFF_ERR_AUTH_PKI', certPath, `the certificate is missing while its key ${keyPath} exists`);
  if (keyPem === undefined) throw authFileError('SKIFF_ERR_AUTH_PKI', keyPath, `the key is missing while its certificate ${certPath} exists`);
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(certPem);
  } catch (err) {
    throw authFileError('SKIFF_ERR_AUTH_PKI', certPath, 'not a PEM X.509 certificate', err);
  }
  let key;
  try {
    key = createPrivateKey(keyPem);
    forge.pki.privateKeyFromPem(keyPem);
  } catch (err) {
    throw authFileError('SKIFF_ERR_AUTH_PKI', keyPath, 'not a PEM RSA private key', err);
  }
  if (!cert.checkPrivateKey(key)) throw authFileError('SKIFF_ERR_AUTH_PKI', keyPath, `the key does not match the certificate ${certPath}`);
  return { certPem, keyPem };
}

function checkCa(ca: KeyPair, caPath: string): void {
  const cert = new X509Certificate(ca.certPem);
  if (!cert.ca) throw authFileError('SKIFF_ERR_AUTH_PKI', caPath, 'the certificate is not a CA (basicConstraints CA:TRUE)');
  if (Date.parse(cert.validTo) <= Date.now()) throw authFileError('SKIFF_ERR_AUTH_PKI', caPath, `the CA expired on ${cert.validTo}`);
}

function needsRenewal(server: KeyPair, ca: KeyPair, hosts: string[], renewBeforeMs: number): boolean {
  const cert = new X509Certificate(server.certPem);
  const caCert = new X509Certificate(ca.certPem);
  if (!cert.checkIssued(caCert) || !cert.verify(caCert.publicKey)) return true;
  if (Date.parse(cert.validTo) - renewBeforeMs <= Date.now() || Date.parse(cert.validFrom) > Date.now()) return true;
  return hosts.some((host) => (isIP(host) ? cert.checkIP(host) === undefined : cert.checkHost(host, { subject: 'never', wildcards: false }) === undefined));
}

async function newKeyPair(): Promise<{ privateKey: forge.pki.rsa.PrivateKey; publicKey: forge.pki.rsa.PublicKey; keyPem: string }> {
  const { privateKey } = await generateKeyPairAsync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
  });
  const forgeKey = forge.pki.privateKeyFromPem(privateKey);
  return { privateKey: forgeKey, publicKey: forge.pki.setRsaPublicKey(forgeKey.n, forgeKey.e), keyPem: privateKey };
}

function baseCert(publicKey: forge.pki.rsa.PublicKey, days: number): forge.pki.Certificate {
  const cert = forge.pki.createCertificate();
  cert.publicKey = publicKey;
  // A positive serial: clear the top bit of the first byte.
  const serial = randomBytes(16);
  serial[0] = serial[0]! & 0x7f;
  cert.serialNumber = serial.toString('hex');
  const notBefore = new Date(Date.now() - 5 * 60 * 1000); // tolerate small clock skew
  cert.validity.notBefore = notBefore;
  cert.validity.notAfter = new Date(notBefore.getTime() + days * DAY_MS);
  return cert;
}

async function createCa(): Promise<KeyPair> {
  const keys = await newKeyPair();
  const cert = baseCert(keys.publicKey, CA_VALIDITY_DAYS);
  const subject = [{ name: 'commonName', value: 'skiff-ca' }];
  cert.setSubject(subject);
  cert.setIssuer(subject);
  cert.setExtensions([
    { name: 'basicConstraints', cA: true, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  cert.sign(keys.privateKey, forge.md.sha256.create());
  return { certPem: forge.pki.certificateToPem(cert), keyPem: keys.keyPem };
}

async function createServerCert(ca: KeyPair, hosts: string[]): Promise<KeyPair> {
  const caCert = forge.pki.certificateFromPem(ca.certPem);
  const caKey = forge.pki.privateKeyFromPem(ca.keyPem);
  const keys = await newKeyPair();
  const cert = baseCert(keys.publicKey, SERVER_VALIDITY_DAYS);
  cert.setSubject([{ name: 'commonName', value: 'skiff-apiserver' }]);
  cert.setIssuer(caCert.subject.attributes);
  cert.setExtensions([
    { name: 'basicConstraints', cA: false, critical: true },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    { name: 'extKeyUsage', serverAuth: true },
    { name: 'subjectAltName', altNames: hosts.map((h) => (isIP(h) ? { type: 7, ip: h } : { type: 2, value: h })) },
    { name: 'subjectKeyIdentifier' },
    { name: 'authorityKeyIdentifier', keyIdentifier: caCert.generateSubjectKeyIdentifier().getBytes() },
  ]);
  cert.sign(caKey, forge.md.sha256.create());
  return { certPem: forge.pki.certificateToPem(cert), keyPem: keys.keyPem };
}
