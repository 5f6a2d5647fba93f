import * as http from 'node:http';
import * as net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { Pod, Probe } from '@skiff/core';
import { MOCK_ANNOTATIONS } from '@skiff/sdk';
import { mockRuntime } from '@skiff/plugin-runtime-mock';
import { createTestCluster, eventually, type TestCluster } from '@skiff/sdk/testing';
import { nodeAgent, nodeAgentOf } from '../src/index.js';
import { boundPod, getPod } from './fixtures.js';

let tc: TestCluster | undefined;
const servers: net.Server[] = [];
afterEach(async () => {
  await tc?.stop();
  tc = undefined;
  await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
});

/** One probe "second" is 20 ms. */
function clusterWithProbes(): Promise<TestCluster> {
  return createTestCluster({
    plugins: [mockRuntime(), nodeAgent({ nodeName: 'node-1', syncIntervalMs: 20, restartBackoff: { initialMs: 20, maxMs: 100 }, secondsScale: 20 })],
  });
}

const pods = (t: TestCluster) => t.client.resource('v1', 'Pod');
const fast: Probe = { periodSeconds: 1, timeoutSeconds: 5, failureThreshold: 2 };
const exec: Probe = { ...fast, exec: { command: ['check'] } };

function probed(name: string, probes: Partial<Pick<NonNullable<Pod['spec']>['containers'][number], 'livenessProbe' | 'readinessProbe' | 'startupProbe'>>, annotations: Record<string, string> = {}, spec: Partial<NonNullable<Pod['spec']>> = {}): Pod {
  return boundPod(name, { annotations, spec: { containers: [{ name: 'app', image: 'busybox', ...probes }], ...spec } });
}

const cond = (p: Pod, type: string) => p.status?.conditions?.find((c) => c.type === type)?.status;
const status0 = (p: Pod) => p.status?.containerStatuses?.[0];

async function listen(handler: http.RequestListener): Promise<number> {
  const server = http.createServer(handler);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as net.AddressInfo).port;
}

