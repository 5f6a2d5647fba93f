import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { builtinAdmission, createCluster, type Cluster, type ReplicaSet } from '@skiff/core';
import { Client, inProcessTransport } from '@skiff/sdk';
import { eventually } from '@skiff/sdk/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiServerKey, apiServer } from '@skiff/plugin-apiserver';
import { controllerManager, controllerManagerOf } from '../src/index.js';
import { nodesAndScheduler } from './fixtures.js';

const run = promisify(execFile);
const KUBECTL = '/usr/bin/kubectl';
const long = { timeoutMs: 60_000 };

let server: Cluster;
let managerOnly: Cluster;
let home: string;
let client: Client;

/**
 * Runs kubectl. A write that loses a race with a controller's status write is retried: the API
 * should retry a patch without a resourceVersion itself, but core's patch gives up at the first
 * conflict (see fixtures' `retryOnConflict`).
 */
async function kubectl(...args: string[]): Promise<string> {
  for (let attempt = 1; ; attempt++) {
    try {
      const { stdout } = await run(KUBECTL, ['--kubeconfig', join(home, 'kubeconfig'), ...args], { timeout: 90_000 });
      return stdout;
    } catch (err) {
      const stderr = String((err as { stderr?: unknown }).stderr ?? '');
      if (attempt >= 5 || !stderr.includes('the object has been modified')) throw err;
    }
  }
}

// The API server, nodes and scheduler in one cluster; the controller manager in another, reaching
// the first over HTTP (as `skiff` would run it against a remote server).
beforeAll(async () => {
  server = await createCluster({ plugins: [builtinAdmission(), apiServer({ port: 0 }), nodesAndScheduler(2)] });
  await server.start();
  const url = server.use(ApiServerKey).url();
  managerOnly = await createCluster({ plugins: [controllerManager({ server: { url }, leaderElection: { leaseDurationMs: 1500, renewDeadlineMs: 1000, retryPeriodMs: 100 } })] });
  await managerOnly.start();
  client = new Client(inProcessTransport(server));
  home = mkdtempSync(join(tmpdir(), 'skiff-rollout-'));
  writeFileSync(
    join(home, 'kubeconfig'),
    `apiVersion: v1\nkind: Config\nclusters:\n- name: s\n  cluster: {server: '${url}'}\nusers:\n- name: u\n  user: {}\ncontexts:\n- name: s\n  context: {cluster: s, user: u, namespace: default}\ncurrent-context: s\n`,
  );
  writeFileSync(
    join(home, 'web.yaml'),
    [
      'apiVersion: apps/v1',
      'kind: Deployment',
      'metadata: {name: web, namespace: default}',
      'spec:',
      '  replicas: 3',
      '  selector: {matchLabels: {app: web}}',
      '  template:',
      '    metadata: {labels: {app: web}}',
      '    spec: {containers: [{name: app, image: "busybox:1.36"}]}',
      '',
    ].join('\n'),
  );
}, 60_000);

afterAll(async () => {
  await managerOnly?.stop();
  await server?.stop();
  if (home) rmSync(home, { recursive: true, force: true });
});

describe.skipIf(!existsSync(KUBECTL))('kubectl against a remote controller manager', () => {
  it('the manager leads over HTTP', async () => {
    await eventually(() => expect(controllerManagerOf(managerOnly)?.isLeader()).toBe(true), long);
    const lease = await client.resource('coordination.k8s.io/v1', 'Lease').get('skiff-controller-manager', { namespace: 'kube-system' });
    expect(lease.spec?.holderIdentity).toBe(controllerManagerOf(managerOnly)?.identity);
  });

  it('kubectl rollout status terminates successfully after create, set image and undo', async () => {
    await kubectl('apply', '-f', join(home, 'web.yaml'));
    expect(await kubectl('rollout', 'status', 'deployment/web', '--timeout=60s')).toContain('successfully rolled out');

    await kubectl('set', 'image', 'deployment/web', 'app=busybox:1.37');
    expect(await kubectl('rollout', 'status', 'deployment/web', '--timeout=60s')).toContain('successfully rolled out');

    const history = await kubectl('rollout', 'history', 'deployment/web');
    expect(history).toMatch(/^1\s/m);
    expect(history).toMatch(/^2\s/m);

    await kubectl('rollout', 'undo', 'deployment/web');
    expect(await kubectl('rollout', 'status', 'deployment/web', '--timeout=60s')).toContain('successfully rolled out');
    const rss = (await client.resource('apps/v1', 'ReplicaSet').list({ namespace: 'default', labelSelector: 'app=web' })).items as ReplicaSet[];
    expect(rss).toHaveLength(2);
    const active = rss.find((rs) => (rs.spec?.replicas ?? 0) > 0)!;
    expect(active.spec?.template?.spec?.containers[0]?.image).toBe('busybox:1.36');
    expect(active.metadata.annotations?.['deployment.kubernetes.io/revision']).toBe('3');
    await eventually(async () => {
      const now = (await client.resource('v1', 'Pod').list({ namespace: 'default', labelSelector: 'app=web' })).items.filter((p) => !p.metadata.deletionTimestamp);
      expect(now.map((p) => p.spec?.containers[0]?.image)).toEqual(['busybox:1.36', 'busybox:1.36', 'busybox:1.36']);
    }, long);
  });
});
