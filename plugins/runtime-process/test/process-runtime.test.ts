import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it, onTestFinished } from 'vitest';
import { runtimeErrorCode } from '@skiff/sdk';
import { eventually } from '@skiff/sdk/testing';
import { ProcessRuntime, PROCESS_RUNTIME_VERSION, type ProcessContainerStats } from '../src/index.js';
import { readStat } from '../src/proc.js';
import { installShim, shimSocketName } from '../src/shim.js';
import { requestStart } from '../src/shim-client.js';
import { lines, run, sandbox, shConfig } from './fixtures.js';
import { reap, tempStateDir } from './helpers.js';

const stateDir = tempStateDir();
const rt = new ProcessRuntime({ stateDir, logMaxBytes: 4096, logMaxFiles: 3 });

afterAll(async () => {
  for (const s of await rt.listPodSandboxes()) await rt.removePodSandbox(s.id);
  await rt.close();
  expect(reap(stateDir)).toEqual([]);
});

/** The pid written to `path`, throwing until the file holds one (for `eventually`). */
function readPid(path: string): number {
  const pid = Number(readFileSync(path, 'utf8').trim());
  if (!Number.isInteger(pid) || pid <= 1) throw new Error(`no pid in ${path} yet`);
  return pid;
}

/** True while `pid` names a live (not zombie) process. */
function alive(pid: number): boolean {
  const stat = readStat(pid);
  return stat !== undefined && stat.state !== 'Z';
}

async function codeOf(p: Promise<unknown>): Promise<string | undefined> {
  try {
    await p;
  } catch (err) {
    return runtimeErrorCode(err) ?? String(err);
  }
  return undefined;
}

describe('process runtime: stopping leaves nothing running', () => {
  it('kills a container ignoring SIGTERM and the grandchild it forked (exit 137)', async () => {
    const { sandboxId } = await sandbox(rt);
    const id = await run(rt, sandboxId, shConfig('stubborn', "trap '' TERM; sleep 1000 & echo $! > grandchild.pid; while true; do sleep 0.1; done"));
    const root = join(stateDir, 'containers', id, 'root');
    const grandchild = await eventually(() => readPid(join(root, 'grandchild.pid')));
    expect(alive(grandchild)).toBe(true);
    const t0 = Date.now();
    await rt.stopContainer(id, 1);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(900);
    expect(await rt.containerStatus(id)).toMatchObject({ state: 'exited', exitCode: 137, reason: 'Error' });
    await eventually(() => expect(alive(grandchild)).toBe(false));
  });

  it('kills what a container forked when its main process exits on SIGTERM (exit 143)', async () => {
    const { sandboxId } = await sandbox(rt);
    const script = [
      "const { spawn } = require('node:child_process');",
      "const child = spawn('sh', ['-c', \"trap '' TERM; while true; do sleep 0.1; done\"], { stdio: 'ignore' });",
      "require('node:fs').writeFileSync('grandchild.pid', String(child.pid));",
      "process.on('SIGTERM', () => process.exit(143));",
      'setInterval(() => {}, 1000);',
    ].join('\n');
    const id = await run(rt, sandboxId, { ...shConfig('forker', ''), command: [process.execPath, '-e', script] });
    const root = join(stateDir, 'containers', id, 'root');
    const grandchild = await eventually(() => readPid(join(root, 'grandchild.pid')));
    expect(alive(grandchild)).toBe(true);
    await rt.stopContainer(id, 10);
    expect(await rt.containerStatus(id)).toMatchObject({ state: 'exited', exitCode: 143 });
    await eventually(() => expect(alive(grandchild)).toBe(false));
  });

  it('kills background processes left behind by a main process that exits on its own', async () => {
    const { sandboxId } = await sandbox(rt);
    const id = await run(rt, sandboxId, shConfig('leaver', 'sleep 1000 & echo $! > grandchild.pid; exit 0'));
    await eventually(async () => expect((await rt.containerStatus(id)).state).toBe('exited'));
    const grandchild = readPid(join(stateDir, 'containers', id, 'root', 'grandchild.pid'));
    await eventually(() => expect(alive(grandchild)).toBe(false));
    expect((await rt.containerStatus(id)).exitCode).toBe(0);
  });

  it('removePodSandbox kills every container and its forks, and removes their files', async () => {
    const { sandboxId } = await sandbox(rt);
    const a = await run(rt, sandboxId, shConfig('a', "trap '' TERM; sleep 1000 & echo $! > grandchild.pid; while true; do sleep 0.1; done"));
    const b = await run(rt, sandboxId, shConfig('b', 'while true; do sleep 0.1; done'));
    const grandchild = await eventually(() => readPid(join(stateDir, 'containers', a, 'root', 'grandchild.pid')));
    const pids = [a, b].map((id) => (JSON.parse(readFileSync(join(stateDir, 'containers', id, 'started.json'), 'utf8')) as { process: { pid: number } }).process.pid);
    await rt.removePodSandbox(sandboxId);
    for (const pid of [...pids, grandchild]) await eventually(() => expect(alive(pid)).toBe(false));
    expect(existsSync(join(stateDir, 'containers', a))).toBe(false);
    expect(existsSync(join(stateDir, 'sandboxes', sandboxId))).toBe(false);
  });

  it('stopPodSandbox kills the containers at once and marks the sandbox notready', async () => {
    const { sandboxId } = await sandbox(rt);
    const id = await run(rt, sandboxId, shConfig('c', "trap '' TERM; while true; do sleep 0.1; done"));
    const t0 = Date.now();
    await rt.stopPodSandbox(sandboxId);
    expect(Date.now() - t0).toBeLessThan(5_000);
    expect(await rt.containerStatus(id)).toMatchObject({ state: 'exited', exitCode: 137 });
    expect((await rt.listPodSandboxes()).find((s) => s.id === sandboxId)?.state).toBe('notready');
  });
});

