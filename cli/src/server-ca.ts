import { X509Certificate, createHash } from 'node:crypto';
import { connect, type DetailedPeerCertificate } from 'node:tls';
import { SkiffError } from '@skiff/core';

/**
 * Fetches the CA certificate (PEM) an API server presents in its certificate chain and checks it
 * against `expectedHash` (`sha256:<hex>` of its DER bytes), as kubeadm's discovery token CA hash
 * does: the first contact trusts nothing but the hash. Fails with `SKIFF_ERR_NODE_JOIN` when the
 * server cannot be reached, speaks no TLS, or has no certificate with that hash in its chain.
 */
export async function fetchServerCa(serverUrl: string, expectedHash: string, timeoutMs = 10_000): Promise<string> {
  const url = new URL(serverUrl);
  if (url.protocol !== 'https:') throw new SkiffError('SKIFF_ERR_NODE_JOIN', `--server must be an https:// URL (got ${serverUrl})`, { server: serverUrl });
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const chain = await new Promise<DetailedPeerCertificate>((resolve, reject) => {
    const socket = connect({ host, port: Number(url.port || 443), rejectUnauthorized: false, ...(/^[\d.:]+$/.test(host) ? {} : { servername: host }) }, () => {
      const peer = socket.getPeerCertificate(true);
      socket.end();
      resolve(peer);
    });
    socket.setTimeout(timeoutMs, () => socket.destroy(new Error(`no TLS handshake within ${timeoutMs} ms`)));
    socket.on('error', (err) => reject(new SkiffError('SKIFF_ERR_NODE_JOIN', `cannot reach the API server at ${serverUrl}: ${err.message}`, { server: serverUrl })));
  });
  const seen = new Set<string>();
  for (let cert: DetailedPeerCertificate | undefined = chain; cert?.raw && !seen.has(cert.fingerprint256); cert = cert.issuerCertificate) {
    seen.add(cert.fingerprint256);
    if (`sha256:${createHash('sha256').update(cert.raw).digest('hex')}` === expectedHash) return new X509Certificate(cert.raw).toString();
  }
  throw new SkiffError('SKIFF_ERR_NODE_JOIN', `the API server at ${serverUrl} presents no CA matching the join token's hash ${expectedHash}: is this the right server and token?`, {
    server: serverUrl,
  });
}
