import { describe, expect, it } from 'vitest';
import {
  AdmissionStage,
  builtinAdmission,
  createCluster,
  DEFAULTED_KINDS,
  definePlugin,
  JOB_LABELS,
  kubernetesDefaults,
  VALIDATED_WORKLOAD_KINDS,
  workloadValidation,
  type KubeObject,
  type Pod,
} from '../../src/index.js';
import { create, refusal } from './harness.js';

describe('the admission plugins', () => {
  it('builtinAdmission lists defaults before validation, then pod graceful deletion, namespace lifecycle and default tolerations', () => {
    expect(builtinAdmission().map((p) => p.name)).toEqual(['KubernetesDefaults', 'WorkloadValidation', 'PodGracefulDeletion', 'NamespaceLifecycle', 'DefaultTolerationSeconds']);
    expect(DEFAULTED_KINDS).toEqual(expect.arrayContaining(['Pod', 'Deployment', 'ReplicaSet', 'ReplicationController', 'DaemonSet', 'Job', 'Service', 'Secret']));
    expect([...VALIDATED_WORKLOAD_KINDS].sort()).toEqual(['DaemonSet', 'Deployment', 'Job', 'ReplicaSet', 'ReplicationController']);
  });

  it('defaults before taps at the MUTATING stage, whatever the registration order', async () => {
    const seen: unknown[] = [];
    const observer = definePlugin({
      name: 'Observer',
      core: '^0.1.0',
      apply(cluster) {
        cluster.hooks.mutatingAdmission.for('Pod').tap({ name: 'Observer', stage: AdmissionStage.MUTATING }, (obj: KubeObject) => {
          seen.push((obj as unknown as Pod).spec?.restartPolicy);
          return obj;
        });
      },
    });
    const cluster = await createCluster({ plugins: [observer(), kubernetesDefaults()] });
    await cluster.start();
    try {
      await create(cluster, { kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'a', image: 'busybox:1.36' }] } });
      expect(seen).toEqual(['Always']);
    } finally {
      await cluster.stop();
    }
  });

  it('each plugin works alone', async () => {
    const defaultsOnly = await createCluster({ plugins: [kubernetesDefaults()] });
    await defaultsOnly.start();
    try {
      const rs = await create(defaultsOnly, {
        kind: 'ReplicaSet',
        metadata: { name: 'rs' },
        spec: { replicas: -1, selector: { matchLabels: { app: 'a' } }, template: { metadata: { labels: { app: 'b' } }, spec: { containers: [{ name: 'a', image: 'x:1' }] } } },
      });
      expect((rs['spec'] as { template: { spec: { dnsPolicy: string } } }).template.spec.dnsPolicy).toBe('ClusterFirst');
    } finally {
      await defaultsOnly.stop();
    }
    const validationOnly = await createCluster({ plugins: [workloadValidation()] });
    await validationOnly.start();
    try {
      // Without defaulting an absent restartPolicy counts as Always for a ReplicaSet.
      await create(validationOnly, {
        kind: 'ReplicaSet',
        metadata: { name: 'rs' },
        spec: { selector: { matchLabels: { app: 'a' } }, template: { metadata: { labels: { app: 'a' } }, spec: { containers: [{ name: 'a', image: 'x:1' }] } } },
      });
      const refused = await refusal(
        create(validationOnly, { kind: 'Job', metadata: { name: 'j' }, spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'a', image: 'x:1' }] } } } }),
      );
      expect(refused.causes).toEqual([{ field: 'spec.selector', reason: 'FieldValueRequired' }]);
    } finally {
      await validationOnly.stop();
    }
  });

  it('names generated Jobs and host-network ports after what the API assigned', async () => {
    const cluster = await createCluster({ plugins: builtinAdmission() });
    await cluster.start();
    try {
      const job = await create(cluster, {
        kind: 'Job',
        metadata: { generateName: 'batch-' },
        spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'a', image: 'x:1' }] } } },
      });
      expect(job.metadata.name).toMatch(/^batch-/);
      expect(job.metadata.labels?.[JOB_LABELS.jobName]).toBe(job.metadata.name);
      const pod = (await create(cluster, {
        kind: 'Pod',
        metadata: { name: 'host' },
        spec: { hostNetwork: true, containers: [{ name: 'a', image: 'x:1', ports: [{ containerPort: 8080 }, { containerPort: 9090, hostPort: 9191 }] }] },
      })) as unknown as Pod;
      expect(pod.spec!.containers[0]!.ports).toEqual([
        { containerPort: 8080, hostPort: 8080, protocol: 'TCP' },
        { containerPort: 9090, hostPort: 9191, protocol: 'TCP' },
      ]);
    } finally {
      await cluster.stop();
    }
  });
});