describe('process runtime: logs', () => {
  it('bounds a chatty container log by rotation and still returns the newest lines in order', async () => {
    const { sandboxId } = await sandbox(rt);
    const id = await run(rt, sandboxId, shConfig('chatty', 'i=0; while [ $i -lt 1000 ]; do i=$((i+1)); echo "line-$i padding padding padding"; done; echo done; sleep 1000'));
    await eventually(async () => expect((await lines(rt, id)).at(-1)).toBe('done'), { timeoutMs: 20_000 });
    const dir = join(stateDir, 'containers', id);
    const files = readdirSync(dir).filter((f) => f.startsWith('container.log'));
    expect(files.length).toBeLessThanOrEqual(3);
    const total = files.reduce((sum, f) => sum + statSync(join(dir, f)).size, 0);
    expect(total).toBeLessThanOrEqual(3 * 4096);
    const kept = await lines(rt, id);
    expect(kept[0]).not.toBe('line-1 padding padding padding');
    const numbers = kept.slice(0, -1).map((l) => Number(/^line-(\d+)/.exec(l)?.[1]));
    expect(numbers.at(-1)).toBe(1000);
    numbers.forEach((n, i) => i > 0 && expect(n).toBe(numbers[i - 1]! + 1));
    const raw = readFileSync(join(dir, 'container.log'), 'utf8').split('\n')[0]!;
    expect(raw).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z stdout F /);
  });

  it('follows a log across rotations without losing or repeating lines', async () => {
    const { sandboxId } = await sandbox(rt);
    const id = await run(rt, sandboxId, shConfig('steady', 'i=0; while [ $i -lt 150 ]; do i=$((i+1)); echo "n-$i padding padding padding padding"; sleep 0.01; done'));
    const seen: number[] = [];
    for await (const line of rt.logs(id, { follow: true })) seen.push(Number(/^n-(\d+)/.exec(line.line)?.[1]));
    expect(seen).toEqual(Array.from({ length: 150 }, (_, i) => i + 1));
    expect(existsSync(join(stateDir, 'containers', id, 'container.log.1'))).toBe(true);
  });

  it('keeps stderr apart, joins lines longer than the partial size, and links logPath', async () => {
    const { sandboxId } = await sandbox(rt);
    const logPath = join(stateDir, 'agent-logs', 'long.log');
    const id = await run(rt, sandboxId, shConfig('long', "echo out; echo err >&2; printf '%03000d\\n' 7; sleep 1000", { logPath }));
    const all = await eventually(async () => {
      const got: { stream: string; line: string }[] = [];
      for await (const l of rt.logs(id)) got.push({ stream: l.stream, line: l.line });
      expect(got).toHaveLength(3);
      return got;
    });
    // Order holds within a stream; the two pipes are read as their data comes.
    expect(all.filter((l) => l.stream === 'stdout').map((l) => l.line)).toEqual(['out', `${'0'.repeat(2999)}7`]);
    expect(all.filter((l) => l.stream === 'stderr').map((l) => l.line)).toEqual(['err']);
    // 4096-byte files split lines longer than 1024 bytes into P pieces.
    expect(readFileSync(join(stateDir, 'containers', id, 'container.log'), 'utf8')).toMatch(/ stdout P 0+\n/);
    expect(readFileSync(logPath, 'utf8')).toContain(' stdout F out');
    await rt.removeContainer(id);
    expect(existsSync(logPath)).toBe(false);
  });
});

