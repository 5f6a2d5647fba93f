import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Cluster, Secret, Service } from '../../src/index.js';
import { create, startCluster } from './harness.js';

let cluster: Cluster;
beforeAll(async () => {
  cluster = await startCluster();
});
afterAll(async () => {
  await cluster.stop();
});

describe('Service defaults', () => {
  it('defaults type, affinity, policies, port protocol and targetPort', async () => {
    const svc = (await create(cluster, {
      kind: 'Service',
      metadata: { name: 'web' },
      spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: 80 }, { name: 'dns', port: 53, protocol: 'UDP', targetPort: 5353 }, { name: 'named', port: 8080, targetPort: 'http' }] },
    })) as unknown as Service;
    expect(svc.spec).toMatchObject({
      type: 'ClusterIP',
      sessionAffinity: 'None',
      internalTrafficPolicy: 'Cluster',
      ipFamilyPolicy: 'SingleStack',
      ports: [
        { name: 'http', port: 80, protocol: 'TCP', targetPort: 80 },
        { name: 'dns', port: 53, protocol: 'UDP', targetPort: 5353 },
        { name: 'named', port: 8080, protocol: 'TCP', targetPort: 'http' },
      ],
    });
    expect(svc.spec!.externalTrafficPolicy).toBeUndefined();
  });

  it('NodePort gets externalTrafficPolicy; ClientIP affinity gets its timeout; ExternalName gets no IP policies', async () => {
    const nodePort = (await create(cluster, {
      kind: 'Service',
      metadata: { name: 'np' },
      spec: { type: 'NodePort', sessionAffinity: 'ClientIP', selector: { app: 'web' }, ports: [{ port: 80 }] },
    })) as unknown as Service;
    expect(nodePort.spec).toMatchObject({ externalTrafficPolicy: 'Cluster', sessionAffinityConfig: { clientIP: { timeoutSeconds: 10800 } } });
    const external = (await create(cluster, { kind: 'Service', metadata: { name: 'ext' }, spec: { type: 'ExternalName', externalName: 'example.com' } })) as unknown as Service;
    expect(external.spec!.ipFamilyPolicy).toBeUndefined();
    expect(external.spec!.internalTrafficPolicy).toBeUndefined();
  });
});

describe('Secret defaults', () => {
  it('defaults type to Opaque and keeps a set type', async () => {
    const plain = (await create(cluster, { kind: 'Secret', metadata: { name: 's' }, data: {} })) as unknown as Secret;
    expect(plain.type).toBe('Opaque');
    const tls = (await create(cluster, { kind: 'Secret', metadata: { name: 't' }, type: 'kubernetes.io/tls', data: {} })) as unknown as Secret;
    expect(tls.type).toBe('kubernetes.io/tls');
  });
});
