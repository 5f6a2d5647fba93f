import * as http from 'node:http';
import * as net from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { POD_LOGS_REGISTRY, isApiError, type Pod, type PodLogOptions, type PodLogSource } from '@skiff/core';
import { RUNTIME_LABELS } from '@skiff/sdk';
import { createTestCluster, eventually, type TestCluster } from '@skiff/sdk/testing';
import { NodeAgent, nodeAgent } from '@skiff/plugin-kubelet';
import { ProcessRuntime, processRuntime } from '../src/index.js';
import { isAlive, type ProcessIdentity } from '../src/proc.js';
import { readJson } from '../src/state.js';
import { reap, tempStateDir } from './helpers.js';

let tc: TestCluster | undefined;
const agents: NodeAgent[] = [];
/** The cluster's `stateDir` option; node-1's state is in `<root>/node-1`. */
let root: string | undefined;
let stateDir: string | undefined;

afterEach(async () => {
  for (const agent of agents.splice(0)) await agent.stop();
  await tc?.stop();
  tc = undefined;
  if (stateDir) {
    // The agent leaves pods running when it stops (for adoption): remove them, then check nothing is left.
    const rt = new ProcessRuntime({ stateDir });
    for (const s of await rt.listPodSandboxes()) await rt.removePodSandbox(s.id);
    await rt.close();
    expect(reap(stateDir)).toEqual([]);
    reap(root!);
    stateDir = undefined;
    root = undefined;
  }
});

/** A cluster whose node-1 runs pods as processes; one probe "second" is 100 ms. */
async function processCluster(): Promise<TestCluster> {
  root = tempStateDir('skiff-process-e2e-');
  stateDir = join(root, 'node-1');
  return createTestCluster({
    plugins: [
      processRuntime({ stateDir: root }),
      nodeAgent({ nodeName: 'node-1', runtime: 'process', podCIDR: '127.80.0.0/24', syncIntervalMs: 100, restartBackoff: { initialMs: 200, maxMs: 800 }, secondsScale: 100 }),
    ],
  });
}

type PodContainer = NonNullable<Pod['spec']>['containers'][number];

function pod(name: string, container: Partial<PodContainer>, spec: Partial<NonNullable<Pod['spec']>> = {}): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default' },
    spec: { nodeName: 'node-1', terminationGracePeriodSeconds: 2, containers: [{ name: 'app', image: 'node:20', ...container }], ...spec },
  };
}

const pods = (t: TestCluster) => t.client.resource('v1', 'Pod');
const getPod = (t: TestCluster, name: string) => pods(t).get(name, { namespace: 'default' });

async function logs(t: TestCluster, name: string, options: PodLogOptions = {}): Promise<string> {
  const source = t.cluster.registry<PodLogSource>(POD_LOGS_REGISTRY).get('node-1');
  let text = '';
  for await (const chunk of await source.logs('default', name, options, new AbortController().signal)) text += chunk;
  return text;
}

function httpGet(host: string, port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host, port, path: '/', timeout: 2_000 }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve(body));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
  });
}

async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** The identities of the processes the runtime runs for a pod (read from the state directory). */
async function podProcesses(uid: string): Promise<ProcessIdentity[]> {
  const rt = new ProcessRuntime({ stateDir: stateDir! });
  try {
    const containers = await rt.listContainers({ labels: { [RUNTIME_LABELS.podUid]: uid }, state: 'running' });
    return containers.map((c) => readJson<{ process: ProcessIdentity }>(`${stateDir}/containers/${c.id}/started.json`)!.process);
  } finally {
    await rt.close();
  }
}

const SERVER = "require('http').createServer((q, s) => { console.log('GET ' + q.url); s.end('hi from ' + process.env.POD_IP); }).listen(8080, process.env.POD_IP, () => console.log('listening on ' + process.env.POD_IP))";

