import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { builtinAdmission, createCluster, type Cluster } from '@skiff/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiServerKey, kubeconfigYaml, secureApiServer, type SecureApiServer } from '../../src/index.js';

// The whole API server as `skiff up` runs it (HTTPS, tokens, RBAC, OpenAPI, Tables, protobuf,
// strategic merge, server-side apply, CRDs), driven by the real kubectl and client-node.
const run = promisify(execFile);
let dir: string;
let cluster: Cluster;
let secure: SecureApiServer;
let url: string;
let calls = 0;

async function kubectl(args: string[], options: { kubeconfig?: string; input?: string } = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  const env = { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: dir, KUBECONFIG: options.kubeconfig ?? secure.kubeconfigPath };
  const cache = join(dir, `cache-${++calls}`);
  try {
    const child = run('kubectl', [...args, `--cache-dir=${cache}`], { env, timeout: 60_000 });
    if (options.input !== undefined) {
      child.child.stdin?.end(options.input);
    }
    const { stdout, stderr } = await child;
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : 1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

async function ok(args: string[], options: { kubeconfig?: string; input?: string } = {}): Promise<string> {
  const r = await kubectl(args, options);
  if (r.code !== 0) throw new Error(`kubectl ${args.join(' ')} failed (${r.code}): ${r.stderr}`);
  return r.stdout;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'skiff-secure-'));
  secure = await secureApiServer({ dataDir: dir, port: 0 });
  cluster = await createCluster({ plugins: [builtinAdmission(), secure.plugins] });
  await cluster.start();
  url = cluster.use(ApiServerKey).url();
}, 120_000);