async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('readiness probes', () => {
  it('keep the container unready until the probe passes, then set ready, ContainersReady and Ready', async () => {
    tc = await clusterWithProbes();
    await pods(tc).create(probed('slow', { readinessProbe: exec }, { [MOCK_ANNOTATIONS.readyAfterMs]: '700' }));
    await eventually(async () => {
      const p = await getPod(tc!, 'slow');
      expect(p.status?.phase).toBe('Running');
      expect(status0(p)).toMatchObject({ ready: false, started: true });
      expect(cond(p, 'ContainersReady')).toBe('False');
      expect(cond(p, 'Ready')).toBe('False');
    }, { intervalMs: 5 });
    await eventually(async () => {
      const p = await getPod(tc!, 'slow');
      expect(status0(p)?.ready).toBe(true);
      expect(cond(p, 'ContainersReady')).toBe('True');
      expect(cond(p, 'Ready')).toBe('True');
    });
  });

  it('a failing readiness probe never restarts the container', async () => {
    tc = await clusterWithProbes();
    await pods(tc).create(probed('sick', { readinessProbe: exec }, { [MOCK_ANNOTATIONS.unhealthy]: 'true' }));
    await eventually(async () => expect((await getPod(tc!, 'sick')).status?.phase).toBe('Running'));
    await new Promise((r) => setTimeout(r, 300));
    const p = await getPod(tc, 'sick');
    expect(status0(p)).toMatchObject({ ready: false, restartCount: 0 });
    expect(p.status?.conditions?.find((c) => c.type === 'Ready')).toMatchObject({ status: 'False', reason: 'ContainersNotReady' });
  });

  it('readiness turns false again after failureThreshold failures (httpGet)', async () => {
    tc = await clusterWithProbes();
    let healthy = true;
    const port = await listen((_req, res) => {
      res.statusCode = healthy ? 204 : 503;
      res.end();
    });
    await pods(tc).create(probed('web', { readinessProbe: { ...fast, httpGet: { host: '127.0.0.1', port, path: '/ready' } } }));
    await eventually(async () => expect(status0(await getPod(tc!, 'web'))?.ready).toBe(true));
    healthy = false;
    await eventually(async () => expect(cond(await getPod(tc!, 'web'), 'Ready')).toBe('False'));
  });

  it('a tcpSocket readiness probe passes against a listening port', async () => {
    tc = await clusterWithProbes();
    const port = await listen((_req, res) => res.end());
    await pods(tc).create(probed('tcp', { readinessProbe: { ...fast, tcpSocket: { host: '127.0.0.1', port } } }));
    await eventually(async () => expect(cond(await getPod(tc!, 'tcp'), 'Ready')).toBe('True'));
  });

  it('honours initialDelaySeconds', async () => {
    tc = await clusterWithProbes();
    const port = await listen((_req, res) => res.end());
    await pods(tc).create(probed('late', { readinessProbe: { ...fast, initialDelaySeconds: 30, tcpSocket: { host: '127.0.0.1', port } } }));
    await eventually(async () => expect((await getPod(tc!, 'late')).status?.phase).toBe('Running'));
    const started = Date.now();
    await eventually(async () => expect(status0(await getPod(tc!, 'late'))?.ready).toBe(true), { intervalMs: 5 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(400);
  });
});

describe('liveness probes', () => {
  it('restart the container after failureThreshold failures (exec)', async () => {
    tc = await clusterWithProbes();
    await pods(tc).create(probed('dying', { livenessProbe: exec }, { [MOCK_ANNOTATIONS.unhealthy]: 'true' }));
    await eventually(async () => {
      const s = status0(await getPod(tc!, 'dying'));
      expect(s?.restartCount).toBeGreaterThanOrEqual(1);
      expect(s?.lastState?.terminated).toBeTruthy();
    });
  });

  it('with restartPolicy Never the killed container fails the pod', async () => {
    tc = await clusterWithProbes();
    await pods(tc).create(probed('once', { livenessProbe: exec }, { [MOCK_ANNOTATIONS.unhealthy]: 'true' }, { restartPolicy: 'Never' }));
    const p = await eventually(async () => {
      const pod = await getPod(tc!, 'once');
      expect(pod.status?.phase).toBe('Failed');
      return pod;
    });
    expect(status0(p)?.restartCount).toBe(0);
  });

  it('an httpGet probe answered 500 restarts the container; a healthy one does not', async () => {
    tc = await clusterWithProbes();
    const port = await listen((req, res) => {
      res.statusCode = req.url === '/healthz' ? 200 : 500;
      res.end();
    });
    await pods(tc).create(probed('bad', { livenessProbe: { ...fast, httpGet: { host: '127.0.0.1', port, path: '/broken' } } }));
    await pods(tc).create(probed('good', { livenessProbe: { ...fast, httpGet: { host: '127.0.0.1', port, path: '/healthz' } } }));
    await eventually(async () => expect(status0(await getPod(tc!, 'bad'))?.restartCount).toBeGreaterThanOrEqual(1));
    expect(status0(await getPod(tc, 'good'))?.restartCount).toBe(0);
  });

  it('a probe at a closed port fails the probe (restart), never the agent', async () => {
    tc = await clusterWithProbes();
    const port = await closedPort();
    await pods(tc).create(probed('closed', { livenessProbe: { ...fast, tcpSocket: { host: '127.0.0.1', port } } }));
    await pods(tc).create(probed('closed-http', { livenessProbe: { ...fast, httpGet: { host: '127.0.0.1', port } } }));
    await eventually(async () => {
      expect(status0(await getPod(tc!, 'closed'))?.restartCount).toBeGreaterThanOrEqual(1);
      expect(status0(await getPod(tc!, 'closed-http'))?.restartCount).toBeGreaterThanOrEqual(1);
    });
    await pods(tc).create(boundPod('after'));
    await eventually(async () => expect(cond(await getPod(tc!, 'after'), 'Ready')).toBe('True'));
  });
});

describe('startup probes', () => {
  it('gate liveness and readiness until they pass', async () => {
    tc = await clusterWithProbes();
    const port = await listen((_req, res) => res.end());
    await pods(tc).create(
      probed(
        'boot',
        {
          startupProbe: { ...exec, failureThreshold: 1000 },
          // Would kill the container at once if it ran before startup passed.
          livenessProbe: { ...exec, failureThreshold: 1 },
          readinessProbe: { ...fast, tcpSocket: { host: '127.0.0.1', port } },
        },
        { [MOCK_ANNOTATIONS.readyAfterMs]: '600' },
      ),
    );
    await eventually(async () => {
      const p = await getPod(tc!, 'boot');
      expect(p.status?.phase).toBe('Running');
      expect(status0(p)).toMatchObject({ started: false, ready: false });
    }, { intervalMs: 5 });
    await eventually(async () => expect(status0(await getPod(tc!, 'boot'))).toMatchObject({ started: true, ready: true }));
    expect(status0(await getPod(tc, 'boot'))?.restartCount).toBe(0);
  });

  it('restart the container when they fail failureThreshold times', async () => {
    tc = await clusterWithProbes();
    await pods(tc).create(probed('never', { startupProbe: exec }, { [MOCK_ANNOTATIONS.unhealthy]: 'true' }));
    await eventually(async () => expect(status0(await getPod(tc!, 'never'))?.restartCount).toBeGreaterThanOrEqual(1));
  });
});

describe('probe timers', () => {
  it('are cleared when the pod is deleted and when the agent stops', async () => {
    tc = await clusterWithProbes();
    const agent = nodeAgentOf(tc.cluster, 'node-1')!;
    await pods(tc).create(probed('a', { readinessProbe: exec }));
    await pods(tc).create(probed('b', { livenessProbe: exec }));
    await eventually(async () => expect(agent.probes.size).toBe(2));
    await pods(tc).delete('a', { namespace: 'default' });
    await eventually(async () => expect(agent.probes.size).toBe(1));
    await tc.stop();
    tc = undefined;
    expect(agent.probes.size).toBe(0);
  });
});