describe('process runtime end to end, through the node agent', () => {
  it('runs a Node.js HTTP server that answers on podIP:8080, with its logs served by the agent', async () => {
    tc = await processCluster();
    await pods(tc).create(
      pod('web', {
        command: [process.execPath, '-e', SERVER],
        env: [{ name: 'POD_IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } }],
        ports: [{ containerPort: 8080 }],
        readinessProbe: { tcpSocket: { port: 8080 }, periodSeconds: 1 },
      }),
    );
    const running = await eventually(async () => {
      const p = await getPod(tc!, 'web');
      expect(p.status?.phase).toBe('Running');
      expect(p.status?.conditions?.find((c) => c.type === 'Ready')?.status).toBe('True');
      return p;
    }, { timeoutMs: 30_000 });
    const ip = running.status!.podIP!;
    expect(ip).toMatch(/^127\.80\.0\.\d+$/);
    expect(running.status?.containerStatuses?.[0]?.containerID).toMatch(/^process:\/\/[0-9a-f]+$/);
    expect(await httpGet(ip, 8080)).toBe(`hi from ${ip}`);
    await eventually(async () => expect(await logs(tc!, 'web')).toBe(`listening on ${ip}\nGET /\n`));
    expect(await logs(tc!, 'web', { tailLines: 1 })).toBe('GET /\n');
  });

  it('mounts the agent\'s volumes: a ConfigMap read and an emptyDir shared by two containers', async () => {
    tc = await processCluster();
    await tc.client.resource('v1', 'ConfigMap').create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'greeting', namespace: 'default' }, data: { text: 'hello volume' } });
    // `$(CONFIG_DIR)` is expanded by the agent from the container's env, as Kubernetes does.
    const writer = "echo from-writer > shared/note; cat $(CONFIG_DIR)/text; echo; while true; do sleep 0.2; done";
    const reader = 'while [ ! -f shared/note ]; do sleep 0.1; done; cat shared/note; while true; do sleep 0.2; done';
    await pods(tc).create({
      ...pod('volumes', {}),
      spec: {
        nodeName: 'node-1',
        terminationGracePeriodSeconds: 1,
        volumes: [{ name: 'shared', emptyDir: {} }, { name: 'config', configMap: { name: 'greeting' } }],
        containers: [
          { name: 'writer', image: 'busybox', command: ['sh', '-c', writer], env: [{ name: 'CONFIG_DIR', value: 'config' }], volumeMounts: [{ name: 'shared', mountPath: '/shared' }, { name: 'config', mountPath: '/config' }] },
          { name: 'reader', image: 'busybox', command: ['sh', '-c', reader], volumeMounts: [{ name: 'shared', mountPath: '/shared' }] },
        ],
      },
    });
    await eventually(async () => expect((await getPod(tc!, 'volumes')).status?.phase).toBe('Running'), { timeoutMs: 30_000 });
    await eventually(async () => expect(await logs(tc!, 'volumes', { container: 'writer' })).toBe('hello volume\n'), { timeoutMs: 20_000 });
    await eventually(async () => expect(await logs(tc!, 'volumes', { container: 'reader' })).toBe('from-writer\n'), { timeoutMs: 20_000 });
  });

  it('containers of one pod share its address: each listens on its own port of the pod IP', async () => {
    tc = await processCluster();
    const serve = (port: number, text: string) =>
      `require('http').createServer((q, s) => s.end('${text}')).listen(${port}, process.env.SKIFF_POD_IP, () => console.log('up on ' + process.env.SKIFF_POD_IP + ':${port}'))`;
    const base = pod('pair', {});
    base.spec!.containers = [
      { name: 'main', image: 'node:20', command: [process.execPath, '-e', serve(8080, 'main')] },
      { name: 'sidecar', image: 'node:20', command: [process.execPath, '-e', serve(9090, 'sidecar')] },
    ];
    await pods(tc).create(base);
    const ip = await eventually(async () => {
      const p = await getPod(tc!, 'pair');
      expect(p.status?.phase).toBe('Running');
      const podIP = p.status!.podIP!;
      expect([await httpGet(podIP, 8080), await httpGet(podIP, 9090)]).toEqual(['main', 'sidecar']);
      return podIP;
    }, { timeoutMs: 30_000 });
    expect(await logs(tc, 'pair', { container: 'sidecar' })).toBe(`up on ${ip}:9090\n`);
  });

  it('a container exiting 1 goes into CrashLoopBackOff, with the previous instance and its logs kept', async () => {
    tc = await processCluster();
    await pods(tc).create(pod('crash', { image: 'busybox:1.36', command: ['sh', '-c', 'echo "crashing at $(date +%s%N)"; exit 1'] }));
    const p = await eventually(async () => {
      const got = await getPod(tc!, 'crash');
      const status = got.status?.containerStatuses?.[0];
      expect(status?.state?.waiting?.reason).toBe('CrashLoopBackOff');
      expect(status?.restartCount).toBeGreaterThanOrEqual(2);
      return got;
    }, { timeoutMs: 30_000 });
    expect(p.status?.containerStatuses?.[0]?.lastState?.terminated).toMatchObject({ exitCode: 1, reason: 'Error' });
    expect(await logs(tc, 'crash', { previous: true })).toMatch(/^crashing at \d+\n$/);
  });

  it('deleting the pod stops its processes, even one that ignores SIGTERM', async () => {
    tc = await processCluster();
    await pods(tc).create(
      pod('doomed', { image: 'busybox:1.36', command: ['sh', '-c', "trap '' TERM; sleep 1000 & while true; do sleep 0.1; done"] }, { terminationGracePeriodSeconds: 1 }),
    );
    const running = await eventually(async () => {
      const got = await getPod(tc!, 'doomed');
      expect(got.status?.phase).toBe('Running');
      return got;
    }, { timeoutMs: 30_000 });
    const processes = await podProcesses(running.metadata.uid!);
    expect(processes).toHaveLength(1);
    expect(isAlive(processes[0])).toBe(true);
    await pods(tc).delete('doomed', { namespace: 'default' });
    await eventually(async () => {
      const err = await getPod(tc!, 'doomed').then(() => undefined, (e: unknown) => e);
      expect(isApiError(err) && err.status.code === 404).toBe(true);
    }, { timeoutMs: 30_000 });
    expect(isAlive(processes[0])).toBe(false);
    expect(await podProcesses(running.metadata.uid!)).toEqual([]);
  });

  it('a failing liveness probe (httpGet on a closed port) restarts the container', async () => {
    tc = await processCluster();
    const port = await closedPort();
    await pods(tc).create(
      pod('unhealthy', {
        image: 'busybox:1.36',
        command: ['sh', '-c', 'echo started; while true; do sleep 0.1; done'],
        livenessProbe: { httpGet: { port, path: '/healthz' }, initialDelaySeconds: 2, periodSeconds: 1, failureThreshold: 2 },
      }),
    );
    const p = await eventually(async () => {
      const got = await getPod(tc!, 'unhealthy');
      expect(got.status?.containerStatuses?.[0]?.restartCount).toBeGreaterThanOrEqual(1);
      return got;
    }, { timeoutMs: 30_000 });
    // sh has no TERM trap: the stop's SIGTERM ends it (143).
    expect(p.status?.containerStatuses?.[0]?.lastState?.terminated).toMatchObject({ exitCode: 143 });
  });

  it('a restarted agent adopts the running server (same process, same address) instead of starting another', async () => {
    root = tempStateDir('skiff-process-e2e-');
    stateDir = join(root, 'node-1');
    tc = await createTestCluster({ plugins: [processRuntime({ stateDir: root })] });
    const options = { nodeName: 'node-1', runtime: 'process', podCIDR: '127.80.1.0/24', syncIntervalMs: 100, restartBackoff: { initialMs: 200, maxMs: 800 } };
    const first = new NodeAgent(tc.cluster, options);
    agents.push(first);
    await first.start();
    await pods(tc).create(
      pod('web', { command: [process.execPath, '-e', SERVER], env: [{ name: 'POD_IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } }], ports: [{ containerPort: 8080 }] }),
    );
    const ip = await eventually(async () => {
      const p = await getPod(tc!, 'web');
      expect(p.status?.phase).toBe('Running');
      expect(await httpGet(p.status!.podIP!, 8080)).toBe(`hi from ${p.status!.podIP}`);
      return p.status!.podIP!;
    }, { timeoutMs: 30_000 });
    const uid = (await getPod(tc, 'web')).metadata.uid!;
    const [before] = await podProcesses(uid);
    await first.stop();
    // Nobody watches: the server keeps serving.
    expect(await httpGet(ip, 8080)).toBe(`hi from ${ip}`);

    const second = new NodeAgent(tc.cluster, options);
    agents.push(second);
    await second.start();
    await pods(tc).create(pod('other', { image: 'busybox:1.36', command: ['sh', '-c', 'while true; do sleep 0.1; done'] }));
    const other = await eventually(async () => {
      const p = await getPod(tc!, 'other');
      expect(p.status?.phase).toBe('Running');
      return p;
    }, { timeoutMs: 30_000 });
    expect(other.status?.podIP).not.toBe(ip);
    const web = await getPod(tc, 'web');
    expect(web.status?.containerStatuses?.[0]).toMatchObject({ restartCount: 0, state: { running: expect.anything() } });
    expect(await podProcesses(uid)).toEqual([before]);
    expect(await httpGet(ip, 8080)).toBe(`hi from ${ip}`);
  });
});
