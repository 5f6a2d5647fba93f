import { afterEach, describe, expect, it } from 'vitest';
import type { Endpoints, Pod, Service } from '@skiff/core';
import { eventually, type TestCluster } from '@skiff/sdk/testing';
import { endpointsController } from '../src/endpoints/index.js';
import { clusterWith, exists, getOrUndefined, nodes, pod } from './cluster-fixtures-2.js';

let tc: TestCluster;
afterEach(() => tc?.stop());

const TIMEOUT = { timeoutMs: 30_000 };
const services = () => tc.client.resource('v1', 'Service');
const pods = () => tc.client.resource('v1', 'Pod');
const getEndpoints = (name: string) => getOrUndefined<Endpoints>(tc.client, 'v1', 'Endpoints', name, 'default');

function service(name: string, spec: Partial<NonNullable<Service['spec']>>): Service {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: 'default', labels: { tier: 'front' } }, spec } as Service;
}

/** A web pod on n1 with a named port; `readyAfterMs` delays its readiness probe. */
function webPod(name: string, annotations: Record<string, string> = {}, named = true): Pod {
  return pod(
    name,
    { labels: { app: 'web' }, annotations },
    {
      nodeName: 'n1',
      containers: [
        {
          name: 'app',
          image: 'busybox:1.36',
          ports: named ? [{ name: 'http', containerPort: 8080 }] : [{ containerPort: 9090 }],
          readinessProbe: { exec: { command: ['true'] }, periodSeconds: 1 },
        },
      ],
    },
  );
}

const ips = (list: { ip: string }[] | undefined) => (list ?? []).map((a) => a.ip);

describe('endpoints controller', () => {
  it('lists ready and not-ready pods with resolved ports, follows readiness, drops terminating pods and goes with the service', async () => {
    tc = await clusterWith(...nodes(['n1']), endpointsController());
    await services().create(service('web', { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }, { name: 'metrics', port: 9000, targetPort: 9100 }] }));
    await pods().create(webPod('a'));
    await pods().create(webPod('b', { 'skiff.dev/mock-unhealthy': 'true' }));
    await pods().create(webPod('c', {}, false)); // no port named http
    await pods().create(pod('other', { labels: { app: 'db' } }, { nodeName: 'n1' }));
    const podIp = async (name: string) => (await pods().get(name, { namespace: 'default' })).status?.podIP;

    await eventually(async () => {
      const [a, b, c] = [await podIp('a'), await podIp('b'), await podIp('c')];
      expect(a && b && c).toBeTruthy();
      const ep = await getEndpoints('web');
      expect(ep?.metadata.labels).toMatchObject({ tier: 'front' });
      expect(ep?.subsets).toEqual([
        {
          ports: [{ name: 'http', port: 8080, protocol: 'TCP' }, { name: 'metrics', port: 9100, protocol: 'TCP' }],
          addresses: [{ ip: a, nodeName: 'n1', targetRef: expect.objectContaining({ kind: 'Pod', name: 'a', namespace: 'default' }) }],
          notReadyAddresses: [expect.objectContaining({ ip: b, targetRef: expect.objectContaining({ name: 'b' }) })],
        },
        { ports: [{ name: 'metrics', port: 9100, protocol: 'TCP' }], addresses: [expect.objectContaining({ ip: c })] },
      ]);
    }, TIMEOUT);

    // a terminating pod leaves; with publishNotReadyAddresses everything is under addresses.
    await pods().delete('a', { namespace: 'default' });
    await eventually(async () => {
      const ep = await getEndpoints('web');
      expect(ep?.subsets?.flatMap((s) => [...(s.addresses ?? []), ...(s.notReadyAddresses ?? [])]).map((x) => x.targetRef?.name).sort()).toEqual(['b', 'c']);
    }, TIMEOUT);
    const svc = await services().get('web', { namespace: 'default' });
    await services().update({ ...svc, spec: { ...svc.spec, publishNotReadyAddresses: true } });
    await eventually(async () => {
      const ep = await getEndpoints('web');
      expect(ep?.subsets?.every((s) => !s.notReadyAddresses)).toBe(true);
      expect(ep?.subsets?.flatMap((s) => ips(s.addresses))).toContain(await podIp('b'));
    }, TIMEOUT);

    await services().delete('web', { namespace: 'default' });
    await eventually(async () => expect(await exists(tc.client, 'v1', 'Endpoints', 'web', 'default')).toBe(false), TIMEOUT);
  });

  it('moves a pod from notReadyAddresses to addresses when it turns ready', async () => {
    tc = await clusterWith(...nodes(['n1']), endpointsController());
    await services().create(service('web', { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }] }));
    await pods().create(webPod('late', { 'skiff.dev/mock-ready-after-ms': '3000' }));
    const names = (list: { targetRef?: { name?: string } }[] | undefined) => (list ?? []).map((a) => a.targetRef?.name);
    await eventually(async () => {
      const ep = await getEndpoints('web');
      expect(names(ep?.subsets?.[0]?.notReadyAddresses)).toEqual(['late']);
      expect(ep?.subsets?.[0]?.addresses).toBeUndefined();
    }, TIMEOUT);
    await eventually(async () => {
      const ep = await getEndpoints('web');
      expect(names(ep?.subsets?.[0]?.addresses)).toEqual(['late']);
      expect(ep?.subsets?.[0]?.notReadyAddresses).toBeUndefined();
    }, TIMEOUT);
  });

  it('removes its Endpoints when the service loses its selector, and leaves user-managed ones alone', async () => {
    tc = await clusterWith(...nodes(['n1']), endpointsController());
    await services().create(service('managed', { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080 }] }));
    await eventually(async () => expect(await getEndpoints('managed')).toBeDefined(), TIMEOUT);
    const svc = await services().get('managed', { namespace: 'default' });
    const { selector: _s, ...rest } = svc.spec!;
    await services().update({ ...svc, spec: rest });
    await eventually(async () => expect(await getEndpoints('managed')).toBeUndefined(), TIMEOUT);

    await services().create(service('external', { ports: [{ port: 80 }] }));
    await tc.client.resource('v1', 'Endpoints').create({ apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'external', namespace: 'default' }, subsets: [{ addresses: [{ ip: '127.0.0.9' }], ports: [{ port: 80 }] }] });
    await services().create(service('probe', { selector: { app: 'none' }, ports: [{ port: 80 }] }));
    await eventually(async () => expect(await getEndpoints('probe')).toBeDefined(), TIMEOUT); // the controller has caught up
    expect((await getEndpoints('external'))?.subsets?.[0]?.addresses).toEqual([{ ip: '127.0.0.9' }]);
  });
});
