import { stringify } from 'yaml';
import { writeFileAtomic } from './files.js';

export interface KubeconfigOptions {
  /** The API server URL, e.g. `https://127.0.0.1:6443`. */
  server: string;
  /** The CA that signed the server certificate (PEM); embedded as `certificate-authority-data`. */
  caCertPem: string;
  /** A bearer token. */
  token: string;
  /** The kubeconfig user entry's name (default `skiff-admin`). */
  user?: string;
  /** Default `skiff`. */
  clusterName?: string;
  /** Default `skiff`; also the `current-context`. */
  contextName?: string;
  /** The context's default namespace (omitted by default). */
  namespace?: string;
}

/** A kubeconfig (kubectl and @kubernetes/client-node read it) with one cluster, user and context. */
export function kubeconfigYaml(options: KubeconfigOptions): string {
  const clusterName = options.clusterName ?? 'skiff';
  const contextName = options.contextName ?? 'skiff';
  const user = options.user ?? 'skiff-admin';
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    preferences: {},
    clusters: [{ name: clusterName, cluster: { server: options.server, 'certificate-authority-data': Buffer.from(options.caCertPem, 'utf8').toString('base64') } }],
    users: [{ name: user, user: { token: options.token } }],
    contexts: [{ name: contextName, context: { cluster: clusterName, user, ...(options.namespace ? { namespace: options.namespace } : {}) } }],
    'current-context': contextName,
  });
}

/** Writes {@link kubeconfigYaml} to `path` atomically with mode 0600 (it holds a credential). */
export async function writeKubeconfig(path: string, options: KubeconfigOptions): Promise<void> {
  await writeFileAtomic(path, kubeconfigYaml(options), 0o600);
}
