/**
 * @skiff/plugin-apiserver: the Kubernetes REST API over HTTP(S), so kubectl and
 * `@kubernetes/client-node` work against a Skiff cluster.
 */
export { apiServer, ApiServerKey, type ApiServerHandle, type ApiServerHooks, type ApiServerOptions, type ApiServerSettings } from './plugin.js';
export { nodeAgentLogs, nodeAgentUrl, type NodeClientOptions } from './server/node-logs.js';
export {
  HttpApiServer,
  KUBERNETES_VERSION,
  MAX_BODY_BYTES,
  type Authenticator,
  type Authorizer,
  type AuthorizationAttributes,
  type AuthorizationDecision,
  type HttpApiServerConfig,
  type HttpApiServerDeps,
  type NonResourceRoute,
  sendJson,
  sendStatus,
} from './server/index.js';
export { secureApiServer, type SecureApiServer, type SecureApiServerOptions } from './secure.js';
export { customResourceDefinitions, crdResource, CRD_CLEANUP_FINALIZER } from './crd/index.js';
export {
  ensurePki,
  ensureTokens,
  createTokenAuthenticator,
  registerRbacKinds,
  createRbacAuthorizer,
  ensureDefaultRbac,
  installRbacEscalationCheck,
  kubeconfigYaml,
  writeKubeconfig,
  caCertHash,
  nodeJoinCredential,
  parseNodeJoinCredential,
  type NodeJoinCredential,
  type Pki,
  type Tokens,
  type RbacAuthorizer,
  type AuthorizationAttributes as RbacAttributes,
} from './auth/index.js';
export { toTable, humanDuration, type Table } from './tables/index.js';
export { openApiV2, openApiV3All, openApiV3Document, openApiV3Index } from './openapi/index.js';
export { decodeProtobufObject, decodeProtobufDeleteOptions, isProtobufContentType } from './protobuf/index.js';
