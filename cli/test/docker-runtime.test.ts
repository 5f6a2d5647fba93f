import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { DOCKER_LABELS, connectEngine, probeDockerEngine } from '@skiff/plugin-runtime-docker';
import { RUNTIME_LABELS } from '@skiff/sdk';
import { eventually } from '@skiff/sdk/testing';
import { defaultNodeName } from '../src/join-config.js';
import { describeRuntimeEndToEnd, httpGet } from './runtime-e2e.js';
import { runSkiff } from './run-skiff.js';

// The engine scripts/test-docker-engine.sh starts (.ci/run does), with its busybox and sandbox images.
const host = process.env['DOCKER_HOST'];
const probe = await probeDockerEngine(host ? { host } : {});
if (!probe.ok && process.env['CI'] === 'true') throw new Error(`The Docker engine the tests need is unusable (start it with scripts/test-docker-engine.sh): ${probe.reason}`);

/** The containers of this host's node, optionally only those of one pod. */
async function containers(podName?: string) {
  const labels = [`${DOCKER_LABELS.node}=${defaultNodeName()}`, ...(podName ? [`${RUNTIME_LABELS.podName}=${podName}`] : [])];
  return connectEngine(host).docker.listContainers({ all: true, filters: JSON.stringify({ label: labels }) });
}

if (probe.ok) {
  describeRuntimeEndToEnd({
    runtime: 'docker',
    upFlags: [...(host ? ['--docker-host', host] : []), '--sandbox-image', 'skiff-test/pause:latest'],
    // busybox httpd serves a page naming the pod IP the agent put in the environment.
    server: {
      image: 'busybox',
      imagePullPolicy: 'IfNotPresent',
      command: ['sh', '-c', 'mkdir -p /www && echo "hi from $POD_IP" > /www/index.html && echo "listening on $POD_IP" && exec httpd -f -p 8080 -h /www'],
    },
    body: (ip) => `hi from ${ip}\n`,
    async expectGone(name) {
      await eventually(async () => expect(await containers(name)).toEqual([]), { timeoutMs: 30_000 });
    },
    more(kubectl, dir) {
      it('mounts a ConfigMap volume as a bind (served by httpd on the pod IP) and maps limits to the engine', async () => {
        await kubectl('create', 'configmap', 'site', '--from-literal=index.html=<p>from a ConfigMap</p>');
        const pod = {
          apiVersion: 'v1',
          kind: 'Pod',
          metadata: { name: 'site', namespace: 'default' },
          spec: {
            terminationGracePeriodSeconds: 1,
            volumes: [{ name: 'site', configMap: { name: 'site' } }],
            containers: [{
              name: 'httpd',
              image: 'busybox',
              imagePullPolicy: 'IfNotPresent',
              command: ['httpd', '-f', '-p', '8080', '-h', '/site'],
              ports: [{ containerPort: 8080 }],
              volumeMounts: [{ name: 'site', mountPath: '/site', readOnly: true }],
              resources: { limits: { cpu: '500m', memory: '64Mi' } },
              readinessProbe: { httpGet: { path: '/', port: 8080 }, periodSeconds: 1 },
            }],
          },
        };
        const file = join(dir, 'site.json');
        writeFileSync(file, JSON.stringify(pod));
        await kubectl('apply', '-f', file);
        await kubectl('wait', '--for=condition=Ready', 'pod/site', '--timeout=60s');
        const ip = (await kubectl('get', 'pod', 'site', '-o', 'jsonpath={.status.podIP}')).stdout;
        expect(await httpGet(ip, 8080)).toBe('<p>from a ConfigMap</p>');
        const [app] = (await containers('site')).filter((c) => c.Labels[RUNTIME_LABELS.containerName] === 'httpd');
        const inspect = await connectEngine(host).docker.getContainer(app!.Id).inspect();
        expect(inspect.HostConfig).toMatchObject({ NanoCpus: 500_000_000, Memory: 64 * 1024 * 1024 });
        expect(inspect.Mounts.find((m) => m.Destination === '/site')).toMatchObject({ Type: 'bind', RW: false });
        await kubectl('delete', 'pod', 'site', '--wait=true', '--timeout=60s');
      });

      it('a missing image waits in ErrImagePull, then ImagePullBackOff; with pull policy Never in ErrImageNeverPull', async () => {
        await kubectl('run', 'nopull', '--image=nosuch.invalid/app:1.0', '--restart=Never');
        const waiting = async (pod: string) => JSON.parse((await kubectl('get', 'pod', pod, '-o', 'jsonpath={.status.containerStatuses[0].state.waiting}')).stdout || '{}') as { reason?: string; message?: string };
        const reasons = new Set<string>();
        await eventually(async () => {
          const w = await waiting('nopull');
          if (w.reason) reasons.add(w.reason);
          expect(reasons).toContain('ImagePullBackOff');
        }, { timeoutMs: 60_000 });
        const events = (await kubectl('get', 'events', '--field-selector', 'involvedObject.name=nopull,reason=Failed', '-o', 'jsonpath={.items[*].message}')).stdout;
        expect(events).toContain('Failed to pull image "nosuch.invalid/app:1.0"');

        await kubectl('run', 'neverpull', '--image=nosuch.invalid/app:1.0', '--image-pull-policy=Never', '--restart=Never');
        await eventually(async () => expect(await waiting('neverpull')).toEqual({ reason: 'ErrImageNeverPull', message: 'Container image "nosuch.invalid/app:1.0" is not present with pull policy of Never' }), { timeoutMs: 60_000 });
        await kubectl('delete', 'pod', 'nopull', 'neverpull', '--wait=true', '--timeout=60s');
      });
    },
    async afterStop() {
      expect(await containers()).toEqual([]);
    },
  });
} else {
  describe.skip(`skiff up --runtime docker (no Docker engine: ${probe.reason})`, () => {
    it('needs a Docker engine', () => undefined);
  });
}

describe('skiff up --runtime docker without an engine', { timeout: 90_000 }, () => {
  it('starts, says why the engine is unusable, and reports the node NotReady with the reason', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'skiff-no-docker-'));
    const server = runSkiff(['up', '--data-dir', join(dir, 'data'), '--api-port', '0', '--store', 'memory', '--runtime', 'docker', '--docker-host', `unix://${dir}/no-docker.sock`]);
    try {
      await eventually(() => expect(server.out.stdout).toMatch(/Ready in/), { timeoutMs: 60_000 });
      expect(server.out.stdout).toContain(`WARNING: Docker engine at unix://${dir}/no-docker.sock unreachable`);
      const env = { ...process.env, KUBECONFIG: join(dir, 'data', 'kubeconfig'), HOME: dir };
      const ready = await promisify(execFile)('kubectl', ['get', 'nodes', '-o', 'jsonpath={.items[0].status.conditions[?(@.type=="Ready")]}', `--cache-dir=${join(dir, 'kcache')}`], { env });
      const condition = JSON.parse(ready.stdout) as { status: string; reason: string; message: string };
      expect(condition).toMatchObject({ status: 'False', reason: 'KubeletNotReady' });
      expect(condition.message).toMatch(new RegExp(`^container runtime is down: Docker engine at unix://${dir}/no-docker.sock unreachable`));
    } finally {
      server.child.kill('SIGTERM');
      await server.exited;
      rmSync(dir, { recursive: true, force: true });
    }
    expect(server.out.code).toBe(0);
  });
});
