/**
 * Round trips for apps/v1 (Deployment, ReplicaSet, DaemonSet) and batch/v1 (Job, CronJob).
 */
import { describe, expect, it } from 'vitest';
import { decodeProtobufObject } from '../../src/protobuf/index.js';
import { encodeBody, intVal, protoTime, strVal } from './encode.js';
import { jsonPodSpec, protoPodSpec } from './pod-fixtures.js';

const meta = { name: 'web', namespace: 'default', labels: { app: 'web' } };
const selector = {
  matchLabels: { app: 'web' },
  matchExpressions: [
    { key: 'tier', operator: 'In', values: ['frontend', 'edge'] },
    { key: 'legacy', operator: 'DoesNotExist' },
  ],
};
const template = { protobuf: { metadata: { labels: { app: 'web' }, creationTimestamp: {} }, spec: protoPodSpec }, json: { metadata: { labels: { app: 'web' } }, spec: jsonPodSpec } };

describe('apps/v1 round trips', () => {
  it('Deployment: replicas 0 kept, RollingUpdate with IntOrString, status conditions', () => {
    const body = encodeBody('apps/v1', 'Deployment', {
      metadata: meta,
      spec: {
        replicas: 0,
        selector,
        template: template.protobuf,
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: intVal(0), maxSurge: strVal('25%') } },
        minReadySeconds: 0,
        revisionHistoryLimit: 10,
        paused: false,
        progressDeadlineSeconds: 600,
      },
      status: {
        observedGeneration: 4,
        replicas: 3,
        updatedReplicas: 3,
        readyReplicas: 3,
        availableReplicas: 3,
        unavailableReplicas: 0,
        conditions: [
          {
            type: 'Available',
            status: 'True',
            reason: 'MinimumReplicasAvailable',
            message: 'Deployment has minimum availability.',
            lastUpdateTime: protoTime('2024-01-02T03:04:05Z'),
            lastTransitionTime: protoTime('2024-01-02T03:04:05Z'),
          },
        ],
        collisionCount: 0,
      },
    });
    expect(decodeProtobufObject(body)).toEqual({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: meta,
      spec: {
        replicas: 0,
        selector,
        template: template.json,
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: '25%' } },
        revisionHistoryLimit: 10,
        progressDeadlineSeconds: 600,
      },
      status: {
        observedGeneration: 4,
        replicas: 3,
        updatedReplicas: 3,
        readyReplicas: 3,
        availableReplicas: 3,
        conditions: [
          {
            type: 'Available',
            status: 'True',
            reason: 'MinimumReplicasAvailable',
            message: 'Deployment has minimum availability.',
            lastUpdateTime: '2024-01-02T03:04:05Z',
            lastTransitionTime: '2024-01-02T03:04:05Z',
          },
        ],
        collisionCount: 0,
      },
    });
  });

  it('Deployment without replicas leaves replicas absent (the server defaults it)', () => {
    const body = encodeBody('apps/v1', 'Deployment', { metadata: meta, spec: { selector: { matchLabels: { app: 'web' } }, template: template.protobuf, strategy: {} }, status: {} });
    expect(decodeProtobufObject(body)).toEqual({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: meta,
      spec: { selector: { matchLabels: { app: 'web' } }, template: template.json, strategy: {} },
      status: {},
    });
  });

  it('ReplicaSet', () => {
    const body = encodeBody('apps/v1', 'ReplicaSet', {
      metadata: { ...meta, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid: 'u-1', controller: true, blockOwnerDeletion: true }] },
      spec: { replicas: 2, selector, template: template.protobuf, minReadySeconds: 5 },
      status: { replicas: 2, fullyLabeledReplicas: 2, readyReplicas: 1, availableReplicas: 1, observedGeneration: 1 },
    });
    expect(decodeProtobufObject(body)).toEqual({
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: { ...meta, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid: 'u-1', controller: true, blockOwnerDeletion: true }] },
      spec: { replicas: 2, selector, template: template.json, minReadySeconds: 5 },
      status: { replicas: 2, fullyLabeledReplicas: 2, readyReplicas: 1, availableReplicas: 1, observedGeneration: 1 },
    });
  });

  it('DaemonSet: update strategy and non-omitempty status counters', () => {
    const body = encodeBody('apps/v1', 'DaemonSet', {
      metadata: meta,
      spec: {
        selector: { matchLabels: { app: 'web' } },
        template: template.protobuf,
        updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: intVal(1), maxSurge: intVal(0) } },
        minReadySeconds: 0,
        revisionHistoryLimit: 10,
      },
      status: { currentNumberScheduled: 0, numberMisscheduled: 0, desiredNumberScheduled: 0, numberReady: 0, observedGeneration: 0, numberAvailable: 0 },
    });
    expect(decodeProtobufObject(body)).toEqual({
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      metadata: meta,
      spec: {
        selector: { matchLabels: { app: 'web' } },
        template: template.json,
        updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } },
        revisionHistoryLimit: 10,
      },
      status: { currentNumberScheduled: 0, numberMisscheduled: 0, desiredNumberScheduled: 0, numberReady: 0 },
    });
  });
});

