import { X509Certificate, createHash } from 'node:crypto';
import { SkiffError } from '@skiff/core';

/** What a node needs to join: the server CA's hash (to trust the server on first contact) and the bearer token. */
export interface NodeJoinCredential {
  /** `sha256:<hex>` of the CA certificate's DER encoding; absent for a bare token. */
  caCertHash?: string;
  token: string;
}

/** `sha256:<hex>` of a PEM certificate's DER bytes (the form kubeadm's `--discovery-token-ca-cert-hash` uses). */
export function caCertHash(certPem: string): string {
  return `sha256:${createHash('sha256').update(new X509Certificate(certPem).raw).digest('hex')}`;
}

/**
 * The node-join credential `skiff up` writes to `<data-dir>/node-token`: `sha256:<ca hash>:<token>`.
 * A joining node trusts the server whose certificate chain holds a CA with that hash, then
 * authenticates with the token.
 */
export function nodeJoinCredential(caCertPem: string, token: string): string {
  return `${caCertHash(caCertPem)}:${token}`;
}

/**
 * Reads a node-join credential: `sha256:<64 hex>:<token>`, or a bare token (then the caller needs
 * the CA some other way). Anything else is `SKIFF_ERR_NODE_JOIN`.
 */
export function parseNodeJoinCredential(text: string): NodeJoinCredential {
  const value = text.trim();
  const full = /^(sha256:[0-9a-f]{64}):([A-Za-z0-9._-]+)$/.exec(value);
  if (full) return { caCertHash: full[1]!, token: full[2]! };
  if (/^[A-Za-z0-9._-]+$/.test(value)) return { token: value };
  throw new SkiffError('SKIFF_ERR_NODE_JOIN', 'the join token is malformed: expected the contents of <data-dir>/node-token (sha256:<ca hash>:<token>)', {});
}
