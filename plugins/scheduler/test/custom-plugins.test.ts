import { isSkiffError } from '@skiff/core';
import { StatusCode, Statuses, defineSchedulerPlugin, type SchedulerHandle } from '@skiff/sdk';
import { createTestCluster, eventually } from '@skiff/sdk/testing';
import { describe, expect, it } from 'vitest';
import { scheduler } from '../src/index.js';
import { FAST, createNode, createPod, eventsFor, podsByName } from './fixtures.js';

describe('scheduler: custom plugins and status codes', () => {
  it('holds a pod at Permit (Wait) until a plugin allows it through the handle', async () => {
    let handle: SchedulerHandle | undefined;
    const gate = defineSchedulerPlugin({
      name: 'Gate',
      create: (h) => {
        handle = h;
        return { permit: (_s, pod) => (pod.metadata.labels?.['gated'] ? { status: Statuses.wait(), timeoutMs: 30_000 } : undefined) };
      },
    });
    await using t = await createTestCluster({
      plugins: [scheduler({ ...FAST, plugins: [gate], profiles: [{ schedulerName: 'default-scheduler', plugins: { permit: { enabled: [{ name: 'Gate' }] } } }] })],
    });
    await createNode(t.client, 'n');
    await createPod(t.client, 'free');
    await createPod(t.client, 'gated', { labels: { gated: 'yes' } });
    await eventually(async () => expect((await podsByName(t.client)).get('free')?.spec?.nodeName).toBe('n'));
    const waiting = await eventually(() => {
      const [w] = handle!.waitingPods();
      expect(w?.pendingPlugins()).toEqual(['Gate']);
      return w!;
    });
    expect((await podsByName(t.client)).get('gated')?.spec?.nodeName).toBeUndefined();
    expect(waiting.nodeName).toBe('n');
    waiting.allow('Gate');
    await eventually(async () => expect((await podsByName(t.client)).get('gated')?.spec?.nodeName).toBe('n'));
  });

  it('rejects a pod whose Permit wait times out, releasing what it reserved', async () => {
    const unreserved: string[] = [];
    const slow = defineSchedulerPlugin({
      name: 'Slow',
      create: () => ({
        permit: () => ({ status: Statuses.wait(), timeoutMs: 50 }),
        reserve: () => undefined,
        unreserve: (_s, pod, node) => void unreserved.push(`${pod.metadata.name}@${node}`),
      }),
    });
    await using t = await createTestCluster({
      plugins: [scheduler({ ...FAST, plugins: [slow], profiles: [{ schedulerName: 'default-scheduler', plugins: { multiPoint: { enabled: [{ name: 'Slow' }] } } }] })],
    });
    await createNode(t.client, 'n', { cpu: '1' });
    await createPod(t.client, 'p', { cpu: '1' });
    await eventually(async () => {
      const [event] = await eventsFor(t.client, 'p', 'FailedScheduling');
      expect(event?.message).toBe('rejected due to timeout after waiting 50ms at plugin Slow');
      expect(unreserved).toContain('p@n');
    });
    expect((await podsByName(t.client)).get('p')?.spec?.nodeName).toBeUndefined();
  });

  it('skips a plugin\'s Filter when its PreFilter says Skip, and aborts the attempt when a Filter misbehaves', async () => {
    let filterCalls = 0;
    const picky = defineSchedulerPlugin({
      name: 'Picky',
      create: () => ({
        preFilter: (_s, pod) => (pod.metadata.labels?.['check'] ? undefined : Statuses.skip()),
        filter: () => {
          filterCalls++;
          return Statuses.wait(); // not allowed at Filter: counts as Error
        },
      }),
    });
    await using t = await createTestCluster({
      plugins: [scheduler({ ...FAST, plugins: [picky], profiles: [{ schedulerName: 'default-scheduler', plugins: { multiPoint: { enabled: [{ name: 'Picky' }] } } }] })],
    });
    await createNode(t.client, 'n');
    await createPod(t.client, 'unchecked');
    await eventually(async () => expect((await podsByName(t.client)).get('unchecked')?.spec?.nodeName).toBe('n'));
    expect(filterCalls).toBe(0);
    await createPod(t.client, 'checked', { labels: { check: 'yes' } });
    await eventually(async () => {
      const pod = (await podsByName(t.client)).get('checked');
      expect(pod?.status?.conditions?.find((c) => c.type === 'PodScheduled')).toMatchObject({ status: 'False', reason: 'SchedulerError', message: 'Filter may not return Wait' });
    });
    expect(filterCalls).toBeGreaterThan(0);
  });

  it('fails the pod at PreFilter with the plugin\'s own message', async () => {
    const never = defineSchedulerPlugin({ name: 'Never', create: () => ({ preFilter: () => Statuses.unresolvable('pod is on the naughty list') }) });
    await using t = await createTestCluster({
      plugins: [scheduler({ ...FAST, plugins: [never], profiles: [{ schedulerName: 'strict', plugins: { preFilter: { enabled: [{ name: 'Never' }] } } }, { schedulerName: 'default-scheduler' }] })],
    });
    await createNode(t.client, 'n');
    await createPod(t.client, 'strict-pod', { schedulerName: 'strict' });
    await createPod(t.client, 'normal-pod');
    await eventually(async () => {
      const [event] = await eventsFor(t.client, 'strict-pod', 'FailedScheduling');
      expect(event?.message).toBe('0/1 nodes are available: pod is on the naughty list.');
      expect((await podsByName(t.client)).get('normal-pod')?.spec?.nodeName).toBe('n');
    });
  });

  it('uses a Bind plugin that skips only for the pods it does not handle', async () => {
    const seen: string[] = [];
    const audit = defineSchedulerPlugin({ name: 'Audit', create: () => ({ bind: (_s, pod) => (seen.push(pod.metadata.name!), Statuses.skip()) }) });
    await using t = await createTestCluster({
      plugins: [scheduler({ ...FAST, plugins: [audit], profiles: [{ schedulerName: 'default-scheduler', plugins: { bind: { disabled: [{ name: '*' }], enabled: [{ name: 'Audit' }, { name: 'DefaultBinder' }] } } }] })],
    });
    await createNode(t.client, 'n');
    await createPod(t.client, 'p');
    await eventually(async () => expect((await podsByName(t.client)).get('p')?.spec?.nodeName).toBe('n'));
    expect(seen).toEqual(['p']);
  });

  it('refuses bad configuration when the cluster is created', async () => {
    const codes: unknown[] = [];
    for (const options of [
      { podInitialBackoffMs: -1 },
      { profiles: [{ schedulerName: 'x', plugins: { score: { enabled: [{ name: 'NoSuchPlugin' }] } } }] },
      { profiles: [{ schedulerName: 'x', plugins: { filter: { enabled: [{ name: 'PrioritySort' }] } } }] },
      { profiles: [{ schedulerName: 'x', plugins: { queueSort: { disabled: [{ name: '*' }] } } }] },
      { profiles: [{ schedulerName: 'x' }, { schedulerName: 'x' }] },
      { leaderElection: { leaseDurationMs: 1_000, renewDeadlineMs: 2_000 } },
    ]) {
      try {
        await createTestCluster({ plugins: [scheduler(options as never)] });
        codes.push('created');
      } catch (err) {
        codes.push(isSkiffError(err) ? err.code : err);
      }
    }
    expect(codes).toEqual(Array(6).fill('SKIFF_ERR_PLUGIN_OPTIONS'));
  });

  it('validates a plugin\'s args against its schema', async () => {
    const needsArgs = defineSchedulerPlugin<{ level: number }>({
      name: 'NeedsArgs',
      argsSchema: { type: 'object', required: ['level'], properties: { level: { type: 'integer' } } },
      create: () => ({ score: () => 0 }),
    });
    const attempt = (args: unknown) =>
      createTestCluster({
        plugins: [scheduler({ plugins: [needsArgs], profiles: [{ schedulerName: 'default-scheduler', plugins: { score: { enabled: [{ name: 'NeedsArgs' }] } }, pluginConfig: [{ name: 'NeedsArgs', args }] }] })],
      });
    await expect(attempt({ level: 'high' })).rejects.toMatchObject({ code: 'SKIFF_ERR_PLUGIN_OPTIONS', details: { plugin: 'NeedsArgs' } });
    const ok = await attempt({ level: 3 });
    await ok.stop();
    expect(() => defineSchedulerPlugin({ name: 'bad name', create: () => ({}) })).toThrowError(expect.objectContaining({ code: 'SKIFF_ERR_PLUGIN_INVALID' }));
    expect(StatusCode.UnschedulableAndUnresolvable).toBe('UnschedulableAndUnresolvable');
  });
});
