import { randomInt, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createCluster } from '@skiff/core';
import { RUNTIME_LABELS, RUNTIME_REGISTRY, runtimeErrorCode, type ContainerConfig, type ContainerEvent, type LogLine, type PodSandboxConfig, type RuntimeFactory } from '@skiff/sdk';
import { eventually } from '@skiff/sdk/testing';
import { DEFAULT_SANDBOX_IMAGE, DockerRuntime, dockerRuntime, probeDockerEngine } from '../src/index.js';
import { TEST_IMAGE, describeEngine, engineClient, host, runtimeOptions, testNode } from './engine.js';

const nodeName = testNode('docker-runtime');
const otherNode = testNode('docker-other');
const runtimes: DockerRuntime[] = [];
const tempDirs: string[] = [];

afterAll(async () => {
  for (const rt of runtimes) await rt.close();
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});

function runtime(node = nodeName): DockerRuntime {
  const rt = new DockerRuntime(runtimeOptions(node));
  runtimes.push(rt);
  return rt;
}

/** A random pod address in 127.0.0.0/8, away from 127.0.0.1 and the conformance suite's 127.77/16. */
function podIp(): string {
  return `127.${randomInt(100, 200)}.${randomInt(0, 256)}.${randomInt(2, 255)}`;
}

function sandboxConfig(overrides: Partial<PodSandboxConfig> = {}): PodSandboxConfig {
  const uid = randomUUID();
  return { podUid: uid, namespace: 'default', name: `pod-${uid.slice(0, 8)}`, ip: podIp(), hostname: 'web', labels: { app: 'web' }, annotations: { note: 'hi' }, ...overrides };
}

function containerConfig(pod: PodSandboxConfig, name: string, overrides: Partial<ContainerConfig> = {}): ContainerConfig {
  return {
    name,
    image: TEST_IMAGE,
    command: ['sh', '-c', "trap 'exit 143' TERM; while true; do sleep 0.1; done"],
    env: [],
    labels: { [RUNTIME_LABELS.podUid]: pod.podUid, [RUNTIME_LABELS.podNamespace]: pod.namespace, [RUNTIME_LABELS.podName]: pod.name, [RUNTIME_LABELS.containerName]: name, [RUNTIME_LABELS.restartCount]: '0' },
    annotations: {},
    ...overrides,
  };
}

async function rejection(p: Promise<unknown>): Promise<{ code: string | undefined; message: string; details: Record<string, unknown> }> {
  try {
    await p;
  } catch (err) {
    return { code: runtimeErrorCode(err), message: (err as Error).message, details: ((err as { details?: Record<string, unknown> }).details ?? {}) };
  }
  throw new Error('expected the call to fail');
}

async function readLogs(rt: DockerRuntime, id: string): Promise<string[]> {
  const out: LogLine[] = [];
  for await (const line of rt.logs(id)) out.push(line);
  return out.map((l) => l.line);
}

