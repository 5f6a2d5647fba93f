/**
 * Routes for {@link FakeApiServer} that let `kubectl drain node-1` run: one node, one pod on it
 * (owned by a ReplicaSet, so no `--force` is needed) that disappears once evicted or deleted.
 */
import type { FakeRoute } from './fake-apiserver.js';

const node = { apiVersion: 'v1', kind: 'Node', metadata: { name: 'node-1', uid: 'n-1', resourceVersion: '1' }, spec: {} };
const pod = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: {
    name: 'web-1',
    namespace: 'default',
    uid: 'p-1',
    resourceVersion: '1',
    ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web', uid: 'rs-1', controller: true }],
  },
  spec: { nodeName: 'node-1', containers: [{ name: 'c', image: 'busybox' }] },
  status: { phase: 'Running' },
};
const notFound = { code: 404, body: { apiVersion: 'v1', kind: 'Status', status: 'Failure', reason: 'NotFound', code: 404, message: 'pods "web-1" not found' } };

/** Drain routes; `gone` flips once kubectl evicts or deletes the pod. */
export function drainRoutes(): FakeRoute {
  let gone = false;
  return (method, fullPath) => {
    const path = fullPath.split('?')[0] ?? '';
    if (path === '/api/v1/nodes/node-1') return { code: 200, body: method === 'PATCH' ? { ...node, spec: { unschedulable: true } } : node };
    if (path === '/api/v1/pods' && method === 'GET') return { code: 200, body: { apiVersion: 'v1', kind: 'PodList', metadata: { resourceVersion: '1' }, items: gone ? [] : [pod] } };
    if (path === '/api/v1/namespaces/default/pods/web-1/eviction' && method === 'POST') {
      gone = true;
      return { code: 201, body: { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name: 'web-1', namespace: 'default' } } };
    }
    if (path === '/api/v1/namespaces/default/pods/web-1') {
      if (method === 'DELETE') {
        gone = true;
        return { code: 200, body: pod };
      }
      return gone ? notFound : { code: 200, body: pod };
    }
    return undefined;
  };
}
