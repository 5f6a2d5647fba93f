import { describe, expect, it } from 'vitest';
import { container, runtimeWithPod } from './fixtures.js';
import { isRuntimeError, MOCK_ANNOTATIONS as M, type LogLine } from '@skiff/sdk';
import { eventually } from '@skiff/sdk/testing';

async function collect(lines: AsyncIterable<LogLine>): Promise<LogLine[]> {
  const out: LogLine[] = [];
  for await (const line of lines) out.push(line);
  return out;
}

describe('mock runtime: annotation-driven behaviour', () => {
  it('delays start by skiff.dev/mock-start-delay-ms', async () => {
    const { runtime, sandboxId } = await runtimeWithPod();
    const id = await runtime.createContainer(sandboxId, container('slow', { [M.startDelayMs]: '150' }));
    const starting = runtime.startContainer(id);
    expect((await runtime.containerStatus(id)).state).toBe('created');
    await expect(runtime.startContainer(id)).rejects.toSatisfy((err) => isRuntimeError(err, 'SKIFF_ERR_RUNTIME_STATE'));
    await starting;
    expect((await runtime.containerStatus(id)).state).toBe('running');
  });

  it('exits after skiff.dev/mock-run-ms with skiff.dev/mock-exit-code', async () => {
    const { runtime, run } = await runtimeWithPod();
    const id = await run('job', { [M.runMs]: '50', [M.exitCode]: '2' });
    expect((await runtime.containerStatus(id)).state).toBe('running');
    const status = await eventually(async () => {
      const s = await runtime.containerStatus(id);
      expect(s.state).toBe('exited');
      return s;
    });
    expect(status).toMatchObject({ exitCode: 2, reason: 'Error' });
    expect(status.finishedAt!.getTime() - status.startedAt!.getTime()).toBe(50);
  });

  it('reads behaviour from the pod (sandbox) annotations, overridden by the container\'s', async () => {
    const { runtime, run } = await runtimeWithPod({ [M.exitCode]: '4' });
    const fromPod = await run('a');
    const own = await run('b', { [M.exitCode]: '5' });
    expect(await runtime.containerStatus(fromPod)).toMatchObject({ state: 'exited', exitCode: 4 });
    expect(await runtime.containerStatus(own)).toMatchObject({ state: 'exited', exitCode: 5 });
  });

  it('fails start with skiff.dev/mock-fail-start, leaving the container exited with StartError', async () => {
    const { runtime, sandboxId } = await runtimeWithPod();
    const id = await runtime.createContainer(sandboxId, container('broken', { [M.failStart]: 'exec format error' }));
    await expect(runtime.startContainer(id)).rejects.toSatisfy((err) => isRuntimeError(err, 'SKIFF_ERR_RUNTIME_STATE'));
    expect(await runtime.containerStatus(id)).toMatchObject({ state: 'exited', exitCode: 128, reason: 'StartError', message: 'exec format error' });
  });

  it('fails create with SKIFF_ERR_RUNTIME_IMAGE for skiff.dev/mock-image-error', async () => {
    const { runtime, sandboxId } = await runtimeWithPod();
    await expect(runtime.createContainer(sandboxId, container('x', { [M.imageError]: 'manifest unknown' }))).rejects.toSatisfy((err) =>
      isRuntimeError(err, 'SKIFF_ERR_RUNTIME_IMAGE'),
    );
    expect(await runtime.listContainers({ sandboxId })).toEqual([]);
  });

  it('rejects a malformed number with reason CreateContainerConfigError', async () => {
    const { runtime, sandboxId } = await runtimeWithPod();
    const err = await runtime.createContainer(sandboxId, container('x', { [M.runMs]: 'soon' })).catch((e: unknown) => e);
    expect(isRuntimeError(err, 'SKIFF_ERR_RUNTIME_STATE')).toBe(true);
    expect((err as { details: Record<string, unknown> }).details).toMatchObject({ reason: 'CreateContainerConfigError', annotation: M.runMs });
  });

  it('writes skiff.dev/mock-log-lines to stdout and skiff.dev/mock-stderr-lines to stderr', async () => {
    const { runtime, run } = await runtimeWithPod();
    const id = await run('printer', { [M.logLines]: 'a\nb', [M.stderrLines]: 'oops' });
    const lines = await collect(runtime.logs(id));
    expect(lines.map((l) => [l.stream, l.line])).toEqual([['stdout', 'a'], ['stdout', 'b'], ['stderr', 'oops']]);
  });

  it('honours sinceTime over ticks without storing them', async () => {
    const { runtime, run } = await runtimeWithPod();
    const id = await run('ticker', { [M.logEveryMs]: '10' });
    await new Promise((resolve) => setTimeout(resolve, 120));
    const all = await collect(runtime.logs(id));
    expect(all.length).toBeGreaterThanOrEqual(10);
    const since = all[5]!.time;
    const recent = await collect(runtime.logs(id, { sinceTime: since }));
    expect(recent[0]!.line).toBe('tick-6');
  });

  it('reports CPU from skiff.dev/mock-cpu-millicores over running time, and memory from skiff.dev/mock-memory-bytes', async () => {
    const { runtime, run } = await runtimeWithPod();
    const id = await run('busy', { [M.cpuMillicores]: '500', [M.memoryBytes]: '1048576', [M.fsBytes]: '4096' });
    // The runtime's clock is Date.now(), and a timer may fire a millisecond early by it: wait by that clock.
    const started = Date.now();
    while (Date.now() - started < 50) await new Promise((resolve) => setTimeout(resolve, 10));
    const stats = await runtime.stats(id);
    // half a core for ≥ 50 ms ≥ 25 ms of CPU (the container started before `started`)
    expect(stats.cpuUsageCoreNanoSeconds).toBeGreaterThanOrEqual(25_000_000);
    expect(stats).toMatchObject({ memoryWorkingSetBytes: 1048576, fsUsedBytes: 4096 });
    await runtime.stopContainer(id, 0);
    const frozen = (await runtime.stats(id)).cpuUsageCoreNanoSeconds;
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect((await runtime.stats(id)).cpuUsageCoreNanoSeconds).toBe(frozen);
  });

  it('fails every exec while skiff.dev/mock-unhealthy is set (an exec probe such as cat /tmp/healthy)', async () => {
    const { runtime, run } = await runtimeWithPod();
    const sick = await run('sick', { [M.unhealthy]: 'true' });
    const well = await run('well');
    expect((await runtime.exec(sick, ['cat', '/tmp/healthy'], { timeoutMs: 1000 })).exitCode).toBe(1);
    expect((await runtime.exec(well, ['cat', '/tmp/healthy'], { timeoutMs: 1000 })).exitCode).toBe(0);
  });

  it('fails exec until skiff.dev/mock-ready-after-ms passed (a readiness probe turning ready)', async () => {
    const { runtime, run } = await runtimeWithPod();
    const id = await run('warming', { [M.readyAfterMs]: '80' });
    expect((await runtime.exec(id, ['cat', '/tmp/ready'], { timeoutMs: 1000 })).exitCode).toBe(1);
    await eventually(async () => expect((await runtime.exec(id, ['cat', '/tmp/ready'], { timeoutMs: 1000 })).exitCode).toBe(0));
  });

  it('takes skiff.dev/mock-exec-delay-ms per exec, fails past timeoutMs, and ends when the container stops', async () => {
    const { runtime, run } = await runtimeWithPod();
    const id = await run('slow-exec', { [M.execDelayMs]: '100', [M.execStdout]: 'done' });
    const pending = runtime.exec(id, ['check'], { timeoutMs: 5_000 });
    let settled = false;
    void pending.then(() => (settled = true));
    await Promise.resolve();
    expect(settled).toBe(false);
    expect(await pending).toMatchObject({ exitCode: 0, stdout: 'done' });
    await expect(runtime.exec(id, ['check'], { timeoutMs: 20 })).rejects.toSatisfy((err) => isRuntimeError(err, 'SKIFF_ERR_RUNTIME_STATE') && (err as { details?: { reason?: string } }).details?.reason === 'Timeout');
    const hanging = await run('hanging', { [M.execDelayMs]: '600000' });
    const stuck = runtime.exec(hanging, ['check'], { timeoutMs: 600_000 });
    await runtime.stopContainer(hanging, 0);
    await expect(stuck).rejects.toSatisfy((err) => isRuntimeError(err, 'SKIFF_ERR_RUNTIME_STATE'));
  });

  it('takes skiff.dev/mock-stop-delay-ms to stop, and is killed when the grace period is shorter', async () => {
    const { runtime, run } = await runtimeWithPod();
    const slow = await run('slow', { [M.stopDelayMs]: '100' });
    const t0 = Date.now();
    await runtime.stopContainer(slow, 10);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(90);
    expect((await runtime.containerStatus(slow)).exitCode).toBe(143);
    const slower = await run('slower', { [M.stopDelayMs]: '60000' });
    await runtime.stopContainer(slower, 0);
    expect((await runtime.containerStatus(slower)).exitCode).toBe(137);
  });

  it('lets a container that exits on its own during the grace period keep its own exit code', async () => {
    const { runtime, run } = await runtimeWithPod();
    const id = await run('finishing', { [M.runMs]: '50', [M.exitCode]: '0', [M.ignoreSigterm]: 'true' });
    await runtime.stopContainer(id, 5);
    expect(await runtime.containerStatus(id)).toMatchObject({ state: 'exited', exitCode: 0, reason: 'Completed' });
  });

  it('stops every container at once with stopPodSandbox', async () => {
    const { runtime, sandboxId, run } = await runtimeWithPod();
    await run('a', { [M.ignoreSigterm]: 'true' });
    await run('b');
    await runtime.stopPodSandbox(sandboxId);
    const states = (await runtime.listContainers({ sandboxId })).map((c) => [c.state, c.exitCode]);
    expect(states).toEqual([['exited', 137], ['exited', 137]]);
  });

  it('ends a follower when the container is removed', async () => {
    const { runtime, run } = await runtimeWithPod();
    const id = await run('ticker', { [M.logEveryMs]: '20' });
    const following = collect(runtime.logs(id, { follow: true }));
    await new Promise((resolve) => setTimeout(resolve, 50));
    await runtime.removeContainer(id);
    expect((await following).length).toBeGreaterThan(0);
  });
});
