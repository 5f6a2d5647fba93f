import * as http from 'node:http';
import type * as net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { isApiError, type Pod } from '@skiff/core';
import { MOCK_ANNOTATIONS, defineRuntime, type ExecOptions, type ExecResult } from '@skiff/sdk';
import { MockRuntime, MockWorld } from '@skiff/plugin-runtime-mock';
import { createTestCluster, eventually, type TestCluster } from '@skiff/sdk/testing';
import { nodeAgent } from '../src/index.js';
import { boundPod, getPod } from './fixtures.js';

/** One call the node agent made on the runtime (or one request a preStop hook sent). */
interface Call {
  op: 'exec-start' | 'exec-end' | 'stop' | 'http';
  id?: string;
  command?: string[];
  grace?: number;
  at: number;
}

/** A mock runtime that records `exec` and `stopContainer` calls, in order. */
class RecordingRuntime extends MockRuntime {
  constructor(
    world: MockWorld,
    private readonly calls: Call[],
  ) {
    super({ world });
  }

  override async exec(containerId: string, command: string[], options: ExecOptions): Promise<ExecResult> {
    this.calls.push({ op: 'exec-start', id: containerId, command, at: Date.now() });
    try {
      return await super.exec(containerId, command, options);
    } finally {
      this.calls.push({ op: 'exec-end', id: containerId, command, at: Date.now() });
    }
  }

  override async stopContainer(containerId: string, graceSeconds: number): Promise<void> {
    this.calls.push({ op: 'stop', id: containerId, grace: graceSeconds, at: Date.now() });
    return super.stopContainer(containerId, graceSeconds);
  }
}

let tc: TestCluster | undefined;
let calls: Call[] = [];
const servers: net.Server[] = [];
afterEach(async () => {
  await tc?.stop();
  tc = undefined;
  calls = [];
  await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
});

/** A cluster whose `mock` runtime records calls into `calls`; probe "seconds" are 20 ms. */
function cluster(): Promise<TestCluster> {
  const world = new MockWorld();
  const recording = defineRuntime({ name: 'mock', pluginName: 'RecordingMockRuntime', create: () => new RecordingRuntime(world, calls) });
  return createTestCluster({
    plugins: [recording(), nodeAgent({ nodeName: 'node-1', syncIntervalMs: 20, restartBackoff: { initialMs: 20, maxMs: 100 }, secondsScale: 20 })],
  });
}

const pods = (t: TestCluster) => t.client.resource('v1', 'Pod');

function withPreStop(name: string, preStop: NonNullable<NonNullable<Pod['spec']>['containers'][number]['lifecycle']>['preStop'], annotations: Record<string, string> = {}, extra: Partial<NonNullable<Pod['spec']>['containers'][number]> = {}): Pod {
  return boundPod(name, { annotations, spec: { containers: [{ name: 'app', image: 'busybox', lifecycle: { preStop }, ...extra }] } });
}

async function runningContainerId(t: TestCluster, name: string): Promise<string> {
  return eventually(async () => {
    const p = await getPod(t, name);
    expect(p.status?.phase).toBe('Running');
    const id = p.status?.containerStatuses?.[0]?.containerID ?? '';
    expect(id).toMatch(/^mock:\/\//);
    return id.slice('mock://'.length);
  });
}

async function expectGone(t: TestCluster, name: string, timeoutMs = 15_000): Promise<void> {
  await eventually(async () => {
    const err = await getPod(t, name).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isApiError(err) && err.status.code === 404).toBe(true);
  }, { timeoutMs });
}

const index = (op: Call['op'], id: string, command?: string) => calls.findIndex((c) => c.op === op && c.id === id && (command === undefined || c.command?.[0] === command));

async function failedPreStopEvents(t: TestCluster, podName: string) {
  const list = await t.client.resource('v1', 'Event').list({ namespace: 'default' });
  return list.items.filter((e) => e.reason === 'FailedPreStopHook' && e.involvedObject.name === podName);
}

