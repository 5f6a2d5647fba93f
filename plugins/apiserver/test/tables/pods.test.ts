import { builtinResources, type ResourceInfo } from '@skiff/core';
import { describe, expect, it } from 'vitest';
import { printPod, toTable } from '../../src/tables/index.js';
import { ago, NOW, object } from './fixtures.js';

const podRes = builtinResources.find((r) => r.kind === 'Pod') as ResourceInfo;

const running = { running: { startedAt: ago(200) } };
const ready = (name: string, extra: Record<string, unknown> = {}) => ({ name, ready: true, restartCount: 0, state: running, ...extra });
const waiting = (name: string, reason: string, extra: Record<string, unknown> = {}) => ({ name, ready: false, restartCount: 0, state: { waiting: { reason } }, ...extra });
const terminated = (name: string, t: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({ name, ready: false, restartCount: 0, state: { terminated: t }, ...extra });
const containers = (...names: string[]) => names.map((name) => ({ name, image: `${name}:1` }));

interface Case {
  name: string;
  spec?: Record<string, unknown>;
  status?: Record<string, unknown>;
  meta?: Record<string, unknown>;
  /** [Ready, Status, Restarts] */
  expected: [string, string, string];
}

const cases: Case[] = [
  { name: 'pending without statuses', spec: { containers: containers('a') }, status: { phase: 'Pending' }, expected: ['0/1', 'Pending', '0'] },
  { name: 'no status at all', spec: { containers: containers('a') }, expected: ['0/1', '', '0'] },
  {
    name: 'running and ready',
    spec: { containers: containers('a', 'b') },
    status: { phase: 'Running', containerStatuses: [ready('a'), ready('b')] },
    expected: ['2/2', 'Running', '0'],
  },
  {
    name: 'one of two ready',
    spec: { containers: containers('a', 'b') },
    status: { phase: 'Running', containerStatuses: [ready('a'), { name: 'b', ready: false, restartCount: 0, state: running }] },
    expected: ['1/2', 'Running', '0'],
  },
  {
    name: 'ContainerCreating',
    spec: { containers: containers('a') },
    status: { phase: 'Pending', containerStatuses: [waiting('a', 'ContainerCreating')] },
    expected: ['0/1', 'ContainerCreating', '0'],
  },
  {
    name: 'CrashLoopBackOff with restarts and last restart age',
    spec: { containers: containers('a') },
    status: {
      phase: 'Running',
      containerStatuses: [waiting('a', 'CrashLoopBackOff', { restartCount: 5, lastState: { terminated: { exitCode: 1, reason: 'Error', finishedAt: ago(90) } } })],
    },
    expected: ['0/1', 'CrashLoopBackOff', '5 (90s ago)'],
  },
  {
    name: 'restarts without a known last termination time',
    spec: { containers: containers('a') },
    status: { phase: 'Running', containerStatuses: [ready('a', { restartCount: 3 })] },
    expected: ['1/1', 'Running', '3'],
  },
  {
    name: 'ImagePullBackOff',
    spec: { containers: containers('a') },
    status: { phase: 'Pending', containerStatuses: [waiting('a', 'ImagePullBackOff')] },
    expected: ['0/1', 'ImagePullBackOff', '0'],
  },
  {
    name: 'Completed (succeeded)',
    spec: { containers: containers('a') },
    status: { phase: 'Succeeded', containerStatuses: [terminated('a', { exitCode: 0, reason: 'Completed' })] },
    expected: ['0/1', 'Completed', '0'],
  },
  {
    name: 'Error (failed)',
    spec: { containers: containers('a') },
    status: { phase: 'Failed', containerStatuses: [terminated('a', { exitCode: 2, reason: 'Error' })] },
    expected: ['0/1', 'Error', '0'],
  },
  {
    name: 'terminated without reason → ExitCode',
    spec: { containers: containers('a') },
    status: { phase: 'Failed', containerStatuses: [terminated('a', { exitCode: 137 })] },
    expected: ['0/1', 'ExitCode:137', '0'],
  },
  {
    name: 'terminated without reason by signal → Signal',
    spec: { containers: containers('a') },
    status: { phase: 'Failed', containerStatuses: [terminated('a', { exitCode: 137, signal: 9 })] },
    expected: ['0/1', 'Signal:9', '0'],
  },
  {
    name: 'OOMKilled',
    spec: { containers: containers('a') },
    status: { phase: 'Running', containerStatuses: [terminated('a', { exitCode: 137, reason: 'OOMKilled' })] },
    expected: ['0/1', 'OOMKilled', '0'],
  },
  {
    name: 'first container decides (containers are walked last to first)',
    spec: { containers: containers('a', 'b') },
    status: { phase: 'Running', containerStatuses: [waiting('a', 'CrashLoopBackOff'), waiting('b', 'ContainerCreating')] },
    expected: ['0/2', 'CrashLoopBackOff', '0'],
  },
  {
    name: 'Completed with a running container and Ready condition → Running',
    spec: { containers: containers('a', 'b') },
    status: {
      phase: 'Running',
      conditions: [{ type: 'Ready', status: 'True' }],
      containerStatuses: [terminated('a', { exitCode: 0, reason: 'Completed' }), ready('b')],
    },
    expected: ['1/2', 'Running', '0'],
  },
  {
    name: 'Completed with a running container and no Ready condition → NotReady',
    spec: { containers: containers('a', 'b') },
    status: { phase: 'Running', containerStatuses: [terminated('a', { exitCode: 0, reason: 'Completed' }), ready('b')] },
    expected: ['1/2', 'NotReady', '0'],
  },
  {
    name: 'Terminating (deletionTimestamp, not terminal)',
    spec: { containers: containers('a') },
    status: { phase: 'Running', containerStatuses: [ready('a')] },
    meta: { deletionTimestamp: ago(5) },
    expected: ['1/1', 'Terminating', '0'],
  },
  {
    name: 'deleted but already Succeeded keeps its status',
    spec: { containers: containers('a') },
    status: { phase: 'Succeeded', containerStatuses: [terminated('a', { exitCode: 0, reason: 'Completed' })] },
    meta: { deletionTimestamp: ago(5) },
    expected: ['0/1', 'Completed', '0'],
  },
  {
    name: 'deleted on a lost node → Unknown',
    spec: { containers: containers('a') },
    status: { phase: 'Running', reason: 'NodeLost', containerStatuses: [ready('a')] },
    meta: { deletionTimestamp: ago(5) },
    expected: ['1/1', 'Unknown', '0'],
  },
  { name: 'status.reason overrides phase (Evicted)', spec: { containers: containers('a') }, status: { phase: 'Failed', reason: 'Evicted' }, expected: ['0/1', 'Evicted', '0'] },
  {
    name: 'SchedulingGated',
    spec: { containers: containers('a') },
    status: { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False', reason: 'SchedulingGated' }] },
    expected: ['0/1', 'SchedulingGated', '0'],
  },
  {
    name: 'Init:0/2 (first init container running)',
    spec: { initContainers: containers('i1', 'i2'), containers: containers('a') },
    status: {
      phase: 'Pending',
      initContainerStatuses: [{ name: 'i1', ready: false, restartCount: 0, state: running }, waiting('i2', 'PodInitializing')],
      containerStatuses: [waiting('a', 'PodInitializing')],
    },
    expected: ['0/1', 'Init:0/2', '0'],
  },
  {
    name: 'Init:1/2 (first done)',
    spec: { initContainers: containers('i1', 'i2'), containers: containers('a') },
    status: {
      phase: 'Pending',
      initContainerStatuses: [terminated('i1', { exitCode: 0, reason: 'Completed' }), { name: 'i2', ready: false, restartCount: 0, state: running }],
      containerStatuses: [waiting('a', 'PodInitializing')],
    },
    expected: ['0/1', 'Init:1/2', '0'],
  },
  {
    name: 'Init:0/1 while waiting with PodInitializing',
    spec: { initContainers: containers('i1'), containers: containers('a') },
    status: { phase: 'Pending', initContainerStatuses: [waiting('i1', 'PodInitializing')] },
    expected: ['0/1', 'Init:0/1', '0'],
  },
  {
    name: 'Init:CrashLoopBackOff with init restarts',
    spec: { initContainers: containers('i1'), containers: containers('a') },
    status: {
      phase: 'Pending',
      initContainerStatuses: [waiting('i1', 'CrashLoopBackOff', { restartCount: 4, lastState: { terminated: { exitCode: 1, finishedAt: ago(30) } } })],
      containerStatuses: [waiting('a', 'PodInitializing')],
    },
    expected: ['0/1', 'Init:CrashLoopBackOff', '4 (30s ago)'],
  },
  {
    name: 'Init:Error',
    spec: { initContainers: containers('i1'), containers: containers('a') },
    status: { phase: 'Failed', initContainerStatuses: [terminated('i1', { exitCode: 1, reason: 'Error' })] },
    expected: ['0/1', 'Init:Error', '0'],
  },
  {
    name: 'Init:ExitCode:3',
    spec: { initContainers: containers('i1'), containers: containers('a') },
    status: { phase: 'Pending', initContainerStatuses: [terminated('i1', { exitCode: 3 })] },
    expected: ['0/1', 'Init:ExitCode:3', '0'],
  },
  {
    name: 'Init:Signal:15',
    spec: { initContainers: containers('i1'), containers: containers('a') },
    status: { phase: 'Pending', initContainerStatuses: [terminated('i1', { exitCode: 143, signal: 15 })] },
    expected: ['0/1', 'Init:Signal:15', '0'],
  },
  {
    name: 'init done, containers running',
    spec: { initContainers: containers('i1'), containers: containers('a') },
    status: {
      phase: 'Running',
      initContainerStatuses: [terminated('i1', { exitCode: 0, reason: 'Completed' }, { restartCount: 2 })],
      containerStatuses: [ready('a', { restartCount: 1 })],
    },
    // Restarts of finished (non-sidecar) init containers are not counted once initialised.
    expected: ['1/1', 'Running', '1'],
  },
  {
    name: 'sidecar (restartable init container) counts towards READY',
    spec: { initContainers: [{ name: 'side', image: 's', restartPolicy: 'Always' }], containers: containers('a') },
    status: {
      phase: 'Running',
      conditions: [{ type: 'Initialized', status: 'True' }],
      initContainerStatuses: [{ name: 'side', ready: true, started: true, restartCount: 2, state: running }],
      containerStatuses: [ready('a', { restartCount: 1 })],
    },
    expected: ['2/2', 'Running', '3'],
  },
  {
    name: 'failing init status but Initialized condition True → containers decide',
    spec: { initContainers: containers('i1'), containers: containers('a') },
    status: {
      phase: 'Running',
      conditions: [{ type: 'Initialized', status: 'True' }],
      initContainerStatuses: [waiting('i1', 'CrashLoopBackOff', { restartCount: 9 })],
      containerStatuses: [ready('a')],
    },
    expected: ['1/1', 'Init:CrashLoopBackOff', '0'],
  },
  {
    name: 'sidecar not started yet → Init:0/1',
    spec: { initContainers: [{ name: 'side', image: 's', restartPolicy: 'Always' }], containers: containers('a') },
    status: { phase: 'Pending', initContainerStatuses: [{ name: 'side', ready: false, started: false, restartCount: 0, state: running }] },
    expected: ['0/2', 'Init:0/1', '0'],
  },
];

describe('pod STATUS/READY/RESTARTS (kubectl printPod)', () => {
  it.each(cases)('$name', ({ spec, status, meta, expected }) => {
    const pod = object('v1', 'Pod', 'p', { spec: spec ?? {}, ...(status ? { status } : {}) }, meta);
    const { cells } = printPod(pod, NOW);
    expect(cells.slice(1, 4)).toEqual(expected);
  });
});

describe('pod table', () => {
  it('has Kubernetes columns and wide cells', () => {
    const pod = object('v1', 'Pod', 'web', {
      spec: { containers: containers('a'), nodeName: 'node-1', readinessGates: [{ conditionType: 'example.com/gate' }, { conditionType: 'other' }] },
      status: {
        phase: 'Running',
        podIP: '10.0.0.9',
        podIPs: [{ ip: '10.0.0.9' }],
        conditions: [{ type: 'example.com/gate', status: 'True' }],
        containerStatuses: [ready('a')],
      },
    });
    const table = toTable(podRes, [pod], { now: NOW });
    expect(table.columnDefinitions.map((c) => [c.name, c.priority])).toEqual([
      ['Name', 0],
      ['Ready', 0],
      ['Status', 0],
      ['Restarts', 0],
      ['Age', 0],
      ['IP', 1],
      ['Node', 1],
      ['Nominated Node', 1],
      ['Readiness Gates', 1],
    ]);
    expect(table.columnDefinitions[0]?.format).toBe('name');
    expect(table.rows[0]?.cells).toEqual(['web', '1/1', 'Running', '0', '5m', '10.0.0.9', 'node-1', '<none>', '1/2']);
  });

  it('shows <none> for unscheduled pods and marks finished pods Completed', () => {
    const pending = printPod(object('v1', 'Pod', 'p', { spec: { containers: containers('a') }, status: { phase: 'Pending' } }), NOW);
    expect(pending.cells.slice(5)).toEqual(['<none>', '<none>', '<none>', '<none>']);
    expect(pending.conditions).toBeUndefined();
    const done = printPod(object('v1', 'Pod', 'p', { spec: { containers: containers('a') }, status: { phase: 'Succeeded' } }), NOW);
    expect(done.conditions).toEqual([{ type: 'Completed', status: 'True', reason: 'Succeeded', message: 'The pod has completed successfully.' }]);
  });

  it('falls back to status.podIP without podIPs', () => {
    const { cells } = printPod(object('v1', 'Pod', 'p', { spec: { containers: [] }, status: { podIP: '10.1.1.1' } }), NOW);
    expect(cells[5]).toBe('10.1.1.1');
  });
});