afterAll(async () => {
  await cluster?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const manifest = `apiVersion: v1
kind: Namespace
metadata:
  name: shop
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: web-config
  namespace: shop
  labels: {app: web}
data:
  greeting: hello
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
  labels: {app: web}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - name: app
        image: busybox
        env: [{name: MODE, value: prod}]
        ports: [{containerPort: 8080}]
`;

describe('the secured API server with real clients', { timeout: 120_000 }, () => {
  it('refuses anonymous requests with 401 and serves the admin over HTTPS with the generated CA', async () => {
    const get = (headers: Record<string, string>) =>
      new Promise<number>((resolve, reject) => {
        const req = https.get(`${url}/api/v1/namespaces`, { ca: secure.pki.caCertPem, headers }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        });
        req.on('error', reject);
      });
    expect(await get({})).toBe(401);
    expect(await get({ Authorization: 'Bearer not-a-token' })).toBe(401);
    expect(await get({ Authorization: `Bearer ${secure.tokens.adminToken}` })).toBe(200);
  });

  it('applies a multi-document manifest with kubectl\'s default validation, then shows Tables', async () => {
    const applied = await ok(['apply', '-f', '-'], { input: manifest });
    expect(applied).toContain('namespace/shop created');
    expect(applied).toContain('deployment.apps/web created');
    const table = await ok(['get', 'deploy', '-n', 'shop', '-o', 'wide']);
    expect(table.split('\n')[0]).toMatch(/^NAME\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+AGE\s+CONTAINERS\s+IMAGES\s+SELECTOR/);
    expect(table).toMatch(/web\s+0\/2/);
    // A typo is refused by Strict field validation (kubectl's default).
    const typo = await kubectl(['apply', '-f', '-'], { input: manifest.replace('image: busybox', 'imagee: busybox') });
    expect(typo.code).not.toBe(0);
    expect(typo.stderr).toMatch(/unknown field/);
    // Applying again changes nothing; a changed manifest is a strategic merge patch.
    expect(await ok(['apply', '-f', '-'], { input: manifest })).toContain('deployment.apps/web unchanged');
    const changed = await ok(['apply', '-f', '-'], { input: manifest.replace('value: prod', 'value: staging') });
    expect(changed).toContain('deployment.apps/web configured');
    expect(await ok(['get', 'deploy', 'web', '-n', 'shop', '-o', 'jsonpath={.spec.template.spec.containers[0].env[0].value}'])).toBe('staging');
  });

  it('decodes kubectl\'s protobuf bodies for imperative commands', async () => {
    expect(await ok(['create', 'configmap', 'settings', '-n', 'shop', '--from-literal=size=large'])).toContain('configmap/settings created');
    expect(await ok(['get', 'cm', 'settings', '-n', 'shop', '-o', 'jsonpath={.data.size}'])).toBe('large');
    expect(await ok(['create', 'deployment', 'api', '-n', 'shop', '--image=busybox', '--replicas=3'])).toContain('deployment.apps/api created');
    expect(await ok(['create', 'namespace', 'imperative'])).toContain('namespace/imperative created');
    expect(await ok(['get', 'ns', 'imperative', '-o', 'jsonpath={.status.phase}'])).toBe('Active');
    expect(await ok(['get', 'deploy', 'api', '-n', 'shop', '-o', 'jsonpath={.spec.replicas}'])).toBe('3');
  });

  it('patches with strategic merge by default and applies server-side', async () => {
    await ok(['patch', 'deploy', 'web', '-n', 'shop', '-p', '{"spec":{"template":{"spec":{"containers":[{"name":"sidecar","image":"busybox"}]}}}}']);
    expect(await ok(['get', 'deploy', 'web', '-n', 'shop', '-o', 'jsonpath={.spec.template.spec.containers[*].name}'])).toBe('sidecar app');
    const ssa = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ssa\n  namespace: shop\ndata:\n  owner: me\n`;
    expect(await ok(['apply', '--server-side', '-f', '-'], { input: ssa })).toContain('configmap/ssa serverside-applied');
    expect(await ok(['get', 'cm', 'ssa', '-n', 'shop', '-o', 'jsonpath={.metadata.managedFields[0].manager}'])).toBe('kubectl');
  });

  it('serves a CustomResourceDefinition and its objects', async () => {
    const crd = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: widgets.example.com
spec:
  group: example.com
  scope: Namespaced
  names: {plural: widgets, singular: widget, kind: Widget, shortNames: [wd]}
  versions:
  - name: v1
    served: true
    storage: true
    schema:
      openAPIV3Schema:
        type: object
        properties:
          spec:
            type: object
            properties:
              size: {type: integer}
`;
    expect(await ok(['create', '-f', '-'], { input: crd })).toContain('customresourcedefinition.apiextensions.k8s.io/widgets.example.com created');
    await ok(['wait', '--for=condition=established', 'crd/widgets.example.com', '--timeout=30s']);
    const widget = `apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w1\n  namespace: shop\nspec:\n  size: 3\n`;
    expect(await ok(['create', '-f', '-'], { input: widget })).toContain('widget.example.com/w1 created');
    expect(await ok(['get', 'wd', '-n', 'shop'])).toMatch(/^NAME\s+AGE\nw1\s+/);
    const bad = await kubectl(['create', '-f', '-'], { input: widget.replace('size: 3', 'size: big').replace('w1', 'w2') });
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/Invalid/);
  });

  it('authorizes with RBAC: a namespace-scoped read-only token can read there and nowhere else', async () => {
    const token = await secure.tokens.addToken({ username: 'alice', groups: ['team'] });
    const rbac = `apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: reader, namespace: shop}
rules:
- apiGroups: [""]
  resources: [configmaps, pods]
  verbs: [get, list, watch]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: alice-reads, namespace: shop}
subjects: [{kind: User, name: alice, apiGroup: rbac.authorization.k8s.io}]
roleRef: {kind: Role, name: reader, apiGroup: rbac.authorization.k8s.io}
`;
    await ok(['apply', '-f', '-'], { input: rbac });
    const alice = join(dir, 'alice.kubeconfig');
    writeFileSync(alice, kubeconfigYaml({ server: url, caCertPem: secure.pki.caCertPem, token, user: 'alice' }));
    const deadline = Date.now() + 20_000;
    let list = await kubectl(['get', 'cm', '-n', 'shop'], { kubeconfig: alice });
    while (list.code !== 0 && Date.now() < deadline) list = await kubectl(['get', 'cm', '-n', 'shop'], { kubeconfig: alice });
    expect(list.stdout).toContain('web-config');
    const write = await kubectl(['create', 'configmap', 'nope', '-n', 'shop'], { kubeconfig: alice });
    expect(write.stderr).toMatch(/forbidden: User "alice" cannot create resource "configmaps"/);
    const elsewhere = await kubectl(['get', 'cm', '-n', 'default'], { kubeconfig: alice });
    expect(elsewhere.stderr).toMatch(/Forbidden/);
    expect(elsewhere.stderr).toMatch(/cannot list resource "configmaps" in API group "" in the namespace "default"/);
  });

  it('describes objects and lists them by category', async () => {
    const described = await ok(['describe', 'deployment', 'web', '-n', 'shop']);
    expect(described).toMatch(/^Name:\s+web$/m);
    expect(described).toMatch(/^Namespace:\s+shop$/m);
    expect(described).toMatch(/^Selector:\s+app=web$/m);
    expect(described).toMatch(/Image:\s+busybox/);
    const all = await ok(['get', 'all', '-n', 'shop']);
    expect(all).toContain('deployment.apps/web');
    expect(all).toContain('deployment.apps/api');
  });

  it('works with every bundled kubectl (1.27 to 1.33) run directly', async () => {
    const { realpathSync } = await import('node:fs');
    const { dirname } = await import('node:path');
    const base = dirname(realpathSync('/usr/bin/kubectl'));
    for (const minor of [27, 28, 29, 30, 31, 32, 33]) {
      const bin = join(base, `kubectl.1.${minor}`);
      const env = { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: dir, KUBECONFIG: secure.kubeconfigPath };
      const { stdout } = await run(bin, ['get', 'cm', '-n', 'shop', '-o', 'name', `--cache-dir=${join(dir, `cache-v${minor}`)}`], { env, timeout: 60_000 });
      expect(stdout).toContain('configmap/web-config');
      const created = await run(bin, ['create', 'configmap', `made-by-${minor}`, '-n', 'shop', '--from-literal=v=1', `--cache-dir=${join(dir, `cache-v${minor}`)}`], { env, timeout: 60_000 });
      expect(created.stdout).toContain(`configmap/made-by-${minor} created`);
    }
  });

  it('works with @kubernetes/client-node through the generated kubeconfig', async () => {
    const kc = new KubeConfig();
    kc.loadFromFile(secure.kubeconfigPath);
    const core = kc.makeApiClient(CoreV1Api);
    const list = await core.listNamespacedConfigMap({ namespace: 'shop' });
    expect(list.items.map((c) => c.metadata?.name)).toContain('web-config');
    const created = await core.createNamespacedConfigMap({ namespace: 'shop', body: { metadata: { name: 'from-node' }, data: { k: 'v' } } });
    expect(created.metadata?.uid).toBeTruthy();
    await core.deleteNamespacedConfigMap({ name: 'from-node', namespace: 'shop' });
  });
});
