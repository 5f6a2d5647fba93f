import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Cluster, Deployment, Job, KubeObject } from '../../src/index.js';
import { create, exists, podTemplate, refusal, startCluster, update } from './harness.js';

let cluster: Cluster;
beforeAll(async () => {
  cluster = await startCluster();
});
afterAll(async () => {
  await cluster.stop();
});

const web = { matchLabels: { app: 'web' } };
type Cause = { field: string; reason: string };

const invalidCreates: [string, Record<string, unknown> & { kind: string; metadata: { name: string } }, Cause[]][] = [
  [
    'Deployment whose selector does not match the template',
    { kind: 'Deployment', metadata: { name: 'mismatch' }, spec: { selector: web, template: podTemplate({ app: 'api' }) } },
    [{ field: 'spec.template.metadata.labels', reason: 'FieldValueInvalid' }],
  ],
  [
    'Deployment with an empty selector',
    { kind: 'Deployment', metadata: { name: 'empty' }, spec: { selector: {}, template: podTemplate() } },
    [{ field: 'spec.selector', reason: 'FieldValueInvalid' }],
  ],
  [
    'ReplicaSet with an empty selector',
    { kind: 'ReplicaSet', metadata: { name: 'empty-rs' }, spec: { selector: { matchLabels: {} }, template: podTemplate() } },
    [{ field: 'spec.selector', reason: 'FieldValueInvalid' }],
  ],
  [
    'DaemonSet with an empty selector',
    { kind: 'DaemonSet', metadata: { name: 'empty-ds' }, spec: { selector: {}, template: podTemplate() } },
    [{ field: 'spec.selector', reason: 'FieldValueInvalid' }],
  ],
  [
    'ReplicaSet with negative replicas',
    { kind: 'ReplicaSet', metadata: { name: 'negative' }, spec: { replicas: -1, selector: web, template: podTemplate() } },
    [{ field: 'spec.replicas', reason: 'FieldValueInvalid' }],
  ],
  [
    'Deployment with negative replicas and a mismatched selector (one cause each)',
    { kind: 'Deployment', metadata: { name: 'two' }, spec: { replicas: -3, selector: web, template: podTemplate({ app: 'api' }) } },
    [
      { field: 'spec.replicas', reason: 'FieldValueInvalid' },
      { field: 'spec.template.metadata.labels', reason: 'FieldValueInvalid' },
    ],
  ],
  [
    'Deployment with maxSurge and maxUnavailable both 0',
    { kind: 'Deployment', metadata: { name: 'stuck' }, spec: { selector: web, template: podTemplate(), strategy: { rollingUpdate: { maxSurge: 0, maxUnavailable: '0%' } } } },
    [{ field: 'spec.strategy.rollingUpdate.maxUnavailable', reason: 'FieldValueInvalid' }],
  ],
  [
    'DaemonSet with maxSurge and maxUnavailable both 0',
    { kind: 'DaemonSet', metadata: { name: 'stuck-ds' }, spec: { selector: web, template: podTemplate(), updateStrategy: { rollingUpdate: { maxUnavailable: 0 } } } },
    [{ field: 'spec.updateStrategy.rollingUpdate.maxUnavailable', reason: 'FieldValueRequired' }],
  ],
  [
    'ReplicaSet whose template restarts Never',
    { kind: 'ReplicaSet', metadata: { name: 'never' }, spec: { selector: web, template: podTemplate({ app: 'web' }, { restartPolicy: 'Never' }) } },
    [{ field: 'spec.template.spec.restartPolicy', reason: 'FieldValueNotSupported' }],
  ],
  [
    'DaemonSet whose template restarts OnFailure',
    { kind: 'DaemonSet', metadata: { name: 'onfailure' }, spec: { selector: web, template: podTemplate({ app: 'web' }, { restartPolicy: 'OnFailure' }) } },
    [{ field: 'spec.template.spec.restartPolicy', reason: 'FieldValueNotSupported' }],
  ],
  [
    'ReplicationController whose template labels do not match its selector',
    { kind: 'ReplicationController', metadata: { name: 'rc-mismatch' }, spec: { selector: { app: 'web' }, template: podTemplate({ app: 'api' }) } },
    [{ field: 'spec.template.metadata.labels', reason: 'FieldValueInvalid' }],
  ],
  [
    'ReplicationController with no selector and no template labels',
    { kind: 'ReplicationController', metadata: { name: 'rc-none' }, spec: { template: { spec: { containers: [{ name: 'a', image: 'busybox:1.36' }] } } } },
    [{ field: 'spec.selector', reason: 'FieldValueRequired' }],
  ],
  [
    'Job whose template restarts Always',
    { kind: 'Job', metadata: { name: 'always' }, spec: { template: podTemplate({ app: 'j' }, { restartPolicy: 'Always' }) } },
    [{ field: 'spec.template.spec.restartPolicy', reason: 'FieldValueNotSupported' }],
  ],
  [
    'Job without a restartPolicy',
    { kind: 'Job', metadata: { name: 'unset' }, spec: { template: podTemplate({ app: 'j' }) } },
    [{ field: 'spec.template.spec.restartPolicy', reason: 'FieldValueRequired' }],
  ],
  [
    'Job with its own selector but no manualSelector',
    { kind: 'Job', metadata: { name: 'own' }, spec: { selector: { matchLabels: { app: 'j' } }, template: podTemplate({ app: 'j' }, { restartPolicy: 'Never' }) } },
    [{ field: 'spec.selector', reason: 'FieldValueInvalid' }],
  ],
  [
    'Job with manualSelector whose selector does not match the template',
    {
      kind: 'Job',
      metadata: { name: 'manual-mismatch' },
      spec: { manualSelector: true, selector: { matchLabels: { app: 'x' } }, template: podTemplate({ app: 'j' }, { restartPolicy: 'Never' }) },
    },
    [{ field: 'spec.template.metadata.labels', reason: 'FieldValueInvalid' }],
  ],
];

