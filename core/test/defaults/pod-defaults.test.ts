import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { imagePullPolicyFor, type Cluster, type Deployment, type Pod } from '../../src/index.js';
import { container, create, startCluster, update } from './harness.js';

let cluster: Cluster;
beforeAll(async () => {
  cluster = await startCluster();
});
afterAll(async () => {
  await cluster.stop();
});

describe('Pod defaults', () => {
  it('gives a bare Pod every default', async () => {
    const pod = (await create(cluster, {
      kind: 'Pod',
      metadata: { name: 'bare' },
      spec: {
        containers: [
          {
            name: 'app',
            image: 'busybox',
            ports: [{ containerPort: 80 }],
            env: [{ name: 'POD', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }],
            livenessProbe: { httpGet: { port: 80 } },
            readinessProbe: { tcpSocket: { port: 80 } },
            resources: { limits: { cpu: '500m', memory: '64Mi' }, requests: { cpu: '100m' } },
            volumeMounts: [{ name: 'cfg', mountPath: '/cfg' }],
          },
        ],
        initContainers: [{ name: 'init', image: 'busybox:1.36', resources: { limits: { cpu: '1' } } }],
        volumes: [
          { name: 'cfg', configMap: { name: 'c' } },
          { name: 'sec', secret: { secretName: 's' } },
          { name: 'tmp', emptyDir: {} },
          { name: 'none' },
        ],
      },
    })) as unknown as Pod;
    const spec = pod.spec!;
    expect(spec).toMatchObject({
      restartPolicy: 'Always',
      dnsPolicy: 'ClusterFirst',
      terminationGracePeriodSeconds: 30,
      schedulerName: 'default-scheduler',
      securityContext: {},
      enableServiceLinks: true,
      priority: 0,
      preemptionPolicy: 'PreemptLowerPriority',
    });
    const app = spec.containers[0]!;
    expect(app).toMatchObject({
      imagePullPolicy: 'Always',
      terminationMessagePath: '/dev/termination-log',
      terminationMessagePolicy: 'File',
      ports: [{ containerPort: 80, protocol: 'TCP' }],
      env: [{ name: 'POD', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.name' } } }],
      livenessProbe: { httpGet: { port: 80, path: '/', scheme: 'HTTP' }, timeoutSeconds: 1, periodSeconds: 10, successThreshold: 1, failureThreshold: 3 },
      readinessProbe: { tcpSocket: { port: 80 }, timeoutSeconds: 1, periodSeconds: 10, successThreshold: 1, failureThreshold: 3 },
    });
    expect(app.resources).toEqual({ limits: { cpu: '500m', memory: '64Mi' }, requests: { cpu: '100m', memory: '64Mi' } });
    expect(spec.initContainers![0]).toMatchObject({ imagePullPolicy: 'IfNotPresent', terminationMessagePolicy: 'File', resources: { requests: { cpu: '1' } } });
    expect(spec.volumes).toEqual([
      { name: 'cfg', configMap: { name: 'c', defaultMode: 420 } },
      { name: 'sec', secret: { secretName: 's', defaultMode: 420 } },
      { name: 'tmp', emptyDir: {} },
      { name: 'none', emptyDir: {} },
    ]);
  });

  it('keeps every value the user set', async () => {
    const sent = {
      restartPolicy: 'Never',
      dnsPolicy: 'Default',
      terminationGracePeriodSeconds: 5,
      schedulerName: 'mine',
      securityContext: { runAsUser: 1000 },
      enableServiceLinks: false,
      containers: [
        {
          name: 'app',
          image: 'busybox',
          imagePullPolicy: 'Never',
          terminationMessagePath: '/tmp/t',
          terminationMessagePolicy: 'FallbackToLogsOnError',
          ports: [{ containerPort: 53, protocol: 'UDP' }],
          livenessProbe: { httpGet: { port: 80, path: '/healthz', scheme: 'HTTPS' }, timeoutSeconds: 7, periodSeconds: 3, successThreshold: 1, failureThreshold: 9 },
        },
      ],
      volumes: [{ name: 'cfg', configMap: { name: 'c', defaultMode: 256 } }],
    };
    const pod = (await create(cluster, { kind: 'Pod', metadata: { name: 'kept' }, spec: sent })) as unknown as Pod;
    expect(pod.spec).toMatchObject(sent);
  });

  it('is idempotent: an UPDATE sending back what was read changes nothing', async () => {
    const pod = await create(cluster, { kind: 'Pod', metadata: { name: 'again' }, spec: { containers: [container()] } });
    const again = await update(cluster, pod);
    expect(again.metadata.resourceVersion).toBe(pod.metadata.resourceVersion);
    expect(again).toEqual(pod);
  });

  it('gives a Deployment template the pod defaults (not the Pod-only ones)', async () => {
    const deployment = (await create(cluster, {
      kind: 'Deployment',
      metadata: { name: 'web' },
      spec: { selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'app', image: 'nginx' }] } } },
    })) as unknown as Deployment;
    const spec = deployment.spec!.template.spec!;
    expect(spec).toMatchObject({ restartPolicy: 'Always', dnsPolicy: 'ClusterFirst', terminationGracePeriodSeconds: 30, schedulerName: 'default-scheduler', securityContext: {} });
    expect(spec.containers[0]).toMatchObject({ imagePullPolicy: 'Always', terminationMessagePath: '/dev/termination-log', terminationMessagePolicy: 'File' });
    expect(spec.priority).toBeUndefined();
  });
});

describe('imagePullPolicy', () => {
  const table: [string, 'Always' | 'IfNotPresent'][] = [
    ['busybox', 'Always'],
    ['busybox:1.36', 'IfNotPresent'],
    ['busybox:latest', 'Always'],
    [`busybox@sha256:${'a'.repeat(64)}`, 'IfNotPresent'],
    [`busybox:latest@sha256:${'a'.repeat(64)}`, 'Always'],
    ['localhost:5000/app', 'Always'],
    ['localhost:5000/app:v2', 'IfNotPresent'],
    ['registry.example.com/team/app:latest', 'Always'],
  ];

  it.each(table)('%s → %s (pure function)', (image, policy) => {
    expect(imagePullPolicyFor(image)).toBe(policy);
  });

  it('is applied through admission', async () => {
    const pod = (await create(cluster, {
      kind: 'Pod',
      metadata: { name: 'images' },
      spec: { containers: table.map(([image], i) => ({ name: `c${i}`, image })) },
    })) as unknown as Pod;
    expect(pod.spec!.containers.map((c) => [c.image, c.imagePullPolicy])).toEqual(table);
  });
});
