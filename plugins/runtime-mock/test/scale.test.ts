import { describe, expect, it } from 'vitest';
import { MockRuntime } from '../src/index.js';
import { container } from './fixtures.js';
import { MOCK_ANNOTATIONS as M, RUNTIME_LABELS } from '@skiff/sdk';

describe('mock runtime at scale', () => {
  it('runs 10,000 containers across 1,000 sandboxes, then stops and removes them', async () => {
    const rt = new MockRuntime();
    const sandboxes: string[] = [];
    for (let p = 0; p < 1000; p++) {
      const { sandboxId } = await rt.runPodSandbox({
        podUid: `uid-${p}`,
        namespace: 'scale',
        name: `pod-${p}`,
        ip: `127.90.${p >> 8}.${p & 255}`,
        hostname: `pod-${p}`,
        labels: { app: 'scale' },
        // every tenth pod runs a job that finishes at once
        annotations: p % 10 === 0 ? { [M.exitCode]: '0' } : { [M.cpuMillicores]: '10' },
      });
      sandboxes.push(sandboxId);
      for (let c = 0; c < 10; c++) {
        const id = await rt.createContainer(sandboxId, container(`c${c}`, {}, `uid-${p}`));
        await rt.startContainer(id);
      }
    }
    expect(await rt.listPodSandboxes({ labels: { app: 'scale' } })).toHaveLength(1000);
    expect(await rt.listContainers()).toHaveLength(10_000);
    expect(await rt.listContainers({ state: 'running' })).toHaveLength(9_000);
    expect(await rt.listContainers({ state: 'exited' })).toHaveLength(1_000);
    expect(await rt.listContainers({ labels: { [RUNTIME_LABELS.podUid]: 'uid-7' } })).toHaveLength(10);
    expect(await rt.listContainers({ sandboxId: sandboxes[3]! })).toHaveLength(10);

    await Promise.all(sandboxes.slice(0, 500).map((id) => rt.stopPodSandbox(id)));
    expect(await rt.listContainers({ state: 'running' })).toHaveLength(4_500);
    expect(await rt.listPodSandboxes({ state: 'notready' })).toHaveLength(500);

    await Promise.all(sandboxes.map((id) => rt.removePodSandbox(id)));
    expect(await rt.listContainers()).toEqual([]);
    expect(await rt.listPodSandboxes()).toEqual([]);
    expect(rt.world.containers.size).toBe(0);
  });
});
