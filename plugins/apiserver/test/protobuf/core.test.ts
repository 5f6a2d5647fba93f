/**
 * Round trips for core/v1 kinds: encode with Skiff's descriptions (as a Kubernetes client
 * would), decode, and compare with the JSON Kubernetes' own encoding produces.
 */
import { describe, expect, it } from 'vitest';
import { decodeProtobufObject } from '../../src/protobuf/index.js';
import { encodeBody, intVal, protoTime, strVal } from './encode.js';
import { jsonPodSpec, protoPodSpec } from './pod-fixtures.js';

const meta = { name: 'x', namespace: 'default' };

describe('core/v1 round trips', () => {
  it('Namespace', () => {
    const body = encodeBody('v1', 'Namespace', {
      metadata: { name: 'team-a', labels: { team: 'a' } },
      spec: { finalizers: ['kubernetes'] },
      status: { phase: 'Active', conditions: [{ type: 'NamespaceDeletionDiscoveryFailure', status: 'False', lastTransitionTime: protoTime('2024-05-06T07:08:09Z') }] },
    });
    expect(decodeProtobufObject(body)).toEqual({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'team-a', labels: { team: 'a' } },
      spec: { finalizers: ['kubernetes'] },
      status: { phase: 'Active', conditions: [{ type: 'NamespaceDeletionDiscoveryFailure', status: 'False', lastTransitionTime: '2024-05-06T07:08:09Z' }] },
    });
  });

  it('ConfigMap: data, binaryData (base64) and an explicit immutable=false', () => {
    const body = encodeBody('v1', 'ConfigMap', {
      metadata: meta,
      data: { 'app.properties': 'a=1\nb=2', empty: '' },
      binaryData: { blob: Buffer.from([0, 1, 2, 255]) },
      immutable: false,
    });
    expect(decodeProtobufObject(body)).toEqual({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: meta,
      data: { 'app.properties': 'a=1\nb=2', empty: '' },
      binaryData: { blob: 'AAEC/w==' },
      immutable: false,
    });
  });

  it('Secret: bytes data as base64, type, stringData', () => {
    const body = encodeBody('v1', 'Secret', {
      metadata: meta,
      data: { password: Buffer.from('s3cr3t'), 'tls.key': Buffer.from([0xde, 0xad, 0xbe, 0xef]) },
      type: 'Opaque',
      stringData: { user: 'admin' },
      immutable: true,
    });
    expect(decodeProtobufObject(body)).toEqual({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: meta,
      data: { password: 'czNjcjN0', 'tls.key': '3q2+7w==' },
      type: 'Opaque',
      stringData: { user: 'admin' },
      immutable: true,
    });
  });

  it('Service: ports with int and string targetPort, selector, status ingress', () => {
    const body = encodeBody('v1', 'Service', {
      metadata: meta,
      spec: {
        ports: [
          { name: 'http', protocol: 'TCP', port: 80, targetPort: intVal(8080), nodePort: 30080 },
          { name: 'metrics', protocol: 'TCP', port: 9090, targetPort: strVal('metrics'), nodePort: 0, appProtocol: 'http' },
        ],
        selector: { app: 'web' },
        clusterIP: '10.0.0.10',
        clusterIPs: ['10.0.0.10'],
        type: 'LoadBalancer',
        sessionAffinity: 'None',
        externalTrafficPolicy: 'Cluster',
        healthCheckNodePort: 0,
        publishNotReadyAddresses: false,
        ipFamilies: ['IPv4'],
        ipFamilyPolicy: 'SingleStack',
        allocateLoadBalancerNodePorts: true,
        internalTrafficPolicy: 'Cluster',
      },
      status: { loadBalancer: { ingress: [{ ip: '192.0.2.1', hostname: '', ipMode: 'VIP' }] } },
    });
    expect(decodeProtobufObject(body)).toEqual({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: meta,
      spec: {
        ports: [
          { name: 'http', protocol: 'TCP', port: 80, targetPort: 8080, nodePort: 30080 },
          { name: 'metrics', protocol: 'TCP', port: 9090, targetPort: 'metrics', appProtocol: 'http' },
        ],
        selector: { app: 'web' },
        clusterIP: '10.0.0.10',
        clusterIPs: ['10.0.0.10'],
        type: 'LoadBalancer',
        sessionAffinity: 'None',
        externalTrafficPolicy: 'Cluster',
        ipFamilies: ['IPv4'],
        ipFamilyPolicy: 'SingleStack',
        allocateLoadBalancerNodePorts: true,
        internalTrafficPolicy: 'Cluster',
      },
      status: { loadBalancer: { ingress: [{ ip: '192.0.2.1', ipMode: 'VIP' }] } },
    });
  });

  it('ServiceAccount', () => {
    const body = encodeBody('v1', 'ServiceAccount', {
      metadata: meta,
      secrets: [{ name: 'token' }],
      imagePullSecrets: [{ name: 'regcred' }],
      automountServiceAccountToken: false,
    });
    expect(decodeProtobufObject(body)).toEqual({
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: meta,
      secrets: [{ name: 'token' }],
      imagePullSecrets: [{ name: 'regcred' }],
      automountServiceAccountToken: false,
    });
  });
});

describe('core/v1 pods', () => {
  it('Pod: spec (containers, env, resources, inlined volume sources) and status', () => {
    const body = encodeBody('v1', 'Pod', {
      metadata: meta,
      spec: { ...protoPodSpec, nodeName: 'node-1' },
      status: {
        phase: 'Running',
        conditions: [{ type: 'Ready', status: 'True', lastProbeTime: {}, lastTransitionTime: protoTime('2024-01-02T03:04:05Z') }],
        hostIP: '10.1.0.1',
        podIP: '10.2.0.5',
        podIPs: [{ ip: '10.2.0.5' }],
        startTime: protoTime('2024-01-02T03:04:00Z'),
        containerStatuses: [{ name: 'app', ready: true, restartCount: 0, image: 'nginx:1.27', imageID: '', containerID: 'containerd://abc', started: true }],
        qosClass: 'Burstable',
      },
    });
    expect(decodeProtobufObject(body)).toEqual({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: meta,
      spec: { ...jsonPodSpec, nodeName: 'node-1' },
      status: {
        phase: 'Running',
        conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: '2024-01-02T03:04:05Z' }],
        hostIP: '10.1.0.1',
        podIP: '10.2.0.5',
        podIPs: [{ ip: '10.2.0.5' }],
        startTime: '2024-01-02T03:04:00Z',
        containerStatuses: [{ name: 'app', ready: true, restartCount: 0, image: 'nginx:1.27', imageID: '', containerID: 'containerd://abc', started: true }],
        qosClass: 'Burstable',
      },
    });
  });

  it('ReplicationController: replicas 0 is kept, selector map, template', () => {
    const body = encodeBody('v1', 'ReplicationController', {
      metadata: meta,
      spec: { replicas: 0, selector: { app: 'web' }, template: { metadata: { labels: { app: 'web' } }, spec: protoPodSpec }, minReadySeconds: 0 },
      status: { replicas: 0, observedGeneration: 2 },
    });
    expect(decodeProtobufObject(body)).toEqual({
      apiVersion: 'v1',
      kind: 'ReplicationController',
      metadata: meta,
      spec: { replicas: 0, selector: { app: 'web' }, template: { metadata: { labels: { app: 'web' } }, spec: jsonPodSpec } },
      status: { replicas: 0, observedGeneration: 2 },
    });
  });
});
