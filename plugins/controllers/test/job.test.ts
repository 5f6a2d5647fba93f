import { afterEach, describe, expect, it } from 'vitest';
import type { Job, Pod } from '@skiff/core';
import { scheduler } from '@skiff/plugin-scheduler';
import { eventually, type TestCluster } from '@skiff/sdk/testing';
import { garbageCollector } from '../src/garbage-collector/index.js';
import { jobController } from '../src/job/index.js';
import { clusterWith, exists, FAST_SCHEDULER, nodes } from './cluster-fixtures-2.js';

let tc: TestCluster;
afterEach(() => tc?.stop());

const TIMEOUT = { timeoutMs: 30_000 };

function job(name: string, spec: Partial<NonNullable<Job['spec']>>, annotations: Record<string, string>): Job {
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name, namespace: 'default' },
    spec: {
      template: { metadata: { annotations }, spec: { restartPolicy: 'Never', containers: [{ name: 'work', image: 'busybox:1.36' }] } },
      ...spec,
    },
  } as Job;
}

const jobs = () => tc.client.resource('batch/v1', 'Job');
const podsOf = async (name: string) => (await tc.client.resource('v1', 'Pod').list({ namespace: 'default', labelSelector: `job-name=${name}` })).items as Pod[];

async function start(): Promise<void> {
  tc = await clusterWith(...nodes(['n1', 'n2']), scheduler(FAST_SCHEDULER), jobController({ backoffInitialMs: 20, backoffMaxMs: 200 }), garbageCollector({ discoveryIntervalMs: 50 }));
}

describe('Job controller', () => {
  it('retries a failing pod up to backoffLimit, then fails the Job', async () => {
    await start();
    await jobs().create(job('flaky', { backoffLimit: 2 }, { 'skiff.dev/mock-run-ms': '20', 'skiff.dev/mock-exit-code': '1' }));
    await eventually(async () => {
      const j = await jobs().get('flaky', { namespace: 'default' });
      expect(j.status?.conditions?.find((c) => c.type === 'Failed')).toMatchObject({ status: 'True', reason: 'BackoffLimitExceeded' });
      expect(j.status).toMatchObject({ failed: 3, succeeded: 0, active: 0 });
    }, TIMEOUT);
    const pods = await podsOf('flaky');
    expect(pods).toHaveLength(3);
    expect(pods.every((p) => p.status?.phase === 'Failed')).toBe(true);
    expect(pods[0]!.metadata.ownerReferences?.[0]).toMatchObject({ kind: 'Job', name: 'flaky', controller: true, blockOwnerDeletion: true });
    expect(pods[0]!.metadata.labels?.['batch.kubernetes.io/job-name']).toBe('flaky');
  });

  it('with restartPolicy OnFailure counts container restarts against backoffLimit', async () => {
    await start();
    const restarting = job('restarting', { backoffLimit: 2 }, { 'skiff.dev/mock-run-ms': '20', 'skiff.dev/mock-exit-code': '1' });
    restarting.spec!.template.spec!.restartPolicy = 'OnFailure';
    await jobs().create(restarting);
    await eventually(async () => {
      const j = await jobs().get('restarting', { namespace: 'default' });
      expect(j.status?.conditions?.find((c) => c.type === 'Failed')).toMatchObject({ status: 'True', reason: 'BackoffLimitExceeded' });
      expect(j.status?.active).toBe(0);
    }, TIMEOUT);
    // Its one pod (restarted in place, never replaced) is deleted with the failure.
    await eventually(async () => expect((await podsOf('restarting')).every((p) => p.metadata.deletionTimestamp)).toBe(true), TIMEOUT);
  });

  it('completes with parallelism, reports counts and times, and is deleted after its TTL', async () => {
    await start();
    const seen = new Map<string, Pod>();
    let mostActive = 0;
    const watch = await tc.client.resource('v1', 'Pod').watch({ namespace: 'default', labelSelector: 'job-name=batch' });
    const watching = (async () => {
      for await (const event of watch) {
        if (event.type === 'DELETED') seen.delete(event.object.metadata.uid!);
        else if (event.type !== 'BOOKMARK') seen.set(event.object.metadata.uid!, event.object);
        const active = [...seen.values()].filter((p) => !p.metadata.deletionTimestamp && p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed');
        mostActive = Math.max(mostActive, active.length);
      }
    })();
    await jobs().create(job('batch', { completions: 4, parallelism: 2 }, { 'skiff.dev/mock-run-ms': '50' }));
    await eventually(async () => {
      const j = await jobs().get('batch', { namespace: 'default' });
      expect(j.status?.conditions?.find((c) => c.type === 'Complete')).toMatchObject({ status: 'True' });
      expect(j.status).toMatchObject({ succeeded: 4, failed: 0, active: 0 });
      expect(j.status?.startTime).toBeTruthy();
      expect(j.status?.completionTime).toBeTruthy();
    }, TIMEOUT);
    expect((await podsOf('batch')).filter((p) => p.status?.phase === 'Succeeded')).toHaveLength(4);
    watch.stop();
    await watching;
    expect(mostActive).toBeLessThanOrEqual(2);

    await jobs().create(job('short-lived', { ttlSecondsAfterFinished: 0 }, { 'skiff.dev/mock-run-ms': '10' }));
    await eventually(async () => {
      expect(await exists(tc.client, 'batch/v1', 'Job', 'short-lived', 'default')).toBe(false);
      expect(await podsOf('short-lived')).toEqual([]);
    }, TIMEOUT);
  });

  it('fails a Job active past activeDeadlineSeconds', async () => {
    await start();
    await jobs().create(job('slow', { activeDeadlineSeconds: 1 }, {}));
    await eventually(async () => {
      const j = await jobs().get('slow', { namespace: 'default' });
      expect(j.status?.conditions?.find((c) => c.type === 'Failed')).toMatchObject({ status: 'True', reason: 'DeadlineExceeded' });
      expect(j.status?.active).toBe(0);
    }, TIMEOUT);
    await eventually(async () => expect((await podsOf('slow')).every((p) => p.metadata.deletionTimestamp || p.status?.phase !== 'Running')).toBe(true), TIMEOUT);
  });
});