describe('batch/v1 round trips', () => {
  it('Job: pointer fields (backoffLimit 0, suspend false) kept, status times', () => {
    const body = encodeBody('batch/v1', 'Job', {
      metadata: { name: 'pi', namespace: 'default' },
      spec: {
        parallelism: 2,
        completions: 4,
        activeDeadlineSeconds: 3600,
        backoffLimit: 0,
        selector: { matchLabels: { 'batch.kubernetes.io/controller-uid': 'u-9' } },
        manualSelector: false,
        template: { metadata: {}, spec: { ...protoPodSpec, restartPolicy: 'Never' } },
        ttlSecondsAfterFinished: 100,
        completionMode: 'Indexed',
        suspend: false,
        backoffLimitPerIndex: 1,
        maxFailedIndexes: 2,
        podReplacementPolicy: 'Failed',
        managedBy: 'kubernetes.io/job-controller',
      },
      status: {
        conditions: [{ type: 'Complete', status: 'True', lastProbeTime: protoTime('2024-01-02T03:05:00Z'), lastTransitionTime: protoTime('2024-01-02T03:05:00Z') }],
        startTime: protoTime('2024-01-02T03:04:05Z'),
        completionTime: protoTime('2024-01-02T03:05:00Z'),
        active: 0,
        succeeded: 4,
        failed: 0,
        completedIndexes: '0-3',
        ready: 0,
        terminating: 0,
      },
    });
    expect(decodeProtobufObject(body)).toEqual({
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'pi', namespace: 'default' },
      spec: {
        parallelism: 2,
        completions: 4,
        activeDeadlineSeconds: 3600,
        backoffLimit: 0,
        selector: { matchLabels: { 'batch.kubernetes.io/controller-uid': 'u-9' } },
        manualSelector: false,
        template: { metadata: {}, spec: { ...jsonPodSpec, restartPolicy: 'Never' } },
        ttlSecondsAfterFinished: 100,
        completionMode: 'Indexed',
        suspend: false,
        backoffLimitPerIndex: 1,
        maxFailedIndexes: 2,
        podReplacementPolicy: 'Failed',
        managedBy: 'kubernetes.io/job-controller',
      },
      status: {
        conditions: [{ type: 'Complete', status: 'True', lastProbeTime: '2024-01-02T03:05:00Z', lastTransitionTime: '2024-01-02T03:05:00Z' }],
        startTime: '2024-01-02T03:04:05Z',
        completionTime: '2024-01-02T03:05:00Z',
        succeeded: 4,
        completedIndexes: '0-3',
        ready: 0,
        terminating: 0,
      },
    });
  });

  it('CronJob: schedule, history limits and the job template', () => {
    const body = encodeBody('batch/v1', 'CronJob', {
      metadata: { name: 'tick', namespace: 'default' },
      spec: {
        schedule: '*/5 * * * *',
        timeZone: 'Etc/UTC',
        concurrencyPolicy: 'Forbid',
        suspend: false,
        startingDeadlineSeconds: 30,
        successfulJobsHistoryLimit: 3,
        failedJobsHistoryLimit: 1,
        jobTemplate: { metadata: { name: 'tick' }, spec: { template: { metadata: {}, spec: { ...protoPodSpec, restartPolicy: 'OnFailure' } } } },
      },
      status: { active: [{ kind: 'Job', namespace: 'default', name: 'tick-1', uid: 'u-1', apiVersion: 'batch/v1', resourceVersion: '5' }], lastScheduleTime: protoTime('2024-01-02T03:05:00Z') },
    });
    expect(decodeProtobufObject(body)).toEqual({
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: { name: 'tick', namespace: 'default' },
      spec: {
        schedule: '*/5 * * * *',
        timeZone: 'Etc/UTC',
        concurrencyPolicy: 'Forbid',
        suspend: false,
        startingDeadlineSeconds: 30,
        successfulJobsHistoryLimit: 3,
        failedJobsHistoryLimit: 1,
        jobTemplate: { metadata: { name: 'tick' }, spec: { template: { metadata: {}, spec: { ...jsonPodSpec, restartPolicy: 'OnFailure' } } } },
      },
      status: { active: [{ kind: 'Job', namespace: 'default', name: 'tick-1', uid: 'u-1', apiVersion: 'batch/v1', resourceVersion: '5' }], lastScheduleTime: '2024-01-02T03:05:00Z' },
    });
  });
});
