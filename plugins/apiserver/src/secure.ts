import { writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { definePlugin, type Plugin } from '@skiff/core';
import {
  createRbacAuthorizer,
  createTokenAuthenticator,
  ensureDefaultRbac,
  ensurePki,
  ensureTokens,
  nodeJoinCredential,
  installRbacEscalationCheck,
  registerRbacKinds,
  writeKubeconfig,
  type Pki,
  type RbacAuthorizer,
  type Tokens,
} from './auth/index.js';
import { customResourceDefinitions } from './crd/index.js';
import { ApiServerKey, apiServer } from './plugin.js';
import type { AuthorizationAttributes } from './server/types.js';

export interface SecureApiServerOptions {
  /** Where the PKI, the token file, the kubeconfig and the node token live. */
  dataDir: string;
  /** Address to listen on (default 127.0.0.1). */
  host?: string;
  /** Port (default 6443; 0 picks a free one). */
  port?: number;
  /** Extra names and addresses for the server certificate (127.0.0.1, localhost and the host name are always there). */
  hosts?: string[];
}

/** What {@link secureApiServer} prepared: the plugins to run and where the credentials are. */
export interface SecureApiServer {
  plugins: Plugin<any>[];
  pki: Pki;
  tokens: Tokens;
  /** The admin kubeconfig, written once the server listens. */
  kubeconfigPath: string;
  /** The node-join token file (a credential for node agents, not an admin token). */
  nodeTokenPath: string;
}

/**
 * The API server as `skiff up` runs it: HTTPS with a CA and server certificate generated on first
 * start in `<dataDir>/pki`, bearer tokens (`<dataDir>/tokens.json`: an admin token and a node-join
 * token), RBAC as the authorizer (with Kubernetes' default roles), CustomResourceDefinitions, and an
 * admin kubeconfig at `<dataDir>/kubeconfig` written when the server is ready, beside the node-join
 * credential `<dataDir>/node-token` (`sha256:<CA hash>:<token>`, see `nodeJoinCredential`). The
 * certificate chain ends with the CA, so joining nodes can check it against that hash; node agents
 * in other processes are reached with the node token (`nodeClient`). Anonymous requests get 401;
 * requests RBAC does not allow get 403.
 */
export async function secureApiServer(options: SecureApiServerOptions): Promise<SecureApiServer> {
  const hosts = [...new Set(['127.0.0.1', 'localhost', hostname(), ...(options.hosts ?? [])])];
  const pki = await ensurePki(options.dataDir, { hosts });
  const tokens = await ensureTokens(options.dataDir);
  const authenticateToken = createTokenAuthenticator(tokens);
  const kubeconfigPath = join(options.dataDir, 'kubeconfig');
  const nodeTokenPath = join(options.dataDir, 'node-token');
  let authorizer: RbacAuthorizer | undefined;

  const rbac = definePlugin({
    name: 'RbacAuthorization',
    core: '^0.1.0',
    apply(cluster) {
      registerRbacKinds(cluster);
      const authz = createRbacAuthorizer(cluster);
      authorizer = authz;
      installRbacEscalationCheck(cluster, (attrs) => authz.authorize(attrs));
      cluster.addComponent({
        name: 'RbacAuthorization',
        start: async () => {
          await ensureDefaultRbac(cluster);
          await authz.start();
        },
        stop: () => authz.stop(),
      });
    },
  });

  const credentials = definePlugin({
    name: 'AdminKubeconfig',
    core: '^0.1.0',
    dependencies: ['ApiServer'],
    apply(cluster) {
      cluster.hooks.ready.tapPromise('AdminKubeconfig', async () => {
        const server = cluster.use(ApiServerKey).url();
        await writeKubeconfig(kubeconfigPath, { server, caCertPem: pki.caCertPem, token: tokens.adminToken });
        await writeFile(nodeTokenPath, `${nodeJoinCredential(pki.caCertPem, tokens.nodeJoinToken)}\n`, { mode: 0o600 });
      });
    },
  });

  const authorize = (attrs: AuthorizationAttributes) => {
    if (!authorizer) return { allowed: false, reason: 'the authorizer is not running' };
    return authorizer.authorize({
      user: attrs.user,
      verb: attrs.verb,
      apiGroup: attrs.apiGroup ?? '',
      resource: attrs.resourceRequest ? (attrs.resource ?? '') : '',
      ...(attrs.subresource ? { subresource: attrs.subresource } : {}),
      ...(attrs.namespace ? { namespace: attrs.namespace } : {}),
      ...(attrs.name ? { name: attrs.name } : {}),
      ...(attrs.resourceRequest ? {} : { nonResourcePath: attrs.path }),
    });
  };

  const plugins = [
    rbac(),
    customResourceDefinitions(),
    apiServer({
      host: options.host ?? '127.0.0.1',
      port: options.port ?? 6443,
      // The chain ends with the CA, so a joining node can check it against the hash in its token.
      tls: { cert: `${pki.certPem.trimEnd()}\n${pki.caCertPem}`, key: pki.keyPem },
      authenticate: (req) => authenticateToken(req.headers),
      authorize,
      // Node agents in other processes accept the node credential (they hold the same one).
      nodeClient: { token: tokens.nodeJoinToken },
    }),
    credentials(),
  ];
  return { plugins, pki, tokens, kubeconfigPath, nodeTokenPath };
}
