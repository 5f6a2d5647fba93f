import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JOB_LABELS, type Cluster, type DaemonSet, type Deployment, type Job, type ReplicaSet, type ReplicationController } from '../../src/index.js';
import { create, podTemplate, startCluster, update } from './harness.js';

let cluster: Cluster;
beforeAll(async () => {
  cluster = await startCluster();
});
afterAll(async () => {
  await cluster.stop();
});

describe('workload defaults', () => {
  it('Deployment: replicas, strategy, history limit, progress deadline', async () => {
    const d = (await create(cluster, {
      kind: 'Deployment',
      metadata: { name: 'd' },
      spec: { selector: { matchLabels: { app: 'web' } }, template: podTemplate() },
    })) as unknown as Deployment;
    expect(d.spec).toMatchObject({
      replicas: 1,
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } },
      revisionHistoryLimit: 10,
      progressDeadlineSeconds: 600,
    });
  });

  it('Deployment: fills only the missing parts of a strategy and keeps Recreate alone', async () => {
    const partial = (await create(cluster, {
      kind: 'Deployment',
      metadata: { name: 'partial' },
      spec: { replicas: 0, selector: { matchLabels: { app: 'web' } }, template: podTemplate(), strategy: { rollingUpdate: { maxSurge: 2 } }, revisionHistoryLimit: 3 },
    })) as unknown as Deployment;
    expect(partial.spec).toMatchObject({ replicas: 0, revisionHistoryLimit: 3, strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: 2 } } });
    const recreate = (await create(cluster, {
      kind: 'Deployment',
      metadata: { name: 'recreate' },
      spec: { selector: { matchLabels: { app: 'web' } }, template: podTemplate(), strategy: { type: 'Recreate' } },
    })) as unknown as Deployment;
    expect(recreate.spec!.strategy).toEqual({ type: 'Recreate' });
  });

  it('ReplicaSet: replicas 1 and template defaults', async () => {
    const rs = (await create(cluster, {
      kind: 'ReplicaSet',
      metadata: { name: 'rs' },
      spec: { selector: { matchLabels: { app: 'web' } }, template: podTemplate() },
    })) as unknown as ReplicaSet;
    expect(rs.spec).toMatchObject({ replicas: 1, template: { spec: { restartPolicy: 'Always', dnsPolicy: 'ClusterFirst' } } });
  });

  it('ReplicationController: selector and labels from the template labels', async () => {
    const rc = (await create(cluster, {
      kind: 'ReplicationController',
      metadata: { name: 'rc' },
      spec: { template: podTemplate({ app: 'legacy', tier: 'db' }) },
    })) as unknown as ReplicationController;
    expect(rc.spec!.selector).toEqual({ app: 'legacy', tier: 'db' });
    expect(rc.metadata.labels).toEqual({ app: 'legacy', tier: 'db' });
    expect(rc.spec!.replicas).toBe(1);
    const own = (await create(cluster, {
      kind: 'ReplicationController',
      metadata: { name: 'rc-own', labels: { owner: 'me' } },
      spec: { selector: { app: 'legacy' }, template: podTemplate({ app: 'legacy', tier: 'db' }) },
    })) as unknown as ReplicationController;
    expect(own.spec!.selector).toEqual({ app: 'legacy' });
    expect(own.metadata.labels).toEqual({ owner: 'me' });
  });

  it('DaemonSet: update strategy and history limit', async () => {
    const ds = (await create(cluster, {
      kind: 'DaemonSet',
      metadata: { name: 'ds' },
      spec: { selector: { matchLabels: { app: 'web' } }, template: podTemplate() },
    })) as unknown as DaemonSet;
    expect(ds.spec).toMatchObject({ updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } }, revisionHistoryLimit: 10 });
  });
});

describe('Job defaults', () => {
  it('generates the selector and pod labels from the uid and name, and copies them to the Job', async () => {
    const job = (await create(cluster, {
      kind: 'Job',
      metadata: { name: 'pi' },
      spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'pi', image: 'perl:5.34' }] } } },
    })) as unknown as Job;
    const uid = job.metadata.uid!;
    expect(uid).toBeTruthy();
    expect(job.spec!.selector).toEqual({ matchLabels: { [JOB_LABELS.controllerUid]: uid } });
    const labels = {
      [JOB_LABELS.controllerUid]: uid,
      [JOB_LABELS.jobName]: 'pi',
      [JOB_LABELS.legacyControllerUid]: uid,
      [JOB_LABELS.legacyJobName]: 'pi',
    };
    expect(job.spec!.template.metadata!.labels).toEqual(labels);
    expect(job.metadata.labels).toEqual(labels);
    expect(job.spec).toMatchObject({ completions: 1, parallelism: 1, backoffLimit: 6, completionMode: 'NonIndexed', suspend: false });
    expect(job.spec!.template.spec).toMatchObject({ restartPolicy: 'Never', dnsPolicy: 'ClusterFirst', terminationGracePeriodSeconds: 30 });
  });

  it('keeps user labels, and only defaults parallelism when completions is set', async () => {
    const job = (await create(cluster, {
      kind: 'Job',
      metadata: { name: 'work', labels: { team: 'a' } },
      spec: { completions: 5, template: { metadata: { labels: { app: 'work' } }, spec: { restartPolicy: 'OnFailure', containers: [{ name: 'w', image: 'busybox:1.36' }] } } },
    })) as unknown as Job;
    expect(job.metadata.labels).toEqual({ team: 'a' });
    expect(job.spec).toMatchObject({ completions: 5, parallelism: 1 });
    expect(job.spec!.template.metadata!.labels).toMatchObject({ app: 'work', [JOB_LABELS.jobName]: 'work', [JOB_LABELS.controllerUid]: job.metadata.uid });
    const parallel = (await create(cluster, {
      kind: 'Job',
      metadata: { name: 'parallel' },
      spec: { parallelism: 3, template: { spec: { restartPolicy: 'Never', containers: [{ name: 'w', image: 'busybox:1.36' }] } } },
    })) as unknown as Job;
    expect(parallel.spec!.parallelism).toBe(3);
    expect(parallel.spec!.completions).toBeUndefined();
  });

  it('with manualSelector leaves the selector and labels to the user', async () => {
    const job = (await create(cluster, {
      kind: 'Job',
      metadata: { name: 'manual' },
      spec: {
        manualSelector: true,
        selector: { matchLabels: { app: 'manual' } },
        template: { metadata: { labels: { app: 'manual' } }, spec: { restartPolicy: 'Never', containers: [{ name: 'w', image: 'busybox:1.36' }] } },
      },
    })) as unknown as Job;
    expect(job.spec!.selector).toEqual({ matchLabels: { app: 'manual' } });
    expect(job.spec!.template.metadata!.labels).toEqual({ app: 'manual' });
  });

  it('an UPDATE sending back what was read changes nothing', async () => {
    const job = await create(cluster, {
      kind: 'Job',
      metadata: { name: 'stable' },
      spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'w', image: 'busybox:1.36' }] } } },
    });
    const again = await update(cluster, job);
    expect(again).toEqual(job);
  });
});
