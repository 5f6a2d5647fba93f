/**
 * Round trips for the PodSpec/Container satellites: probes and lifecycle hooks (with inlined
 * handlers), security contexts, envFrom, downward API and projected volumes, container states,
 * affinity and topology spread.
 */
import { describe, expect, it } from 'vitest';
import { decodeProtobufObject } from '../../src/protobuf/index.js';
import { encodeBody, intVal, protoTime, qty, strVal } from './encode.js';

describe('core/v1 Pod extras', () => {
  it('decodes probes, lifecycle, security contexts, envFrom and pod-level extras', () => {
    const body = encodeBody('v1', 'Pod', {
      metadata: { name: 'p' },
      spec: {
        containers: [
          {
            name: 'app',
            image: 'nginx',
            livenessProbe: { handler: { httpGet: { path: '/healthz', port: strVal('http'), scheme: 'HTTP', httpHeaders: [{ name: 'X-A', value: '' }] } }, periodSeconds: 10, failureThreshold: 3 },
            readinessProbe: { handler: { tcpSocket: { port: intVal(8080), host: '' } }, initialDelaySeconds: 0 },
            startupProbe: { handler: { exec: { command: ['cat', '/tmp/ok'] } }, terminationGracePeriodSeconds: 0 },
            lifecycle: { preStop: { sleep: { seconds: 5 } }, postStart: { exec: { command: ['true'] } } },
            securityContext: {
              capabilities: { drop: ['ALL'] },
              privileged: false,
              runAsUser: 1000,
              allowPrivilegeEscalation: false,
              readOnlyRootFilesystem: true,
              seccompProfile: { type: 'RuntimeDefault' },
            },
            envFrom: [{ prefix: 'CFG_', configMapRef: { localObjectReference: { name: 'cfg' }, optional: true } }, { secretRef: { localObjectReference: { name: 'sec' } } }],
            env: [{ name: 'MEM', valueFrom: { resourceFieldRef: { containerName: 'app', resource: 'limits.memory', divisor: qty('1Mi') } } }],
          },
        ],
        volumes: [
          {
            name: 'kube-api-access',
            volumeSource: {
              projected: {
                defaultMode: 420,
                sources: [
                  { serviceAccountToken: { expirationSeconds: 3607, path: 'token', audience: '' } },
                  { configMap: { localObjectReference: { name: 'kube-root-ca.crt' }, items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
                  { downwardAPI: { items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }] } },
                ],
              },
            },
          },
          { name: 'labels', volumeSource: { downwardAPI: { items: [{ path: 'labels', fieldRef: { fieldPath: 'metadata.labels' } }], defaultMode: 420 } } },
        ],
        securityContext: { sysctls: [{ name: 'net.core.somaxconn', value: '1024' }], seccompProfile: { type: 'RuntimeDefault' }, fsGroupChangePolicy: 'OnRootMismatch' },
        hostAliases: [{ ip: '127.0.0.1', hostnames: ['foo.local'] }],
        dnsConfig: { nameservers: ['1.1.1.1'], options: [{ name: 'ndots', value: '2' }] },
        readinessGates: [{ conditionType: 'example.com/ready' }],
        os: { name: 'linux' },
        schedulingGates: [{ name: 'example.com/gate' }],
        overhead: { cpu: qty('250m') },
      },
      status: {
        hostIPs: [{ ip: '10.1.0.1' }],
        containerStatuses: [
          {
            name: 'app',
            state: { running: { startedAt: protoTime('2024-01-02T03:04:05Z') } },
            lastState: { terminated: { exitCode: 0, reason: 'Completed', startedAt: protoTime('2024-01-02T03:00:00Z'), finishedAt: protoTime('2024-01-02T03:04:00Z') } },
            ready: true,
            restartCount: 1,
            image: 'nginx',
            imageID: 'docker.io/library/nginx@sha256:0',
          },
        ],
      },
    });
    expect(decodeProtobufObject(body)).toEqual({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'p' },
      spec: {
        containers: [
          {
            name: 'app',
            image: 'nginx',
            livenessProbe: { httpGet: { path: '/healthz', port: 'http', scheme: 'HTTP', httpHeaders: [{ name: 'X-A', value: '' }] }, periodSeconds: 10, failureThreshold: 3 },
            readinessProbe: { tcpSocket: { port: 8080 } },
            startupProbe: { exec: { command: ['cat', '/tmp/ok'] }, terminationGracePeriodSeconds: 0 },
            lifecycle: { preStop: { sleep: { seconds: 5 } }, postStart: { exec: { command: ['true'] } } },
            securityContext: {
              capabilities: { drop: ['ALL'] },
              privileged: false,
              runAsUser: 1000,
              allowPrivilegeEscalation: false,
              readOnlyRootFilesystem: true,
              seccompProfile: { type: 'RuntimeDefault' },
            },
            envFrom: [{ prefix: 'CFG_', configMapRef: { name: 'cfg', optional: true } }, { secretRef: { name: 'sec' } }],
            env: [{ name: 'MEM', valueFrom: { resourceFieldRef: { containerName: 'app', resource: 'limits.memory', divisor: '1Mi' } } }],
          },
        ],
        volumes: [
          {
            name: 'kube-api-access',
            projected: {
              defaultMode: 420,
              sources: [
                { serviceAccountToken: { expirationSeconds: 3607, path: 'token' } },
                { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
                { downwardAPI: { items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }] } },
              ],
            },
          },
          { name: 'labels', downwardAPI: { items: [{ path: 'labels', fieldRef: { fieldPath: 'metadata.labels' } }], defaultMode: 420 } },
        ],
        securityContext: { sysctls: [{ name: 'net.core.somaxconn', value: '1024' }], seccompProfile: { type: 'RuntimeDefault' }, fsGroupChangePolicy: 'OnRootMismatch' },
        hostAliases: [{ ip: '127.0.0.1', hostnames: ['foo.local'] }],
        dnsConfig: { nameservers: ['1.1.1.1'], options: [{ name: 'ndots', value: '2' }] },
        readinessGates: [{ conditionType: 'example.com/ready' }],
        os: { name: 'linux' },
        schedulingGates: [{ name: 'example.com/gate' }],
        overhead: { cpu: '250m' },
      },
      status: {
        hostIPs: [{ ip: '10.1.0.1' }],
        containerStatuses: [
          {
            name: 'app',
            state: { running: { startedAt: '2024-01-02T03:04:05Z' } },
            lastState: { terminated: { exitCode: 0, reason: 'Completed', startedAt: '2024-01-02T03:00:00Z', finishedAt: '2024-01-02T03:04:00Z' } },
            ready: true,
            restartCount: 1,
            image: 'nginx',
            imageID: 'docker.io/library/nginx@sha256:0',
          },
        ],
      },
    });
  });

  it('decodes affinity and topology spread constraints', () => {
    const term = { labelSelector: { matchLabels: { app: 'web' } }, topologyKey: 'kubernetes.io/hostname', namespaces: [] };
    const spec = {
      containers: [{ name: 'app', image: 'nginx' }],
      affinity: {
        nodeAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'zone', operator: 'In', values: ['a', 'b'] }] }] },
          preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 0, preference: { matchFields: [{ key: 'metadata.name', operator: 'NotIn', values: ['n1'] }] } }],
        },
        podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 100, podAffinityTerm: term }] },
        podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term] },
      },
      topologySpreadConstraints: [{ maxSkew: 1, topologyKey: 'zone', whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: { app: 'web' } }, minDomains: 2 }],
    };
    const body = encodeBody('apps/v1', 'Deployment', { metadata: { name: 'web' }, spec: { template: { metadata: {}, spec } } });
    const jsonTerm = { labelSelector: { matchLabels: { app: 'web' } }, topologyKey: 'kubernetes.io/hostname' };
    expect(decodeProtobufObject(body)).toEqual({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web' },
      spec: {
        template: {
          metadata: {},
          spec: {
            containers: [{ name: 'app', image: 'nginx' }],
            affinity: {
              nodeAffinity: {
                requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'zone', operator: 'In', values: ['a', 'b'] }] }] },
                preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 0, preference: { matchFields: [{ key: 'metadata.name', operator: 'NotIn', values: ['n1'] }] } }],
              },
              podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 100, podAffinityTerm: jsonTerm }] },
              podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [jsonTerm] },
            },
            topologySpreadConstraints: [{ maxSkew: 1, topologyKey: 'zone', whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: { app: 'web' } }, minDomains: 2 }],
          },
        },
      },
    });
  });
});
