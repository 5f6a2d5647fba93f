import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { etcdStore } from '@skiff/plugin-store-etcd';
import { startEtcd } from '@skiff/plugin-store-etcd/testing';
import { eventually } from '@skiff/sdk/testing';
import { killSkiffChildren, runSkiff } from './run-skiff.js';

const execFileAsync = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'skiff-cli-'));
afterAll(() => {
  killSkiffChildren();
  rmSync(dir, { recursive: true, force: true });
});
const run = runSkiff;

describe('skiff CLI', { timeout: 60_000 }, () => {
  it('prints its version', async () => {
    const r = run(['version']);
    await r.exited;
    expect(r.out.code).toBe(0);
    expect(r.out.stdout).toMatch(/^skiff \d+\.\d+\.\d+ \(@skiff\/sdk \d+\.\d+\.\d+, @skiff\/core \d+\.\d+\.\d+, node v\d+/);
  });

  it('`up` starts on SQLite with an HTTPS API server, writes a kubeconfig kubectl uses, and stops cleanly', async () => {
    const dataDir = join(dir, 'data');
    const r = run(['up', '--data-dir', dataDir, '--api-port', '0']);
    await eventually(() => expect(r.out.stdout).toMatch(/Ready/), { timeoutMs: 60_000 });
    expect(r.out.stdout).toContain(`data directory ${dataDir}`);
    expect(r.out.stdout).toContain('opening the sqlite store');
    expect(r.out.stdout).toMatch(/API server listening on https:\/\/127\.0\.0\.1:\d+/);
    const kubeconfig = /export KUBECONFIG=(\S+)/.exec(r.out.stdout)?.[1];
    expect(kubeconfig).toBe(join(dataDir, 'kubeconfig'));
    const got = await execFileAsync('kubectl', ['get', 'namespaces', '-o', 'name', `--cache-dir=${join(dir, 'kcache')}`], { env: { ...process.env, KUBECONFIG: kubeconfig!, HOME: dir } });
    expect(got.stdout.split('\n').filter(Boolean).sort()).toEqual(['namespace/default', 'namespace/kube-node-lease', 'namespace/kube-public', 'namespace/kube-system']);
    expect(existsSync(join(dataDir, 'skiff.db'))).toBe(true);
    expect(readFileSync(join(dataDir, 'node-token'), 'utf8')).toMatch(/^sha256:[0-9a-f]{64}:[0-9a-f]{64}\n$/);
    // The local node agent registered the host as a Ready node.
    const nodes = await execFileAsync('kubectl', ['get', 'nodes', '-o', 'jsonpath={range .items[*]}{.metadata.name}={.status.conditions[?(@.type=="Ready")].status}{"\\n"}{end}', `--cache-dir=${join(dir, 'kcache')}`], { env: { ...process.env, KUBECONFIG: kubeconfig!, HOME: dir } });
    expect(nodes.stdout.trim()).toMatch(/^[a-z0-9.-]+=True$/);
    expect(r.out.stdout).toMatch(/local node [a-z0-9.-]+ on the process runtime \(pods in 127\.10\.0\.0\/24\)/);
    // The scheduler and the controllers run too: a Deployment rolls out onto the local node.
    const kc = (...args: string[]) => execFileAsync('kubectl', [`--cache-dir=${join(dir, 'kcache')}`, ...args], { env: { ...process.env, KUBECONFIG: kubeconfig!, HOME: dir } });
    // The default runtime runs host processes: the image names nothing here, the command runs.
    await kc('create', 'deployment', 'web', '--image=busybox', '--replicas=2', '--', 'sleep', '3600');
    expect((await kc('rollout', 'status', 'deployment/web', '--timeout=60s')).stdout).toContain('successfully rolled out');
    const pods = await kc('get', 'pods', '-l', 'app=web', '-o', 'jsonpath={range .items[*]}{.status.phase}/{.spec.nodeName}{"\\n"}{end}');
    expect(pods.stdout.trim().split('\n')).toEqual([expect.stringMatching(/^Running\/[a-z0-9.-]+$/), expect.stringMatching(/^Running\/[a-z0-9.-]+$/)]);
    r.child.kill('SIGTERM');
    await r.exited;
    expect(r.out.code).toBe(0);
    expect(r.out.stdout).toMatch(/stopped\n$/);
  });

  for (const store of ['etcd', 'memory'] as const) {
    it(`\`up --store ${store}\` serves the API from ${store === 'etcd' ? 'a real etcd' : 'memory'}`, async () => {
      const etcd = store === 'etcd' ? await startEtcd(1) : undefined;
      try {
        const dataDir = join(dir, `data-${store}`);
        const args = ['up', '--data-dir', dataDir, '--api-port', '0', '--store', store];
        if (etcd) args.push('--etcd-endpoints', etcd.endpoints.join(','));
        const r = run(args);
        await eventually(() => expect(r.out.stdout).toMatch(/Ready/), { timeoutMs: 60_000 });
        expect(r.out.stdout).toContain(`opening the ${store} store`);
        const env = { ...process.env, KUBECONFIG: join(dataDir, 'kubeconfig'), HOME: dir };
        await execFileAsync('kubectl', ['create', 'configmap', 'here', '--from-literal=k=v', `--cache-dir=${join(dir, `kc-${store}`)}`], { env });
        if (etcd) {
          const raw = etcdStore({ endpoints: etcd.endpoints });
          try {
            expect((await raw.get('/registry/core/configmaps/default/here'))?.metadata.name).toBe('here');
          } finally {
            await raw.close();
          }
        }
        expect(existsSync(join(dataDir, 'skiff.db'))).toBe(false);
        r.child.kill('SIGTERM');
        await r.exited;
        expect(r.out.code).toBe(0);
      } finally {
        await etcd?.stop();
      }
    });
  }

  it('`up --nodes 300` runs simulated nodes that all register Ready and renew their Leases', async () => {
    const dataDir = join(dir, 'data-hollow');
    const r = run(['up', '--data-dir', dataDir, '--api-port', '0', '--store', 'memory', '--nodes', '300']);
    await eventually(() => expect(r.out.stdout).toMatch(/Ready/), { timeoutMs: 60_000 });
    expect(r.out.stdout).toContain('300 simulated nodes hollow-node-0…299 on the mock runtime');
    const env = { ...process.env, KUBECONFIG: join(dataDir, 'kubeconfig'), HOME: dir };
    const nodes = await execFileAsync('kubectl', ['get', 'nodes', '-o', 'jsonpath={range .items[*]}{.status.conditions[?(@.type=="Ready")].status}{"\\n"}{end}', `--cache-dir=${join(dir, 'kc-hollow')}`], { env });
    const statuses = nodes.stdout.split('\n').filter(Boolean);
    expect(statuses).toHaveLength(300);
    expect(new Set(statuses)).toEqual(new Set(['True']));
    const leases = await execFileAsync('kubectl', ['get', 'leases', '-n', 'kube-node-lease', '-o', 'name', `--cache-dir=${join(dir, 'kc-hollow')}`], { env });
    expect(leases.stdout.split('\n').filter(Boolean)).toHaveLength(300);
    r.child.kill('SIGTERM');
    await r.exited;
    expect(r.out.code).toBe(0);
  });

  it('refuses bad flags, bad config files and unknown stores with a coded error and a hint', async () => {
    const badPort = run(['up', '--data-dir', join(dir, 'x'), '--api-port', 'ten']);
    await badPort.exited;
    expect(badPort.out.code).toBe(1);
    expect(badPort.out.stderr).toContain('SKIFF_ERR_CLI_CONFIG');
    const file = join(dir, 'bad.yaml');
    writeFileSync(file, 'apiPort: 6443\nstroe: memory\n');
    const badFile = run(['up', '--config', file]);
    await badFile.exited;
    expect(badFile.out.code).toBe(1);
    expect(badFile.out.stderr).toMatch(/SKIFF_ERR_CLI_CONFIG.*stroe/);
    const store = run(['up', '--data-dir', join(dir, 'y'), '--store', 'nosuch']);
    await store.exited;
    expect(store.out.code).toBe(1);
    expect(store.out.stderr).toMatch(/SKIFF_ERR_CLI_CONFIG.*store/);
    expect(store.out.stderr).toContain('skiff --help');
    const etcd = run(['up', '--data-dir', join(dir, 'z'), '--store', 'etcd']);
    await etcd.exited;
    expect(etcd.out.code).toBe(1);
    expect(etcd.out.stderr).toMatch(/SKIFF_ERR_CLI_USAGE.*--etcd-endpoints/);
  });
});
