import { afterEach, describe, expect, it } from 'vitest';
import { MOCK_ANNOTATIONS, RUNTIME_LABELS, RUNTIME_REGISTRY, type RuntimeFactory } from '@skiff/sdk';
import { eventually, type TestCluster } from '@skiff/sdk/testing';
import { boundPod, clusterWithAgent, getPod } from './fixtures.js';

let tc: TestCluster | undefined;
afterEach(async () => {
  await tc?.stop();
  tc = undefined;
});

const pods = (t: TestCluster) => t.client.resource('v1', 'Pod');

describe('pod lifecycle', () => {
  it('runs a bound pod: Running, Ready, podIP in the node range, container statuses', async () => {
    tc = await clusterWithAgent();
    await pods(tc).create(boundPod('web'));
    const pod = await eventually(async () => {
      const p = await getPod(tc!, 'web');
      expect(p.status?.phase).toBe('Running');
      expect(p.status?.conditions?.find((c) => c.type === 'Ready')?.status).toBe('True');
      return p;
    });
    expect(pod.status?.podIP).toMatch(/^127\.10\.0\.\d+$/);
    expect(pod.status?.podIPs).toEqual([{ ip: pod.status?.podIP }]);
    expect(pod.status?.hostIP).toBe('127.0.0.1');
    expect(pod.status?.qosClass).toBe('BestEffort');
    expect(pod.status?.startTime).toBeTruthy();
    for (const type of ['PodScheduled', 'Initialized', 'ContainersReady']) {
      expect(pod.status?.conditions?.find((c) => c.type === type)).toMatchObject({ status: 'True', lastTransitionTime: expect.any(String) });
    }
    const [status] = pod.status?.containerStatuses ?? [];
    expect(status).toMatchObject({ name: 'app', ready: true, started: true, restartCount: 0, image: 'busybox:1.36', containerID: expect.stringMatching(/^mock:\/\//) });
    expect(status?.state?.running?.startedAt).toBeTruthy();
  });

  it('gives pods distinct addresses', async () => {
    tc = await clusterWithAgent();
    await pods(tc).create(boundPod('a'));
    await pods(tc).create(boundPod('b'));
    const ips = await eventually(async () => {
      const list = await Promise.all(['a', 'b'].map((n) => getPod(tc!, n)));
      for (const p of list) expect(p.status?.podIP).toBeTruthy();
      return list.map((p) => p.status?.podIP);
    });
    expect(new Set(ips).size).toBe(2);
  });

  it('a container exiting 0 with restartPolicy Never makes the pod Succeeded', async () => {
    tc = await clusterWithAgent();
    await pods(tc).create(boundPod('job', { annotations: { [MOCK_ANNOTATIONS.runMs]: '20', [MOCK_ANNOTATIONS.exitCode]: '0' }, spec: { restartPolicy: 'Never' } }));
    const pod = await eventually(async () => {
      const p = await getPod(tc!, 'job');
      expect(p.status?.phase).toBe('Succeeded');
      return p;
    });
    expect(pod.status?.containerStatuses?.[0]?.state?.terminated).toMatchObject({ exitCode: 0, reason: 'Completed' });
  });

  it('a container exiting 1 with restartPolicy Never makes the pod Failed', async () => {
    tc = await clusterWithAgent();
    await pods(tc).create(boundPod('bad', { annotations: { [MOCK_ANNOTATIONS.runMs]: '10', [MOCK_ANNOTATIONS.exitCode]: '1' }, spec: { restartPolicy: 'Never' } }));
    await eventually(async () => {
      const p = await getPod(tc!, 'bad');
      expect(p.status?.phase).toBe('Failed');
      expect(p.status?.containerStatuses?.[0]?.state?.terminated).toMatchObject({ exitCode: 1, reason: 'Error' });
    });
  });

  it('restartPolicy OnFailure: exit 0 makes the pod Succeeded', async () => {
    tc = await clusterWithAgent();
    await pods(tc).create(boundPod('once', { annotations: { [MOCK_ANNOTATIONS.runMs]: '10' }, spec: { restartPolicy: 'OnFailure' } }));
    await eventually(async () => expect((await getPod(tc!, 'once')).status?.phase).toBe('Succeeded'));
  });

  it('restarts a crashing container with backoff: CrashLoopBackOff, growing restartCount, lastState kept', async () => {
    tc = await clusterWithAgent();
    await pods(tc).create(boundPod('crash', { annotations: { [MOCK_ANNOTATIONS.runMs]: '10', [MOCK_ANNOTATIONS.exitCode]: '1' } }));
    let sawBackoff = false;
    await eventually(async () => {
      const p = await getPod(tc!, 'crash');
      const s = p.status?.containerStatuses?.[0];
      if (s?.state?.waiting?.reason === 'CrashLoopBackOff') sawBackoff = true;
      expect(p.status?.phase).toBe('Running');
      expect(s?.restartCount).toBeGreaterThanOrEqual(2);
      expect(s?.lastState?.terminated).toMatchObject({ exitCode: 1 });
    }, { timeoutMs: 10_000, intervalMs: 10 });
    await eventually(async () => {
      const s = (await getPod(tc!, 'crash')).status?.containerStatuses?.[0];
      if (s?.state?.waiting?.reason === 'CrashLoopBackOff') sawBackoff = true;
      expect(sawBackoff).toBe(true);
    }, { timeoutMs: 5_000, intervalMs: 5 });
  });

  it('runs init containers in order, each to exit 0, before the app containers', async () => {
    tc = await clusterWithAgent();
    await pods(tc).create(
      boundPod('init', {
        annotations: { [MOCK_ANNOTATIONS.runMs]: '15' },
        spec: {
          restartPolicy: 'Never',
          initContainers: [
            { name: 'first', image: 'busybox' },
            { name: 'second', image: 'busybox' },
          ],
        },
      }),
    );
    const pod = await eventually(async () => {
      const p = await getPod(tc!, 'init');
      expect(p.status?.phase).toBe('Succeeded');
      return p;
    });
    expect(pod.status?.initContainerStatuses?.map((s) => [s.name, s.state?.terminated?.reason])).toEqual([
      ['first', 'Completed'],
      ['second', 'Completed'],
    ]);
    expect(pod.status?.conditions?.find((c) => c.type === 'Initialized')?.status).toBe('True');
    const rt = await tc.cluster.registry<RuntimeFactory>(RUNTIME_REGISTRY).get('mock')({ nodeName: 'node-1' });
    const containers = await rt.listContainers({ labels: { [RUNTIME_LABELS.podUid]: pod.metadata.uid ?? '' } });
    const byName = Object.fromEntries(containers.map((c) => [c.name, c]));
    expect(byName['first']!.finishedAt!.getTime()).toBeLessThanOrEqual(byName['second']!.startedAt!.getTime());
    expect(byName['second']!.finishedAt!.getTime()).toBeLessThanOrEqual(byName['app']!.startedAt!.getTime());
  });

  it('a failing init container with restartPolicy Never fails the pod without starting app containers', async () => {
    tc = await clusterWithAgent();
    await pods(tc).create(
      boundPod('init-fail', {
        annotations: { [MOCK_ANNOTATIONS.exitCode]: '3' },
        spec: { restartPolicy: 'Never', initContainers: [{ name: 'setup', image: 'busybox' }] },
      }),
    );
    const pod = await eventually(async () => {
      const p = await getPod(tc!, 'init-fail');
      expect(p.status?.phase).toBe('Failed');
      return p;
    });
    expect(pod.status?.initContainerStatuses?.[0]?.state?.terminated).toMatchObject({ exitCode: 3 });
    expect(pod.status?.containerStatuses?.[0]?.state?.waiting?.reason).toBe('PodInitializing');
    const rt = await tc.cluster.registry<RuntimeFactory>(RUNTIME_REGISTRY).get('mock')({ nodeName: 'node-1' });
    const containers = await rt.listContainers({ labels: { [RUNTIME_LABELS.podUid]: pod.metadata.uid ?? '' } });
    expect(containers.map((c) => c.name)).toEqual(['setup']);
  });

  it('runs many pods at once with unique addresses', async () => {
    tc = await clusterWithAgent();
    const names = Array.from({ length: 40 }, (_, i) => `p-${i}`);
    await Promise.all(names.map((n) => pods(tc!).create(boundPod(n))));
    await eventually(async () => {
      const list = await pods(tc!).list({ namespace: 'default' });
      expect(list.items.filter((p) => p.status?.phase === 'Running')).toHaveLength(names.length);
      expect(new Set(list.items.map((p) => p.status?.podIP)).size).toBe(names.length);
    }, { timeoutMs: 20_000 });
  });
});
