import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startServer, type Running } from './helpers.js';

const run = promisify(execFile);
const KUBECTL = '/usr/bin/kubectl';
const haveKubectl = existsSync(KUBECTL);
const bundled = (minor: number) => (haveKubectl ? join(dirname(realpathSync(KUBECTL)), `kubectl.1.${minor}`) : '');

let s: Running;
let home: string;

beforeAll(async () => {
  s = await startServer();
  home = mkdtempSync(join(tmpdir(), 'skiff-kubectl-'));
  writeFileSync(
    join(home, 'kubeconfig'),
    [
      'apiVersion: v1',
      'kind: Config',
      'clusters:',
      '- name: skiff',
      '  cluster:',
      `    server: ${s.url}`,
      'users:',
      '- name: me',
      '  user: {}',
      'contexts:',
      '- name: skiff',
      '  context: {cluster: skiff, user: me, namespace: default}',
      'current-context: skiff',
      '',
    ].join('\n'),
  );
});

afterAll(async () => {
  await s?.stop();
  if (home) rmSync(home, { recursive: true, force: true });
});

let cacheCount = 0;
function env(): NodeJS.ProcessEnv {
  return { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: home, KUBECONFIG: join(home, 'kubeconfig') };
}

/** Runs kubectl with a fresh discovery cache; resolves with stdout/stderr and the exit code. */
async function kubectl(args: string[], bin = KUBECTL): Promise<{ code: number; stdout: string; stderr: string }> {
  const cacheDir = join(home, `cache-${++cacheCount}`);
  try {
    const { stdout, stderr } = await run(bin, [...args, `--cache-dir=${cacheDir}`], { env: env(), timeout: 30_000 });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : 1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

async function ok(args: string[], bin?: string): Promise<string> {
  const r = await kubectl(args, bin);
  if (r.code !== 0) throw new Error(`kubectl ${args.join(' ')} failed (${r.code}): ${r.stderr}`);
  return r.stdout;
}

const manifest = `apiVersion: v1
kind: ConfigMap
metadata:
  name: web-config
  labels: {app: web}
data:
  greeting: hello
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels: {app: web}
spec:
  replicas: 1
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: app
        image: busybox
---
apiVersion: v1
kind: Service
metadata:
  name: web
  labels: {app: web}
spec:
  selector: {app: web}
  ports:
  - port: 80
    targetPort: 8080
`;

describe.skipIf(process.env['CI'] !== 'true' && !haveKubectl)('real kubectl (1.32 through the dispatcher)', () => {
  it('kubectl version dispatches on the server version', async () => {
    const out = await ok(['version']);
    expect(out).toContain('Server Version: v1.32.0-skiff');
  });

  it('kubectl api-resources lists resources with short names', async () => {
    const out = await ok(['api-resources']);
    expect(out).toMatch(/^pods\s+po\s+v1\s+true\s+Pod$/m);
    expect(out).toMatch(/^deployments\s+deploy\s+apps\/v1\s+true\s+Deployment$/m);
    expect(out).toMatch(/^namespaces\s+ns\s+v1\s+false\s+Namespace$/m);
  });

  it('kubectl get ns', async () => {
    const out = await ok(['get', 'ns']);
    for (const ns of ['default', 'kube-system', 'kube-public', 'kube-node-lease']) expect(out).toContain(ns);
  });

  it('applies a multi-document manifest, reads it back, labels, patches, scales and deletes', async () => {
    const file = join(home, 'manifest.yaml');
    writeFileSync(file, manifest);
    const applied = await ok(['apply', '-f', file, '--validate=false']);
    expect(applied).toContain('configmap/web-config created');
    expect(applied).toContain('deployment.apps/web created');
    expect(applied).toContain('service/web created');

    const yaml = await ok(['get', 'cm', '-o', 'yaml']);
    expect(yaml).toContain('greeting: hello');
    expect(yaml).toContain('kubectl.kubernetes.io/last-applied-configuration');
    expect(await ok(['get', 'cm', '-o', 'jsonpath={.items[*].metadata.name}'])).toBe('web-config');
    const selected = await ok(['get', 'cm,deploy,svc', '-l', 'app in (web)', '-o', 'name']);
    expect(selected.trim().split('\n').sort()).toEqual(['configmap/web-config', 'deployment.apps/web', 'service/web']);
    expect(await ok(['get', 'cm', '-l', 'app notin (web)', '-o', 'name'])).toBe('');

    expect(await ok(['label', 'cm', 'web-config', 'tier=front'])).toContain('labeled');
    expect(await ok(['get', 'cm', '-l', 'tier=front', '-o', 'jsonpath={.items[*].metadata.name}'])).toBe('web-config');
    expect(await ok(['patch', 'cm', 'web-config', '--type=merge', '-p', '{"data":{"b":"2"}}'])).toContain('patched');
    expect(await ok(['patch', 'cm', 'web-config', '--type=json', '-p', '[{"op":"add","path":"/data/c","value":"3"}]'])).toContain('patched');
    expect(JSON.parse(await ok(['get', 'cm', 'web-config', '-o', 'jsonpath={.data}']))).toEqual({ greeting: 'hello', b: '2', c: '3' });

    expect(await ok(['scale', 'deployment/web', '--replicas=3'])).toContain('deployment.apps/web scaled');
    expect(await ok(['get', 'deploy', 'web', '-o', 'jsonpath={.spec.replicas}'])).toBe('3');

    const all = await ok(['get', 'all', '-o', 'name']);
    expect(all).toContain('deployment.apps/web');
    expect(all).toContain('service/web');
    expect(all).not.toContain('configmap/');

    expect(await ok(['delete', 'cm', 'web-config'])).toContain('configmap "web-config" deleted');
    const missing = await kubectl(['get', 'cm', 'web-config']);
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toContain('Error from server (NotFound): configmaps "web-config" not found');
  });

  it('prints server errors as kubectl does (Invalid with causes)', async () => {
    const file = join(home, 'bad.yaml');
    writeFileSync(file, 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: Bad_Name\n');
    const r = await kubectl(['create', '-f', file, '--validate=false']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('is invalid');
    expect(r.stderr).toContain('metadata.name');
  });

  it('kubectl get cm -w sees a change', async () => {
    const file = join(home, 'watched.yaml');
    writeFileSync(file, 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: watched\ndata: {a: "1"}\n');
    await ok(['create', '-f', file, '--validate=false']);
    const child = spawn(KUBECTL, ['get', 'cm', '-w', `--cache-dir=${join(home, 'cache-watch')}`], { env: env() });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (out += c.toString()));
    try {
      await eventually(() => out.includes('watched'), 15_000);
      const before = out.split('\n').filter((l) => l.startsWith('watched')).length;
      await ok(['patch', 'cm', 'watched', '--type=merge', '-p', '{"data":{"a":"2"}}']);
      await eventually(() => out.split('\n').filter((l) => l.startsWith('watched')).length > before, 15_000);
      await ok(['delete', 'cm', 'watched', '--wait=false']);
    } finally {
      child.kill();
    }
  });

  it('kubectl logs gets a clear error for a pod no node runs yet', async () => {
    const file = join(home, 'pod.yaml');
    writeFileSync(file, 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: lonely\nspec:\n  containers:\n  - name: app\n    image: busybox\n');
    await ok(['apply', '-f', file, '--validate=false']);
    const r = await kubectl(['logs', 'lonely']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('Error from server (BadRequest)');
    expect(r.stderr).toContain('does not have a node assigned yet');
  });

  it('imperative create sends protobuf, which the server decodes', async () => {
    expect(await ok(['create', 'configmap', 'imperative', '--from-literal=a=b'])).toContain('configmap/imperative created');
    expect(await ok(['get', 'cm', 'imperative', '-o', 'jsonpath={.data.a}'])).toBe('b');
  });
});

describe.skipIf(process.env['CI'] !== 'true' && (!haveKubectl || !existsSync(bundled(27))))('bundled kubectl 1.27 run directly', () => {
  it('version, get ns, imperative create (JSON in 1.27) and api-resources', async () => {
    const k = bundled(27);
    expect(await ok(['version'], k)).toContain('GitVersion:"v1.32.0-skiff"');
    expect(await ok(['get', 'ns'], k)).toContain('kube-system');
    expect(await ok(['create', 'configmap', 'old-style', '--from-literal=a=b'], k)).toContain('configmap/old-style created');
    expect(await ok(['get', 'cm', 'old-style', '-o', 'jsonpath={.data.a}'], k)).toBe('b');
    expect(await ok(['api-resources'], k)).toMatch(/^deployments\s+deploy\s+apps\/v1\s+true\s+Deployment$/m);
    expect(await ok(['delete', 'cm', 'old-style'], k)).toContain('deleted');
  });
});
