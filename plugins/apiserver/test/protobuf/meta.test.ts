/**
 * Round trips for meta/v1 pieces (ObjectMeta, owner references, managed fields, times),
 * coordination/v1 Lease, DeleteOptions, policy/v1 Eviction and authorization/v1
 * SelfSubjectAccessReview: encode with Skiff's descriptions, decode, compare with Kubernetes JSON.
 */
import { describe, expect, it } from 'vitest';
import { decodeProtobufBody, decodeProtobufDeleteOptions, decodeProtobufObject, encodeEnvelope } from '../../src/protobuf/index.js';
import { encodeBody, encodeMessage, protoTime } from './encode.js';

describe('ObjectMeta', () => {
  it('decodes every described field to its JSON form', () => {
    const fields = { f: { 'f:data': { '.': {}, 'f:a': {} } } };
    const body = encodeBody('v1', 'ConfigMap', {
      metadata: {
        name: 'cm',
        generateName: 'cm-',
        namespace: 'default',
        selfLink: '',
        uid: 'u-1',
        resourceVersion: '42',
        generation: 3,
        creationTimestamp: protoTime('2024-01-02T03:04:05Z', 999_000_000),
        deletionTimestamp: protoTime('2024-01-02T04:00:00Z'),
        deletionGracePeriodSeconds: 0,
        labels: { app: 'web', tier: '' },
        annotations: { note: 'x' },
        ownerReferences: [
          { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'rs', uid: 'u-2', controller: true, blockOwnerDeletion: false },
          { apiVersion: 'v1', kind: 'Pod', name: 'p', uid: 'u-3' },
        ],
        finalizers: ['example.com/f'],
        managedFields: [
          {
            manager: 'kubectl',
            operation: 'Apply',
            apiVersion: 'v1',
            time: protoTime('2024-01-02T03:04:05Z'),
            fieldsType: 'FieldsV1',
            fieldsV1: { Raw: Buffer.from(JSON.stringify(fields)) },
            subresource: '',
          },
        ],
      },
    });
    expect(decodeProtobufObject(body)).toEqual({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: {
        name: 'cm',
        generateName: 'cm-',
        namespace: 'default',
        uid: 'u-1',
        resourceVersion: '42',
        generation: 3,
        creationTimestamp: '2024-01-02T03:04:05Z',
        deletionTimestamp: '2024-01-02T04:00:00Z',
        deletionGracePeriodSeconds: 0,
        labels: { app: 'web', tier: '' },
        annotations: { note: 'x' },
        ownerReferences: [
          { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'rs', uid: 'u-2', controller: true, blockOwnerDeletion: false },
          { apiVersion: 'v1', kind: 'Pod', name: 'p', uid: 'u-3' },
        ],
        finalizers: ['example.com/f'],
        managedFields: [{ manager: 'kubectl', operation: 'Apply', apiVersion: 'v1', time: '2024-01-02T03:04:05Z', fieldsType: 'FieldsV1', fieldsV1: fields }],
      },
    });
  });

  it('drops the zero time and empty strings the way Kubernetes writes them, and adds metadata when absent', () => {
    const withZero = encodeBody('v1', 'ConfigMap', { metadata: { name: 'a', namespace: '', generation: 0, creationTimestamp: {} } });
    expect(decodeProtobufObject(withZero)).toEqual({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a' } });
    expect(decodeProtobufObject(encodeBody('v1', 'ConfigMap', {}))).toEqual({ apiVersion: 'v1', kind: 'ConfigMap', metadata: {} });
  });

  it('ignores fields it does not describe when they hold only zero values (Kubernetes writes every field)', () => {
    const known = encodeMessage('core.ConfigMap', { metadata: { name: 'a' }, data: { k: 'v' } });
    // field 99 = "" (length 0), field 98 = 0 (varint), field 97 = a struct whose only field is 0
    const zeroFields = Uint8Array.of(0x9a, 0x06, 0x00, 0x90, 0x06, 0x00, 0x8a, 0x06, 0x02, 0x08, 0x00);
    const body = encodeEnvelope('v1', 'ConfigMap', Buffer.concat([known, zeroFields]));
    expect(decodeProtobufObject(body)).toEqual({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a' }, data: { k: 'v' } });
  });

  it('rejects (415, naming the field) undescribed fields with content rather than losing them silently', () => {
    const known = encodeMessage('core.ConfigMap', { metadata: { name: 'a' } });
    const body = encodeEnvelope('v1', 'ConfigMap', Buffer.concat([known, Uint8Array.of(0x9a, 0x06, 0x03, 0x61, 0x62, 0x63)]));
    expect(() => decodeProtobufObject(body)).toThrow(/field <field 99> is set/);
    expect(decodeProtobufObject(body, { unknownFields: 'drop' })).toEqual({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a' } });
  });

  it('names the path of a nested undescribed field', () => {
    /** A Deployment whose only container carries field 23 (resizePolicy, not described) = `value`. */
    const deploymentWithUnknown = (value: number[]): Buffer => {
      const container = Buffer.concat([encodeMessage('core.Container', { name: 'app', image: 'nginx' }), Uint8Array.of(0xba, 0x01, value.length, ...value)]);
      const podSpec = Buffer.concat([Uint8Array.of(0x12, container.length), container]);
      const template = Buffer.concat([Uint8Array.of(0x12, podSpec.length), podSpec]);
      const spec = Buffer.concat([Uint8Array.of(0x1a, template.length), template]);
      return encodeEnvelope('apps/v1', 'Deployment', Buffer.concat([Uint8Array.of(0x12, spec.length), spec]));
    };
    expect(() => decodeProtobufObject(deploymentWithUnknown([0x08, 0x01]))).toThrow(/field spec\.template\.spec\.containers\.<field 23> is set/);
    // the same field holding only zero values is ignored
    expect(decodeProtobufObject(deploymentWithUnknown([0x08, 0x00]))).toMatchObject({ spec: { template: { spec: { containers: [{ name: 'app', image: 'nginx' }] } } } });
  });
});

describe('coordination.k8s.io/v1 Lease', () => {
  it('decodes MicroTime with microseconds and keeps pointer zeros', () => {
    const body = encodeBody('coordination.k8s.io/v1', 'Lease', {
      metadata: { name: 'kube-scheduler', namespace: 'kube-system' },
      spec: {
        holderIdentity: 'node-1',
        leaseDurationSeconds: 15,
        acquireTime: protoTime('2024-01-02T03:04:05Z', 123_456_789),
        renewTime: protoTime('2024-01-02T03:04:20Z', 5_000),
        leaseTransitions: 0,
      },
    });
    expect(decodeProtobufObject(body)).toEqual({
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: { name: 'kube-scheduler', namespace: 'kube-system' },
      spec: {
        holderIdentity: 'node-1',
        leaseDurationSeconds: 15,
        acquireTime: '2024-01-02T03:04:05.123456Z',
        renewTime: '2024-01-02T03:04:20.000005Z',
        leaseTransitions: 0,
      },
    });
  });
});

describe('DeleteOptions and Eviction', () => {
  const options = {
    gracePeriodSeconds: 0,
    preconditions: { uid: 'u-1', resourceVersion: '7' },
    propagationPolicy: 'Foreground',
    dryRun: ['All'],
  };
  const expected = { gracePeriodSeconds: 0, preconditions: { uid: 'u-1', resourceVersion: '7' }, propagationPolicy: 'Foreground', dryRun: ['All'] };

  it('decodes a DeleteOptions body under any apiVersion', () => {
    for (const apiVersion of ['meta.k8s.io/v1', 'v1', 'apps/v1']) {
      const body = encodeEnvelope(apiVersion, 'DeleteOptions', encodeMessage('meta.DeleteOptions', options));
      expect(decodeProtobufDeleteOptions(body)).toEqual({ apiVersion, kind: 'DeleteOptions', ...expected });
      expect(decodeProtobufBody(body)).toEqual({ apiVersion, kind: 'DeleteOptions', ...expected });
    }
  });

  it('decodes an empty DeleteOptions', () => {
    const body = encodeEnvelope('meta.k8s.io/v1', 'DeleteOptions', new Uint8Array(0));
    expect(decodeProtobufDeleteOptions(body)).toEqual({ apiVersion: 'meta.k8s.io/v1', kind: 'DeleteOptions' });
  });

  it('decodes a policy/v1 Eviction (what kubectl drain POSTs)', () => {
    const body = encodeBody('policy/v1', 'Eviction', { metadata: { name: 'p', namespace: 'default' }, deleteOptions: options });
    expect(decodeProtobufObject(body)).toEqual({
      apiVersion: 'policy/v1',
      kind: 'Eviction',
      metadata: { name: 'p', namespace: 'default' },
      deleteOptions: expected,
    });
  });
});

describe('authorization.k8s.io/v1 SelfSubjectAccessReview', () => {
  it('decodes what kubectl auth can-i sends', () => {
    const body = encodeBody('authorization.k8s.io/v1', 'SelfSubjectAccessReview', {
      metadata: {},
      spec: { resourceAttributes: { namespace: 'default', verb: 'create', group: 'apps', version: '', resource: 'deployments', subresource: '', name: '' } },
      status: { allowed: false, reason: '', evaluationError: '', denied: false },
    });
    expect(decodeProtobufObject(body)).toEqual({
      apiVersion: 'authorization.k8s.io/v1',
      kind: 'SelfSubjectAccessReview',
      metadata: {},
      spec: { resourceAttributes: { namespace: 'default', verb: 'create', group: 'apps', resource: 'deployments' } },
      status: { allowed: false },
    });
  });
});