describe('process runtime: what a container sees', () => {
  it('runs command + args with the pod address, hostname, home and its env (nothing else of the agent)', async () => {
    const { sandboxId, ip } = await sandbox(rt);
    process.env['SKIFF_TEST_SECRET'] = 'leak';
    const id = await run(rt, sandboxId, {
      ...shConfig('env', ''),
      command: ['sh', '-c'],
      args: ['echo "$SKIFF_POD_IP|$HOSTNAME|$HOME|$MY_VAR|${SKIFF_TEST_SECRET:-none}|$(pwd)|$0"', 'zero'],
      env: [{ name: 'MY_VAR', value: 'mine' }, { name: 'HOSTNAME', value: 'overridden' }],
    });
    delete process.env['SKIFF_TEST_SECRET'];
    const root = join(stateDir, 'containers', id, 'root');
    await eventually(async () => expect(await lines(rt, id)).toEqual([`${ip}|overridden|${root}|mine|none|${root}|zero`]));
  });

  it('honours workingDir and shows mounts as symlinks under the container root', async () => {
    const { sandboxId } = await sandbox(rt);
    const host = tempStateDir('skiff-process-mount-');
    onTestFinished(() => void reap(host));
    writeFileSync(join(host, 'hello.txt'), 'from the host');
    const id = await run(rt, sandboxId, shConfig('mounts', 'cat data/hello.txt; echo; cat "$SKIFF_CONTAINER_ROOT/etc/conf/hello.txt"; echo; cd /tmp && pwd', {
      mounts: [{ containerPath: '/data', hostPath: host }, { containerPath: 'etc/conf', hostPath: host, readOnly: true }],
    }));
    await eventually(async () => expect(await lines(rt, id)).toEqual(['from the host', 'from the host', '/tmp']));
    const wd = await run(rt, sandboxId, shConfig('wd', 'pwd', { workingDir: host }));
    await eventually(async () => expect(await lines(rt, wd)).toEqual([host]));
  });

  it('needs a command unless the image has no entrypoint; a missing program is a StartError', async () => {
    const { sandboxId } = await sandbox(rt);
    const noCommand = { ...shConfig('x', ''), command: undefined } as ReturnType<typeof shConfig>;
    expect(await codeOf(rt.createContainer(sandboxId, { ...noCommand, image: 'nginx:1.27' }))).toBe('SKIFF_ERR_RUNTIME_IMAGE');
    expect(await codeOf(rt.createContainer(sandboxId, { ...noCommand, image: 'nginx:1.27', args: ['sh', '-c', 'true'] }))).toBe('SKIFF_ERR_RUNTIME_IMAGE');
    expect(await codeOf(rt.createContainer(sandboxId, { ...noCommand, image: 'busybox:1.36' }))).toBe('SKIFF_ERR_RUNTIME_IMAGE');
    const argsOnly = await run(rt, sandboxId, { ...noCommand, image: 'docker.io/library/busybox:1.36', args: ['sh', '-c', 'echo from-args'] });
    await eventually(async () => expect(await lines(rt, argsOnly)).toEqual(['from-args']));

    const missing = await rt.createContainer(sandboxId, { ...shConfig('missing', ''), command: ['no-such-program-xyz'] });
    expect(await codeOf(rt.startContainer(missing))).toBe('SKIFF_ERR_RUNTIME_STATE');
    const status = await rt.containerStatus(missing);
    expect(status).toMatchObject({ state: 'exited', exitCode: 128, reason: 'StartError' });
    expect(status.message).toContain('no-such-program-xyz');
    const badDir = await rt.createContainer(sandboxId, shConfig('bad-dir', 'true', { workingDir: '/no/such/dir' }));
    expect(await codeOf(rt.startContainer(badDir))).toBe('SKIFF_ERR_RUNTIME_STATE');
    expect((await rt.containerStatus(badDir)).reason).toBe('StartError');
  });

  it('exec runs in the container env and cwd, and a timeout kills it with reason Timeout', async () => {
    const { sandboxId, ip } = await sandbox(rt);
    const id = await run(rt, sandboxId, shConfig('main', 'while true; do sleep 0.1; done', { env: [{ name: 'X', value: 'y' }] }));
    const r = await rt.exec(id, ['sh', '-c', 'echo $X $SKIFF_POD_IP $(pwd); echo oops >&2; exit 2'], { timeoutMs: 10_000 });
    expect(r).toEqual({ exitCode: 2, stdout: `y ${ip} ${join(stateDir, 'containers', id, 'root')}\n`, stderr: 'oops\n' });
    expect((await rt.exec(id, ['no-such-program-xyz'], { timeoutMs: 10_000 })).exitCode).toBe(127);
    const t0 = Date.now();
    let error: unknown;
    try {
      await rt.exec(id, ['sh', '-c', 'echo $$ > exec.pid; sleep 30'], { timeoutMs: 1000 });
    } catch (err) {
      error = err;
    }
    expect(Date.now() - t0).toBeLessThan(5_000);
    expect(runtimeErrorCode(error)).toBe('SKIFF_ERR_RUNTIME_STATE');
    expect((error as { details?: { reason?: string } }).details?.reason).toBe('Timeout');
    const pidFile = join(stateDir, 'containers', id, 'root', 'exec.pid');
    // (Unless the machine was too slow to even start it within the timeout.)
    if (existsSync(pidFile)) {
      const pid = readPid(pidFile);
      await eventually(() => expect(alive(pid)).toBe(false));
    }
  });
});

