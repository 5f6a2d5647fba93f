import type { Pod } from '@skiff/core';
import { isSkiffError } from '@skiff/core';
import { describe, expect, it } from 'vitest';
import { numFeasibleNodesToFind, podRequests, quantityMilli, quantityValue } from '../src/index.js';

describe('quantities', () => {
  it.each([
    ['100m', 100, 1],
    ['1', 1000, 1],
    ['1.5', 1500, 2],
    ['0.3', 300, 1],
    [2, 2000, 2],
    [0.5, 500, 1],
    ['1Ki', 1024000, 1024],
    ['1Gi', 1073741824000, 1073741824],
    ['128Mi', 134217728000, 134217728],
    ['1k', 1000000, 1000],
    ['1M', 1e9, 1e6],
    ['1e3', 1000000, 1000],
    ['1500u', 2, 1],
  ])('%s → %d milli, %d units (rounded up)', (q, milli, value) => {
    expect(quantityMilli(q)).toBe(milli);
    expect(quantityValue(q)).toBe(value);
  });

  it('refuses what is not a quantity', () => {
    let err: unknown;
    try {
      quantityMilli('ten');
    } catch (e) {
      err = e;
    }
    expect(isSkiffError(err, 'SKIFF_ERR_SCHEMA_INVALID')).toBe(true);
  });
});

const container = (name: string, cpu: string, memory: string, restartPolicy?: string) => ({
  name,
  image: 'busybox',
  resources: { requests: { cpu, memory } },
  ...(restartPolicy ? { restartPolicy } : {}),
});

describe('podRequests (Kubernetes PodRequests)', () => {
  it('sums containers and raises to the largest init container, plus overhead', () => {
    const pod: Pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'p' },
      spec: {
        containers: [container('a', '100m', '100Mi'), container('b', '200m', '50Mi')],
        initContainers: [container('i1', '500m', '10Mi'), container('i2', '50m', '120Mi')],
        overhead: { cpu: '10m', memory: '1Mi' },
      },
    };
    const r = podRequests(pod);
    expect(r.milliCPU).toBe(510); // max(300, 500) + 10
    expect(r.memory).toBe((150 + 1) * 1024 * 1024); // max(150Mi, 120Mi) + 1Mi
    expect(r.pods).toBe(1);
  });

  it('counts restartable (sidecar) init containers with the app containers and with later init containers', () => {
    const pod: Pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'p' },
      spec: {
        containers: [container('app', '100m', '10Mi')],
        initContainers: [container('sidecar', '200m', '10Mi', 'Always'), container('setup', '250m', '10Mi')],
      },
    };
    // sum = app + sidecar = 300m; init peak = setup + sidecar = 450m.
    expect(podRequests(pod).milliCPU).toBe(450);
  });
});

describe('numFeasibleNodesToFind (percentageOfNodesToScore)', () => {
  it.each([
    [undefined, 50, 50],
    [undefined, 100, 100],
    [undefined, 1_000, 420],
    [undefined, 5_000, 500],
    [undefined, 6_000, 300],
    [undefined, 100_000, 5_000],
    [10, 500, 100],
    [30, 1_000, 300],
    [100, 5_000, 5_000],
  ])('percentage %s of %d nodes → %d', (pct, nodes, expected) => {
    expect(numFeasibleNodesToFind(pct, nodes)).toBe(expected);
  });
});
