import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { RUNTIME_LABELS } from '@skiff/sdk';
import { eventually } from '@skiff/sdk/testing';
import { ProcessRuntime, UNKNOWN_EXIT_CODE } from '../src/index.js';
import { isAlive, type ProcessIdentity } from '../src/proc.js';
import { lines, run, sandbox, shConfig } from './fixtures.js';
import { reap, tempStateDir } from './helpers.js';

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) expect(reap(dir)).toEqual([]);
});

function stateDirForTest(): string {
  const dir = tempStateDir('skiff-process-adoption-');
  dirs.push(dir);
  return dir;
}

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

describe('process runtime: adoption', () => {
  it('a runtime in another process adopts containers whose creator exited: running ones by pid, exit codes recorded meanwhile', async () => {
    const stateDir = stateDirForTest();
    const child = spawnSync(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./fixtures/start-in-another-process.mts', import.meta.url)), stateDir], {
      cwd: repoRoot,
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(child.status, child.stderr).toBe(0);
    const { sandboxId, server, job } = JSON.parse(child.stdout.trim().split('\n').at(-1)!) as { sandboxId: string; server: string; job: string };

    const rt = new ProcessRuntime({ stateDir });
    try {
      expect((await rt.listPodSandboxes({ labels: { test: 'adoption' } })).map((s) => [s.id, s.ip, s.state])).toEqual([[sandboxId, '127.79.0.2', 'ready']]);
      // The job exits 0.5 s after it started, long after the process that started it is gone.
      const exited = await eventually(async () => {
        const s = await rt.containerStatus(job);
        expect(s.state).toBe('exited');
        return s;
      });
      expect(exited).toMatchObject({ exitCode: 7, reason: 'Error', restartCount: 2 });
      expect(await lines(rt, job)).toEqual(['finished']);
      const listed = await rt.listContainers({ labels: { [RUNTIME_LABELS.podUid]: 'other-process', [RUNTIME_LABELS.containerName]: 'server' } });
      expect(listed).toMatchObject([{ id: server, state: 'running', restartCount: 2 }]);
      // Its logs kept flowing with no runtime instance around.
      await eventually(async () => expect((await lines(rt, server)).filter((l) => l === 'tick').length).toBeGreaterThan(3));
      await rt.stopContainer(server, 10);
      expect(await rt.containerStatus(server)).toMatchObject({ state: 'exited', exitCode: 143 });
      await rt.removePodSandbox(sandboxId);
      expect(await rt.listContainers()).toEqual([]);
    } finally {
      await rt.close();
    }
  });

  it('a new instance in the same process lists, follows and stops what the first one started', async () => {
    const stateDir = stateDirForTest();
    const first = new ProcessRuntime({ stateDir });
    const { sandboxId } = await sandbox(first);
    const id = await run(first, sandboxId, shConfig('ticker', "trap 'exit 143' TERM; i=0; while true; do i=$((i+1)); echo tick-$i; sleep 0.05; done"));
    await first.close();
    const second = new ProcessRuntime({ stateDir });
    try {
      expect((await second.containerStatus(id)).state).toBe('running');
      const seen: string[] = [];
      for await (const line of second.logs(id, { follow: true })) {
        seen.push(line.line);
        if (seen.length === 3) break;
      }
      expect(seen).toEqual(['tick-1', 'tick-2', 'tick-3']);
      await second.removePodSandbox(sandboxId);
    } finally {
      await second.close();
    }
  });

  it('reports exit code 255 (Unknown) for a process that ended while no shim watched it', async () => {
    const stateDir = stateDirForTest();
    const rt = new ProcessRuntime({ stateDir });
    try {
      const { sandboxId } = await sandbox(rt);
      const id = await run(rt, sandboxId, shConfig('orphan', 'while true; do sleep 0.1; done'));
      const started = JSON.parse(readFileSync(`${stateDir}/containers/${id}/started.json`, 'utf8')) as { process: ProcessIdentity; shim: ProcessIdentity };
      // The shim dies (as in a crash), then the container's process.
      process.kill(started.shim.pid, 'SIGKILL');
      await eventually(() => expect(isAlive(started.shim)).toBe(false));
      process.kill(-started.process.pid, 'SIGKILL');
      await eventually(async () => expect(await rt.containerStatus(id)).toMatchObject({ state: 'exited', exitCode: UNKNOWN_EXIT_CODE, reason: 'Unknown' }));
      // A new shim serves the next container.
      const next = await run(rt, sandboxId, shConfig('next', 'echo again'));
      await eventually(async () => expect(await rt.containerStatus(next)).toMatchObject({ state: 'exited', exitCode: 0 }));
      await rt.removePodSandbox(sandboxId);
    } finally {
      await rt.close();
    }
  });
});