describe('workload validation on CREATE', () => {
  it.each(invalidCreates)('refuses a %s with 422 and writes nothing', async (_name, obj, causes) => {
    const refused = await refusal(create(cluster, obj));
    expect(refused).toEqual({ code: 422, reason: 'Invalid', causes });
    expect(await exists(cluster, obj.kind, obj.metadata.name)).toBe(false);
  });

  it('accepts valid workloads of every kind', async () => {
    await create(cluster, { kind: 'Deployment', metadata: { name: 'ok' }, spec: { selector: web, template: podTemplate({ app: 'web', v: '1' }) } });
    await create(cluster, { kind: 'ReplicaSet', metadata: { name: 'ok' }, spec: { replicas: 0, selector: { matchExpressions: [{ key: 'app', operator: 'In', values: ['web'] }] }, template: podTemplate() } });
    await create(cluster, { kind: 'DaemonSet', metadata: { name: 'ok' }, spec: { selector: web, template: podTemplate(), updateStrategy: { type: 'OnDelete' } } });
    await create(cluster, { kind: 'ReplicationController', metadata: { name: 'ok' }, spec: { template: podTemplate() } });
    await create(cluster, { kind: 'Job', metadata: { name: 'ok' }, spec: { template: podTemplate({}, { restartPolicy: 'OnFailure' }) } });
  });
});

describe('workload validation on UPDATE', () => {
  it('refuses changing a Deployment selector with 422 and keeps the stored object', async () => {
    const created = (await create(cluster, { kind: 'Deployment', metadata: { name: 'immutable' }, spec: { selector: web, template: podTemplate() } })) as unknown as Deployment;
    const changed = structuredClone(created);
    changed.spec!.selector = { matchLabels: { app: 'web', tier: 'front' } };
    changed.spec!.template.metadata!.labels = { app: 'web', tier: 'front' };
    const refused = await refusal(update(cluster, changed as unknown as KubeObject));
    expect(refused).toEqual({ code: 422, reason: 'Invalid', causes: [{ field: 'spec.selector', reason: 'FieldValueInvalid' }] });
    const stored = await cluster.api.get(cluster.resources.require('apps/v1', 'Deployment'), 'default', 'immutable');
    expect(stored).toEqual(created);
  });

  it('refuses changing a Job selector (as Kubernetes: no longer the generated one, and immutable)', async () => {
    const created = (await create(cluster, { kind: 'Job', metadata: { name: 'job-immutable' }, spec: { template: podTemplate({}, { restartPolicy: 'Never' }) } })) as unknown as Job;
    const changed = structuredClone(created);
    changed.spec!.selector = { matchLabels: { ...changed.spec!.selector!.matchLabels, extra: 'x' } };
    changed.spec!.template.metadata!.labels = { ...changed.spec!.template.metadata!.labels, extra: 'x' };
    const refused = await refusal(update(cluster, changed as unknown as KubeObject));
    expect(refused.causes).toEqual([
      { field: 'spec.selector', reason: 'FieldValueInvalid' },
      { field: 'spec.selector', reason: 'FieldValueInvalid' },
    ]);
  });

  it('accepts an update that keeps the selector, and judges the rest again', async () => {
    const created = (await create(cluster, { kind: 'Deployment', metadata: { name: 'scale' }, spec: { selector: web, template: podTemplate() } })) as unknown as Deployment;
    const scaled = structuredClone(created);
    scaled.spec!.replicas = 5;
    const updated = (await update(cluster, scaled as unknown as KubeObject)) as unknown as Deployment;
    expect(updated.spec!.replicas).toBe(5);
    const negative = structuredClone(updated);
    negative.spec!.replicas = -1;
    const refused = await refusal(update(cluster, negative as unknown as KubeObject));
    expect(refused.causes).toEqual([{ field: 'spec.replicas', reason: 'FieldValueInvalid' }]);
  });

  it('does not judge status writes or deletes', async () => {
    const res = cluster.resources.require('apps/v1', 'ReplicaSet');
    const rs = await create(cluster, { kind: 'ReplicaSet', metadata: { name: 'status' }, spec: { selector: web, template: podTemplate() } });
    const withStatus = { ...rs, status: { replicas: 0, observedGeneration: 1 } };
    await cluster.api.update(res, 'default', 'status', withStatus, { subresource: 'status' });
    await cluster.api.delete(res, 'default', 'status');
    expect(await exists(cluster, 'ReplicaSet', 'status')).toBe(false);
  });
});
