import { afterEach, describe, expect, it } from 'vitest';
import type { Component, Job } from '@skiff/core';
import { scheduler } from '@skiff/plugin-scheduler';
import { eventually, type TestCluster } from '@skiff/sdk/testing';
import { clusterView, ControllerManager } from '../src/index.js';
import { daemonSetController } from '../src/daemonset/index.js';
import { endpointsController } from '../src/endpoints/index.js';
import { garbageCollector } from '../src/garbage-collector/index.js';
import { jobController } from '../src/job/index.js';
import { namespaceController } from '../src/namespace/index.js';
import { nodeLifecycleController } from '../src/node-lifecycle/index.js';
import { clusterWith, configMap, exists, FAST_SCHEDULER, nodes } from './cluster-fixtures-2.js';

let tc: TestCluster;
let manager: ControllerManager | undefined;
afterEach(async () => {
  await manager?.stop();
  manager = undefined;
  await tc?.stop();
});

const TIMEOUT = { timeoutMs: 30_000 };

describe('the garbage collector and the other controllers under the controller manager', () => {
  it('run over the manager: a Job finishes and its TTL deletes it with its pods, a namespace empties and goes', async () => {
    tc = await clusterWith(...nodes(['n1']), scheduler(FAST_SCHEDULER));
    const components: Component[] = [];
    const view = clusterView(tc.cluster, components);
    for (const plugin of [garbageCollector({ discoveryIntervalMs: 50 }), namespaceController({ recheckIntervalMs: 50 })]) await plugin.definition.apply(view, plugin.options);
    manager = new ControllerManager({
      client: tc.client,
      controllers: [jobController({ backoffInitialMs: 20 }), daemonSetController(), endpointsController(), nodeLifecycleController({ nodeMonitorGracePeriodMs: 5_000 })],
      components,
      leaderElection: { leaderElect: false },
    });
    await manager.start();
    expect(manager.runningControllers().sort()).toEqual(['DaemonSet', 'Endpoints', 'Job', 'NodeLifecycle', 'controller:GarbageCollector', 'controller:Namespace']);

    const job: Job = {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'once', namespace: 'default' },
      spec: { ttlSecondsAfterFinished: 0, template: { metadata: { annotations: { 'skiff.dev/mock-run-ms': '10' } }, spec: { restartPolicy: 'Never', containers: [{ name: 'w', image: 'busybox:1.36' }] } } },
    } as Job;
    await tc.client.resource('batch/v1', 'Job').create(job);
    await eventually(async () => {
      expect(await exists(tc.client, 'batch/v1', 'Job', 'once', 'default')).toBe(false);
      expect((await tc.client.resource('v1', 'Pod').list({ namespace: 'default', labelSelector: 'job-name=once' })).items).toEqual([]);
    }, TIMEOUT);

    await tc.client.resource('v1', 'Namespace').create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'scratch' } });
    await tc.client.resource('v1', 'ConfigMap').create(configMap('c', {}, 'scratch') as never);
    await tc.client.resource('v1', 'Namespace').delete('scratch');
    await eventually(async () => expect(await exists(tc.client, 'v1', 'Namespace', 'scratch')).toBe(false), TIMEOUT);
  });
});