describeEngine('DockerRuntime on a real engine', () => {
  it('publishes the pod\'s ports on its 127.x address: an httpd in the pod answers there', async () => {
    const rt = runtime();
    const pod = sandboxConfig({ ports: [{ containerPort: 8080 }] });
    const { sandboxId } = await rt.runPodSandbox(pod);
    const [sandbox] = await rt.listPodSandboxes({ labels: { [RUNTIME_LABELS.podUid]: pod.podUid } });
    expect(sandbox).toMatchObject({ id: sandboxId, ip: pod.ip, hostname: 'web', state: 'ready', annotations: { note: 'hi' } });
    expect(sandbox!.labels['app']).toBe('web');
    const inspect = await engineClient().getContainer(sandboxId).inspect();
    expect(inspect.HostConfig.PortBindings).toEqual({ '8080/tcp': [{ HostIp: pod.ip, HostPort: '8080' }] });
    const id = await rt.createContainer(sandboxId, containerConfig(pod, 'web', { command: ['sh', '-c', 'mkdir -p /www && echo hello-from-skiff > /www/index.html && exec httpd -f -p 8080 -h /www'] }));
    await rt.startContainer(id);
    const body = await eventually(async () => {
      const res = await fetch(`http://${pod.ip}:8080/`, { signal: AbortSignal.timeout(2000) });
      expect(res.status).toBe(200);
      return res.text();
    }, { timeoutMs: 15_000, intervalMs: 100 });
    expect(body.trim()).toBe('hello-from-skiff');
    await rt.removePodSandbox(sandboxId);
  });

  it('lets the containers of a pod share localhost', async () => {
    const rt = runtime();
    const pod = sandboxConfig();
    const { sandboxId } = await rt.runPodSandbox(pod);
    const server = await rt.createContainer(sandboxId, containerConfig(pod, 'server', { command: ['sh', '-c', 'mkdir -p /www && echo shared-localhost > /www/index.html && exec httpd -f -p 127.0.0.1:9000 -h /www'] }));
    const client = await rt.createContainer(sandboxId, containerConfig(pod, 'client'));
    await rt.startContainer(server);
    await rt.startContainer(client);
    const result = await eventually(async () => {
      const r = await rt.exec(client, ['wget', '-qO-', 'http://127.0.0.1:9000/'], { timeoutMs: 5000 });
      expect(r.exitCode).toBe(0);
      return r;
    }, { timeoutMs: 15_000, intervalMs: 100 });
    expect(result.stdout.trim()).toBe('shared-localhost');
    await rt.removePodSandbox(sandboxId);
  });

  it('follows the image pull policy; pulls fail offline with ErrImagePull', async () => {
    const rt = runtime();
    const pod = sandboxConfig();
    const { sandboxId } = await rt.runPodSandbox(pod);
    const missing = 'skiff-test/definitely-missing:v1';
    const never = await rejection(rt.createContainer(sandboxId, containerConfig(pod, 'a', { image: missing, imagePullPolicy: 'Never' })));
    expect(never).toMatchObject({ code: 'SKIFF_ERR_RUNTIME_IMAGE', message: `Container image "${missing}" is not present with pull policy of Never`, details: { image: missing, reason: 'ErrImageNeverPull' } });
    const ifNotPresent = await rejection(rt.createContainer(sandboxId, containerConfig(pod, 'b', { image: missing, imagePullPolicy: 'IfNotPresent' })));
    expect(ifNotPresent).toMatchObject({ code: 'SKIFF_ERR_RUNTIME_IMAGE', details: { image: missing, reason: 'ErrImagePull' } });
    expect(ifNotPresent.message).toContain(missing);
    const byDefault = await rejection(rt.createContainer(sandboxId, containerConfig(pod, 'c', { image: missing })));
    expect(byDefault.details['reason']).toBe('ErrImagePull');
    const always = await rejection(rt.createContainer(sandboxId, containerConfig(pod, 'd', { image: TEST_IMAGE, imagePullPolicy: 'Always' })));
    expect(always).toMatchObject({ code: 'SKIFF_ERR_RUNTIME_IMAGE', details: { image: TEST_IMAGE, reason: 'ErrImagePull' } });
    expect(always.message).toContain(TEST_IMAGE);
    const invalid = await rejection(rt.createContainer(sandboxId, containerConfig(pod, 'e', { image: 'Not A Valid Image' })));
    expect(invalid).toMatchObject({ code: 'SKIFF_ERR_RUNTIME_IMAGE', details: { reason: 'InvalidImageName' } });
    // Present and IfNotPresent/Never: no pull.
    await rt.createContainer(sandboxId, containerConfig(pod, 'f', { image: 'busybox', imagePullPolicy: 'Never' }));
    expect(await rt.listContainers({ sandboxId })).toHaveLength(1);
    await rt.removePodSandbox(sandboxId);
  });

  it('fails a sandbox whose image is missing, naming the sandboxImage option', async () => {
    const rt = new DockerRuntime({ ...runtimeOptions(nodeName), sandboxImage: 'skiff-test/no-pause:1' });
    runtimes.push(rt);
    const failure = await rejection(rt.runPodSandbox(sandboxConfig()));
    expect(failure.code).toBe('SKIFF_ERR_RUNTIME_IMAGE');
    expect(failure.message).toContain('skiff-test/no-pause:1');
    expect(failure.message).toContain('sandboxImage');
  });

  it('mounts host paths, enforcing readOnly', async () => {
    const rt = runtime();
    const dir = mkdtempSync(join(tmpdir(), 'skiff-docker-mount-'));
    tempDirs.push(dir);
    writeFileSync(join(dir, 'greeting.txt'), 'hello from the host\n');
    const pod = sandboxConfig();
    const { sandboxId } = await rt.runPodSandbox(pod);
    const ro = await rt.createContainer(sandboxId, containerConfig(pod, 'ro', { mounts: [{ hostPath: dir, containerPath: '/data', readOnly: true }] }));
    const rw = await rt.createContainer(sandboxId, containerConfig(pod, 'rw', { mounts: [{ hostPath: dir, containerPath: '/data' }] }));
    await rt.startContainer(ro);
    await rt.startContainer(rw);
    expect(await rt.exec(ro, ['cat', '/data/greeting.txt'], { timeoutMs: 5000 })).toMatchObject({ exitCode: 0, stdout: 'hello from the host\n' });
    const write = await rt.exec(ro, ['sh', '-c', 'echo nope > /data/new.txt'], { timeoutMs: 5000 });
    expect(write.exitCode).not.toBe(0);
    expect(write.stderr).toMatch(/read-only/i);
    expect(await rt.exec(rw, ['sh', '-c', 'echo yes > /data/rw.txt'], { timeoutMs: 5000 })).toMatchObject({ exitCode: 0 });
    await rt.removePodSandbox(sandboxId);
  });

  it('passes resource limits, env and workingDir to the engine', async () => {
    const rt = runtime();
    const pod = sandboxConfig();
    const { sandboxId } = await rt.runPodSandbox(pod);
    const id = await rt.createContainer(sandboxId, containerConfig(pod, 'limited', {
      resources: { cpuLimitMillicores: 500, memoryLimitBytes: 64 * 1024 * 1024 },
      env: [{ name: 'GREETING', value: 'hi there' }],
      workingDir: '/tmp',
    }));
    const inspect = await engineClient().getContainer(id).inspect();
    expect(inspect.HostConfig.NanoCpus).toBe(500_000_000);
    expect(inspect.HostConfig.Memory).toBe(64 * 1024 * 1024);
    expect(inspect.HostConfig.NetworkMode).toBe(`container:${sandboxId}`);
    expect(inspect.Config.Env).toContain('GREETING=hi there');
    expect(inspect.Config.WorkingDir).toBe('/tmp');
    expect(inspect.Name).toBe(`/k8s_limited_${pod.name}_default_${pod.podUid}_0`);
    await rt.startContainer(id);
    expect(await rt.exec(id, ['sh', '-c', 'echo "$GREETING in $(pwd)"'], { timeoutMs: 5000 })).toMatchObject({ exitCode: 0, stdout: 'hi there in /tmp\n' });
    await rt.removePodSandbox(sandboxId);
  });

  it('does not run the image CMD when only command is given; args replace it', async () => {
    const rt = runtime();
    const pod = sandboxConfig();
    const { sandboxId } = await rt.runPodSandbox(pod);
    const onlyCommand = await rt.createContainer(sandboxId, containerConfig(pod, 'only-command', { command: ['echo', 'from-command'] }));
    const withArgs = await rt.createContainer(sandboxId, containerConfig(pod, 'with-args', { command: ['echo'], args: ['from', 'args'] }));
    const onlyArgs = await rt.createContainer(sandboxId, containerConfig(pod, 'only-args', { command: undefined, args: ['echo', 'args-only'] }));
    for (const id of [onlyCommand, withArgs, onlyArgs]) await rt.startContainer(id);
    for (const id of [onlyCommand, withArgs, onlyArgs]) await eventually(async () => expect((await rt.containerStatus(id)).state).toBe('exited'), { timeoutMs: 15_000 });
    expect(await readLogs(rt, onlyCommand)).toEqual(['from-command']);
    expect(await readLogs(rt, withArgs)).toEqual(['from args']);
    expect(await readLogs(rt, onlyArgs)).toEqual(['args-only']);
    expect(await rt.containerStatus(onlyCommand)).toMatchObject({ state: 'exited', exitCode: 0, reason: 'Completed', image: TEST_IMAGE });
    await rt.removePodSandbox(sandboxId);
  });

  it('reports a start that failed as StartError, with a stopped event', async () => {
    const rt = runtime();
    const pod = sandboxConfig();
    const { sandboxId } = await rt.runPodSandbox(pod);
    const events: ContainerEvent[] = [];
    const unsubscribe = rt.subscribeContainerEvents((e) => {
      if (e.sandboxId === sandboxId) events.push(e);
    });
    const id = await rt.createContainer(sandboxId, containerConfig(pod, 'broken', { command: ['/no/such/binary'] }));
    const failure = await rejection(rt.startContainer(id));
    expect(failure.code).toBe('SKIFF_ERR_RUNTIME_STATE');
    const status = await rt.containerStatus(id);
    expect(status).toMatchObject({ state: 'exited', reason: 'StartError' });
    expect(status.exitCode).toBeGreaterThanOrEqual(126);
    expect(status.message).toMatch(/no such file/i);
    await eventually(() => expect(events.filter((e) => e.containerId === id).map((e) => e.type)).toEqual(['created', 'stopped']));
    unsubscribe();
    await rt.removePodSandbox(sandboxId);
  });

  it('lets a second instance of the node adopt its containers; another node sees none', async () => {
    const first = runtime();
    const pod = sandboxConfig();
    const { sandboxId } = await first.runPodSandbox(pod);
    const id = await first.createContainer(sandboxId, containerConfig(pod, 'app'));
    await first.startContainer(id);
    await first.close();
    const second = runtime();
    expect((await second.listPodSandboxes({ labels: { [RUNTIME_LABELS.podUid]: pod.podUid } })).map((s) => s.id)).toEqual([sandboxId]);
    expect((await second.listContainers({ sandboxId })).map((c) => [c.id, c.state, c.name])).toEqual([[id, 'running', 'app']]);
    const stranger = runtime(otherNode);
    expect(await stranger.listPodSandboxes()).toEqual([]);
    expect(await stranger.listContainers()).toEqual([]);
    expect((await rejection(stranger.containerStatus(id))).code).toBe('SKIFF_ERR_RUNTIME_NOT_FOUND');
    await stranger.removePodSandbox(sandboxId); // not its sandbox: a no-op
    expect((await second.containerStatus(id)).state).toBe('running');
    const stats = await second.stats(id);
    expect(stats.cpuUsageCoreNanoSeconds).toBeGreaterThan(0);
    expect(stats.memoryWorkingSetBytes).toBeGreaterThan(0);
    await second.stopContainer(id, 10);
    // Once exited, the last known usage is reported.
    expect(await second.stats(id)).toMatchObject({ cpuUsageCoreNanoSeconds: stats.cpuUsageCoreNanoSeconds, memoryWorkingSetBytes: stats.memoryWorkingSetBytes });
    await second.removePodSandbox(sandboxId);
    expect(await second.listContainers({ sandboxId })).toEqual([]);
  });

  it('times out an exec with details.reason Timeout', async () => {
    const rt = runtime();
    const pod = sandboxConfig();
    const { sandboxId } = await rt.runPodSandbox(pod);
    const id = await rt.createContainer(sandboxId, containerConfig(pod, 'slow'));
    await rt.startContainer(id);
    const t0 = Date.now();
    const failure = await rejection(rt.exec(id, ['sleep', '30'], { timeoutMs: 500 }));
    expect(Date.now() - t0).toBeLessThan(5000);
    expect(failure).toMatchObject({ code: 'SKIFF_ERR_RUNTIME_STATE', details: { reason: 'Timeout' } });
    await rt.removePodSandbox(sandboxId);
  });
});