describe('preStop hooks on graceful deletion', () => {
  it('run an exec hook to completion before the container gets SIGTERM, with the grace left', async () => {
    tc = await cluster();
    await pods(tc).create(withPreStop('drain', { exec: { command: ['drain'] } }, { [MOCK_ANNOTATIONS.execDelayMs]: '300' }));
    const id = await runningContainerId(tc, 'drain');
    await pods(tc).delete('drain', { namespace: 'default', gracePeriodSeconds: 30 });
    await expectGone(tc, 'drain');
    const start = index('exec-start', id, 'drain');
    const end = index('exec-end', id, 'drain');
    const stop = index('stop', id);
    expect(start).toBeGreaterThanOrEqual(0);
    expect(end).toBeGreaterThan(start);
    expect(stop).toBeGreaterThan(end);
    // The hook's whole seconds count against the grace period (it took 0.3 s: 30 left, unless the machine crawls).
    const hookSeconds = Math.floor((calls[end]!.at - calls[start]!.at) / 1000);
    expect(calls[stop]!.grace).toBeLessThanOrEqual(30 - hookSeconds);
    expect(calls[stop]!.grace).toBeGreaterThanOrEqual(30 - hookSeconds - 1);
    expect(await failedPreStopEvents(tc, 'drain')).toEqual([]);
  });

  it('bound a hanging hook by the grace period, then stop with the 2 s minimum grace and record FailedPreStopHook', async () => {
    tc = await cluster();
    await pods(tc).create(withPreStop('hang', { exec: { command: ['drain'] } }, { [MOCK_ANNOTATIONS.execDelayMs]: '600000' }));
    const id = await runningContainerId(tc, 'hang');
    await pods(tc).delete('hang', { namespace: 'default', gracePeriodSeconds: 1 });
    await expectGone(tc, 'hang');
    const stop = index('stop', id);
    expect(index('exec-start', id, 'drain')).toBeGreaterThanOrEqual(0);
    expect(stop).toBeGreaterThan(index('exec-start', id, 'drain'));
    expect(calls[stop]!.grace).toBe(2);
    const events = await eventually(async () => {
      const found = await failedPreStopEvents(tc!, 'hang');
      expect(found).toHaveLength(1);
      return found;
    });
    expect(events[0]).toMatchObject({ type: 'Warning', source: { component: 'kubelet', host: 'node-1' }, involvedObject: { kind: 'Pod', fieldPath: 'spec.containers{app}' } });
  });

  it('a failing hook does not block the stop; it is recorded as a FailedPreStopHook Event', async () => {
    tc = await cluster();
    await pods(tc).create(withPreStop('sick', { exec: { command: ['drain'] } }, { [MOCK_ANNOTATIONS.execExitCode]: '3', [MOCK_ANNOTATIONS.execStderr]: 'cannot drain' }));
    const id = await runningContainerId(tc, 'sick');
    await pods(tc).delete('sick', { namespace: 'default' });
    await expectGone(tc, 'sick');
    expect(index('stop', id)).toBeGreaterThan(index('exec-end', id, 'drain'));
    const events = await eventually(async () => {
      const found = await failedPreStopEvents(tc!, 'sick');
      expect(found).toHaveLength(1);
      return found;
    });
    expect(events[0]?.message).toContain('cannot drain');
  });

  it('run an httpGet hook against the pod before the stop', async () => {
    tc = await cluster();
    const server = http.createServer((req, res) => {
      calls.push({ op: 'http', command: [req.url ?? ''], at: Date.now() });
      res.end('ok');
    });
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as net.AddressInfo).port;
    await pods(tc).create(withPreStop('web', { httpGet: { host: '127.0.0.1', port, path: '/shutdown' } }));
    const id = await runningContainerId(tc, 'web');
    await pods(tc).delete('web', { namespace: 'default' });
    await expectGone(tc, 'web');
    const hit = calls.findIndex((c) => c.op === 'http' && c.command?.[0] === '/shutdown');
    expect(hit).toBeGreaterThanOrEqual(0);
    expect(index('stop', id)).toBeGreaterThan(hit);
  });
});

describe('preStop hooks on probe kills', () => {
  it('run before a container failing its liveness probe is stopped', async () => {
    tc = await cluster();
    await pods(tc).create(
      withPreStop('dying', { exec: { command: ['drain'] } }, { [MOCK_ANNOTATIONS.unhealthy]: 'true' }, {
        livenessProbe: { periodSeconds: 1, timeoutSeconds: 5, failureThreshold: 2, exec: { command: ['check'] } },
      }),
    );
    const id = await runningContainerId(tc, 'dying');
    await eventually(async () => expect((await getPod(tc!, 'dying')).status?.containerStatuses?.[0]?.restartCount).toBeGreaterThanOrEqual(1));
    const hook = index('exec-end', id, 'drain');
    expect(hook).toBeGreaterThanOrEqual(0);
    expect(index('stop', id)).toBeGreaterThan(hook);
    await eventually(async () => expect((await failedPreStopEvents(tc!, 'dying')).length).toBeGreaterThanOrEqual(1));
  });
});
