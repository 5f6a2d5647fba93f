import { describe, expect, it } from 'vitest';
import type { Pod, Service } from '@skiff/core';
import { endpointSubsets, findPort } from '../src/endpoints/index.js';

const svc = (spec: Partial<NonNullable<Service['spec']>>): Service => ({ apiVersion: 'v1', kind: 'Service', metadata: { name: 's', namespace: 'default' }, spec }) as Service;
const pod = (name: string, ip: string | undefined, ready: boolean, ports: { name?: string; containerPort: number; protocol?: 'TCP' | 'UDP' }[] = [], extra: Partial<Pod['metadata']> = {}, phase = 'Running'): Pod =>
  ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default', uid: `uid-${name}`, ...extra },
    spec: { nodeName: 'n1', containers: [{ name: 'a', image: 'x:1', ports }] },
    status: { phase, ...(ip ? { podIP: ip } : {}), conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] },
  }) as Pod;

describe('findPort', () => {
  it.each([
    ['a number', { port: 80, targetPort: 8080 }, 8080],
    ['no targetPort: the port', { port: 80 }, 80],
    ['a numeric string', { port: 80, targetPort: '81' }, 81],
    ['a name', { port: 80, targetPort: 'http' }, 9000],
    ['a name with another protocol', { port: 80, targetPort: 'http', protocol: 'UDP' as const }, undefined],
    ['a missing name', { port: 80, targetPort: 'grpc' }, undefined],
  ])('%s', (_n, sp, expected) => {
    expect(findPort(pod('p', '127.10.1.2', true, [{ name: 'http', containerPort: 9000 }]), sp as never)).toBe(expected);
  });
});

describe('endpointSubsets', () => {
  it('groups addresses by port set, ready and not ready apart, sorted by IP; leaves out pods without IP, finished or terminating', () => {
    const service = svc({ selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }] });
    const subsets = endpointSubsets(service, [
      pod('b', '127.10.1.10', true, [{ name: 'http', containerPort: 8080 }]),
      pod('a', '127.10.1.9', true, [{ name: 'http', containerPort: 8080 }]),
      pod('c', '127.10.1.11', false, [{ name: 'http', containerPort: 8080 }]),
      pod('d', '127.10.1.12', true, [{ name: 'http', containerPort: 9090 }]),
      pod('e', '127.10.1.13', true, []),
      pod('f', undefined, true, [{ name: 'http', containerPort: 8080 }]),
      pod('g', '127.10.1.14', true, [{ name: 'http', containerPort: 8080 }], { deletionTimestamp: '2026-01-01T00:00:00Z' }),
      pod('h', '127.10.1.15', false, [{ name: 'http', containerPort: 8080 }], {}, 'Succeeded'),
    ]);
    expect(subsets.map((s) => ({ ports: s.ports?.map((p) => p.port), ready: s.addresses?.map((a) => a.targetRef?.name), notReady: s.notReadyAddresses?.map((a) => a.targetRef?.name) }))).toEqual([
      { ports: [8080], ready: ['a', 'b'], notReady: ['c'] },
      { ports: [9090], ready: ['d'], notReady: undefined },
    ]);
  });

  it('publishNotReadyAddresses lists every pod, terminating ones included, as ready', () => {
    const service = svc({ selector: { app: 'web' }, publishNotReadyAddresses: true, ports: [{ port: 80 }] });
    const subsets = endpointSubsets(service, [pod('a', '127.10.1.9', false), pod('g', '127.10.1.14', true, [], { deletionTimestamp: '2026-01-01T00:00:00Z' })]);
    expect(subsets).toHaveLength(1);
    expect(subsets[0]!.addresses?.map((a) => a.ip)).toEqual(['127.10.1.9', '127.10.1.14']);
    expect(subsets[0]!.notReadyAddresses).toBeUndefined();
  });
});
