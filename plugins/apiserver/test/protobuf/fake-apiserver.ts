/**
 * A tiny HTTP server that answers just enough discovery for kubectl's imperative `create`
 * commands and records the bodies they POST, so tests can decode real kubectl bytes.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request kubectl sent with a body. */
export interface CapturedRequest {
  method: string;
  path: string;
  contentType: string;
  body: Buffer;
}

/** An extra route: answers `{ code, body }` (sent as JSON), or `undefined` to fall through. */
export type FakeRoute = (method: string, path: string) => { code: number; body: unknown } | undefined;

/** A running fake API server. */
export interface FakeApiServer {
  url: string;
  captured: CapturedRequest[];
  /** Every path requested, for diagnosing discovery problems. */
  seen: string[];
  /** Routes tried before the built-in ones (tests set these for e.g. `kubectl drain`). */
  routes: FakeRoute[];
  close(): Promise<void>;
}

const resource = (name: string, singularName: string, kind: string, namespaced: boolean) => ({
  name,
  singularName,
  namespaced,
  kind,
  verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'],
});

const discovery: Record<string, unknown> = {
  '/version': { major: '1', minor: '32', gitVersion: 'v1.32.0', platform: 'linux/amd64' },
  '/api': { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: '127.0.0.1' }] },
  '/apis': {
    kind: 'APIGroupList',
    apiVersion: 'v1',
    groups: ['apps', 'batch', 'authorization.k8s.io', 'policy'].map((name) => ({
      name,
      versions: [{ groupVersion: `${name}/v1`, version: 'v1' }],
      preferredVersion: { groupVersion: `${name}/v1`, version: 'v1' },
    })),
  },
  '/api/v1': {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: 'v1',
    resources: [
      resource('namespaces', 'namespace', 'Namespace', false),
      resource('configmaps', 'configmap', 'ConfigMap', true),
      resource('secrets', 'secret', 'Secret', true),
      resource('services', 'service', 'Service', true),
      resource('pods', 'pod', 'Pod', true),
      resource('serviceaccounts', 'serviceaccount', 'ServiceAccount', true),
      resource('nodes', 'node', 'Node', false),
      { name: 'pods/eviction', singularName: '', namespaced: true, group: 'policy', version: 'v1', kind: 'Eviction', verbs: ['create'] },
    ],
  },
  '/apis/apps/v1': {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: 'apps/v1',
    resources: [resource('deployments', 'deployment', 'Deployment', true)],
  },
  '/apis/batch/v1': {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: 'batch/v1',
    resources: [resource('jobs', 'job', 'Job', true), resource('cronjobs', 'cronjob', 'CronJob', true)],
  },
  '/apis/policy/v1': {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: 'policy/v1',
    resources: [resource('poddisruptionbudgets', 'poddisruptionbudget', 'PodDisruptionBudget', true)],
  },
  '/apis/authorization.k8s.io/v1': {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: 'authorization.k8s.io/v1',
    resources: [{ name: 'selfsubjectaccessreviews', singularName: 'selfsubjectaccessreview', namespaced: false, kind: 'SelfSubjectAccessReview', verbs: ['create'] }],
  },
};

const kindsByResource: Record<string, [apiVersion: string, kind: string]> = {
  namespaces: ['v1', 'Namespace'],
  configmaps: ['v1', 'ConfigMap'],
  secrets: ['v1', 'Secret'],
  services: ['v1', 'Service'],
  deployments: ['apps/v1', 'Deployment'],
  jobs: ['batch/v1', 'Job'],
  cronjobs: ['batch/v1', 'CronJob'],
  serviceaccounts: ['v1', 'ServiceAccount'],
  selfsubjectaccessreviews: ['authorization.k8s.io/v1', 'SelfSubjectAccessReview'],
};

function sendJson(res: ServerResponse, code: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(code, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

/** A minimal object of the kind the POST path names, echoed back as the "created" object. */
function createdObject(path: string): unknown {
  const parts = path.split('?')[0]?.split('/').filter(Boolean) ?? [];
  const plural = parts.at(-1) ?? '';
  const namespace = parts.includes('namespaces') && plural !== 'namespaces' ? parts[parts.indexOf('namespaces') + 1] : undefined;
  const [apiVersion, kind] = kindsByResource[plural] ?? ['v1', 'Status'];
  const metadata: Record<string, unknown> = { name: 'created', uid: '00000000-0000-0000-0000-000000000001', resourceVersion: '1', creationTimestamp: '2024-01-02T03:04:05Z' };
  if (namespace) metadata['namespace'] = namespace;
  if (kind === 'SelfSubjectAccessReview') return { apiVersion, kind, metadata: {}, status: { allowed: true } };
  return { apiVersion, kind, metadata };
}

function handle(server: FakeApiServer, req: IncomingMessage, res: ServerResponse, body: Buffer): void {
  const path = req.url ?? '/';
  const method = req.method ?? 'GET';
  server.seen.push(`${method} ${path}`);
  if (method !== 'GET') server.captured.push({ method, path, contentType: String(req.headers['content-type'] ?? ''), body });
  for (const route of server.routes) {
    const answer = route(method, path);
    if (answer) return sendJson(res, answer.code, answer.body);
  }
  if (req.method === 'POST' || req.method === 'PUT' || req.method === 'DELETE') {
    sendJson(res, req.method === 'POST' ? 201 : 200, req.method === 'DELETE' ? { kind: 'Status', apiVersion: 'v1', status: 'Success', code: 200 } : createdObject(path));
    return;
  }
  const doc = discovery[path.split('?')[0] ?? ''];
  if (doc !== undefined) sendJson(res, 200, doc);
  else sendJson(res, 404, { kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'NotFound', code: 404, message: 'not found' });
}

/** Starts the fake server on 127.0.0.1 with an ephemeral port. */
export async function startFakeApiServer(): Promise<FakeApiServer> {
  let state: FakeApiServer | undefined;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      if (state) handle(state, req, res, Buffer.concat(chunks));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  state = {
    url: `http://127.0.0.1:${port}`,
    captured: [],
    seen: [],
    routes: [],
    close: () => new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve()))),
  };
  return state;
}