describe('process runtime: processes that leave the process group', () => {
  it('are found as descendants when the container is stopped, even once orphaned', async () => {
    const { sandboxId } = await sandbox(rt);
    // A background child that makes its own session (setsid(1) execs in place: a background job leads no group).
    const script = "setsid sh -c 'trap \"\" TERM; echo $$ > escaped.pid; while true; do sleep 0.1; done' & while [ ! -s escaped.pid ]; do sleep 0.05; done; while true; do sleep 0.1; done";
    const id = await run(rt, sandboxId, shConfig('escaper', script));
    const root = join(stateDir, 'containers', id, 'root');
    const escaped = await eventually(() => readPid(join(root, 'escaped.pid')));
    expect(readStat(escaped)?.pgrp).toBe(escaped);
    await rt.stopContainer(id, 1);
    expect(await rt.containerStatus(id)).toMatchObject({ state: 'exited', exitCode: 143 });
    await eventually(() => expect(alive(escaped)).toBe(false));
  });
});

describe('process runtime: the shim', () => {
  it('starts only containers of its own state directory', async () => {
    const shimPath = installShim(rt.stateDir);
    const address = { stateDir: rt.stateDir, shimPath, socketName: shimSocketName(rt.stateDir, shimPath), idleMs: 60_000 };
    const outsider = tempStateDir('skiff-process-outsider-');
    onTestFinished(() => void reap(outsider));
    writeFileSync(join(outsider, 'container.json'), JSON.stringify({ argv: ['sh', '-c', 'touch pwned'], env: {}, cwd: outsider }));
    for (const dir of [outsider, `${rt.stateDir}/containers/../../${outsider}`, `${rt.stateDir}/sandboxes/0123456789abcdef`]) {
      await expect(requestStart(address, { op: 'start', dir, logMaxBytes: 4096, logMaxFiles: 2 }, 10_000)).rejects.toThrow(/is not a container of/);
    }
    expect(existsSync(join(outsider, 'pwned'))).toBe(false);
  });
});

describe('process runtime: stats and version', () => {
  it('reports CPU, memory, open files and disk use from /proc', async () => {
    const { sandboxId } = await sandbox(rt);
    const id = await run(rt, sandboxId, shConfig('busy', 'head -c 200000 /dev/zero > blob; while :; do :; done'));
    const stats = await eventually(async () => {
      const s = (await rt.stats(id)) as ProcessContainerStats;
      expect(s.cpuUsageCoreNanoSeconds).toBeGreaterThan(0);
      expect(s.fsUsedBytes).toBeGreaterThanOrEqual(200_000);
      return s;
    });
    expect(stats.memoryWorkingSetBytes).toBeGreaterThan(0);
    expect(stats.openFiles).toBeGreaterThan(0);
    expect(stats.processes).toBeGreaterThanOrEqual(1);
    await rt.stopContainer(id, 0);
    // Once exited: the last usage read, and no processes.
    const after = (await rt.stats(id)) as ProcessContainerStats;
    expect(after.cpuUsageCoreNanoSeconds).toBeGreaterThanOrEqual(stats.cpuUsageCoreNanoSeconds);
    expect(after).toMatchObject({ processes: 0, openFiles: 0 });
  });

  it('is skiff-process at the package version', async () => {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
    expect(PROCESS_RUNTIME_VERSION).toBe(pkg.version);
    expect(await rt.version()).toEqual({ runtimeName: 'skiff-process', runtimeVersion: pkg.version });
  });
});