describe('an unreachable engine', () => {
  it('fails calls with SKIFF_ERR_RUNTIME_UNAVAILABLE naming the host, and the probe says why', async () => {
    const rt = new DockerRuntime({ host: 'unix:///nonexistent.sock', nodeName });
    const version = await rejection(rt.version());
    expect(version.code).toBe('SKIFF_ERR_RUNTIME_UNAVAILABLE');
    expect(version.message).toContain('unix:///nonexistent.sock');
    expect((await rejection(rt.listContainers())).code).toBe('SKIFF_ERR_RUNTIME_UNAVAILABLE');
    expect((await rejection(rt.runPodSandbox(sandboxConfig()))).code).toBe('SKIFF_ERR_RUNTIME_UNAVAILABLE');
    const probe = await probeDockerEngine({ host: 'unix:///nonexistent.sock' });
    expect(probe.ok).toBe(false);
    expect(probe.ok ? '' : probe.reason).toContain('unix:///nonexistent.sock');
    await rt.close();
    await rt.close();
    expect((await rejection(rt.listContainers())).code).toBe('SKIFF_ERR_RUNTIME_UNAVAILABLE');
  });
});

describe('dockerRuntime plugin', () => {
  it('registers "docker" in the runtime registry with defaulted options', async () => {
    const cluster = await createCluster({ plugins: [dockerRuntime(host ? { host } : {})] });
    const registry = cluster.registry<RuntimeFactory>(RUNTIME_REGISTRY);
    expect(registry.names()).toEqual(['docker']);
    const rt = (await registry.get('docker')({ nodeName: 'plugin-node' })) as DockerRuntime;
    expect(rt).toBeInstanceOf(DockerRuntime);
    expect(rt.nodeName).toBe('plugin-node');
    expect(rt.sandboxImage).toBe(DEFAULT_SANDBOX_IMAGE);
    expect(rt.network).toBe('bridge');
    await rt.close();
  });

  it('validates its options', async () => {
    await expect(createCluster({ plugins: [dockerRuntime({ host: 'ftp://nope' })] })).rejects.toMatchObject({ code: 'SKIFF_ERR_PLUGIN_OPTIONS' });
    await expect(createCluster({ plugins: [dockerRuntime({ sandboxCommand: [] })] })).rejects.toMatchObject({ code: 'SKIFF_ERR_PLUGIN_OPTIONS' });
    await expect(createCluster({ plugins: [dockerRuntime({ network: '' })] })).rejects.toMatchObject({ code: 'SKIFF_ERR_PLUGIN_OPTIONS' });
  });
});
