// Authentication and authorization for the API server: PKI, static bearer tokens, RBAC, kubeconfig.
export { ensurePki, type EnsurePkiOptions, type Pki } from './pki.js';
export { caCertHash, nodeJoinCredential, parseNodeJoinCredential, type NodeJoinCredential } from './join-credential.js';
export {
  ADMIN_USER,
  NODE_BOOTSTRAP_USER,
  bearerToken,
  createTokenAuthenticator,
  ensureTokens,
  randomToken,
  type TokenEntry,
  type Tokens,
} from './tokens.js';
export * from './rbac.js';
export { apiListerWatcher } from './lister-watcher.js';
export { forbiddenError, unauthorizedError } from './forbidden.js';
export { kubeconfigYaml, writeKubeconfig, type KubeconfigOptions } from './kubeconfig.js';
