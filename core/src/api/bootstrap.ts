import { isApiError } from './status.js';
import type { ObjectApi } from './object-api.js';

/** The namespaces that exist from the start, as in Kubernetes. */
export const SYSTEM_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease'] as const;

/** Creates the system namespaces that are missing; safe to run on every start. */
export async function ensureSystemNamespaces(api: ObjectApi): Promise<void> {
  const res = api.resources.require('v1', 'Namespace');
  for (const name of SYSTEM_NAMESPACES) {
    try {
      await api.create(res, undefined, { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
    } catch (err) {
      if (!isApiError(err, 409)) throw err;
    }
  }
}
