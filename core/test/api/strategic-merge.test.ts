import fc from 'fast-check';
import jsonMergePatch from 'json-merge-patch';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createBuiltinSchemaRegistry,
  createCluster,
  isApiError,
  PatchSchema,
  strategicMergePatch,
  type Cluster,
  type KubeObject,
  type ResourceInfo,
} from '../../src/index.js';

const registry = createBuiltinSchemaRegistry();
const deploymentSchema = PatchSchema.forKind(registry, 'apps/v1', 'Deployment');
const podSchema = PatchSchema.forKind(registry, 'v1', 'Pod');

type Json = Record<string, unknown>;

/** A Deployment whose pod template has the given spec (merged over one `app` container). */
function deployment(podSpec: Json = {}, extra: Json = {}): Json {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'default', labels: { app: 'web', tier: 'front' } },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: 'web' } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: { containers: [{ name: 'app', image: 'nginx:1' }], ...podSpec },
      },
      ...extra,
    },
  };
}

const podSpecPatch = (spec: Json): Json => ({ spec: { template: { spec } } });
const podSpecOf = (obj: Json): Json => ((obj['spec'] as Json)['template'] as Json)['spec'] as Json;

interface Case {
  name: string;
  original: Json;
  patch: Json;
  /** The expected pod template spec of the result (or `check` for anything else). */
  podSpec?: Json;
  check?: (result: Json) => void;
}

const cases: Case[] = [
  {
    name: 'containers merge by name: a patched field changes, the rest stays',
    original: deployment({ containers: [{ name: 'app', image: 'nginx:1', args: ['-v'] }, { name: 'side', image: 'busybox' }] }),
    patch: podSpecPatch({ containers: [{ name: 'side', image: 'busybox:2' }] }),
    podSpec: { containers: [{ name: 'app', image: 'nginx:1', args: ['-v'] }, { name: 'side', image: 'busybox:2' }] },
  },
  {
    // Kubernetes' docs (kubectl patch, "Use a strategic merge patch"): the new container comes first.
    name: 'a container with a new name is added (before the live ones, as Kubernetes orders it)',
    original: deployment(),
    patch: podSpecPatch({ containers: [{ name: 'redis', image: 'redis' }] }),
    podSpec: { containers: [{ name: 'redis', image: 'redis' }, { name: 'app', image: 'nginx:1' }] },
  },
  {
    name: 'env merges by name',
    original: deployment({ containers: [{ name: 'app', image: 'nginx:1', env: [{ name: 'A', value: '1' }, { name: 'B', value: '2' }] }] }),
    patch: podSpecPatch({ containers: [{ name: 'app', env: [{ name: 'B', value: '20' }] }] }),
    podSpec: { containers: [{ name: 'app', image: 'nginx:1', env: [{ name: 'A', value: '1' }, { name: 'B', value: '20' }] }] },
  },
  {
    name: 'ports merge by containerPort',
    original: deployment({ containers: [{ name: 'app', image: 'nginx:1', ports: [{ containerPort: 80, name: 'http' }, { containerPort: 443 }] }] }),
    patch: podSpecPatch({ containers: [{ name: 'app', ports: [{ containerPort: 80, name: 'web' }] }] }),
    podSpec: { containers: [{ name: 'app', image: 'nginx:1', ports: [{ containerPort: 80, name: 'web' }, { containerPort: 443 }] }] },
  },
  {
    name: '$patch: delete in a list item removes the item with that merge key',
    original: deployment({ containers: [{ name: 'app', image: 'nginx:1' }, { name: 'side', image: 'busybox' }] }),
    patch: podSpecPatch({ containers: [{ name: 'side', $patch: 'delete' }] }),
    podSpec: { containers: [{ name: 'app', image: 'nginx:1' }] },
  },
  {
    name: '$patch: replace in a list replaces the list with the other items',
    original: deployment({ containers: [{ name: 'app', image: 'nginx:1' }, { name: 'side', image: 'busybox' }] }),
    patch: podSpecPatch({ containers: [{ $patch: 'replace' }, { name: 'only', image: 'alpine' }] }),
    podSpec: { containers: [{ name: 'only', image: 'alpine' }] },
  },
  {
    name: '$patch: replace on a map replaces the map',
    original: deployment({ nodeSelector: { disk: 'hdd', zone: 'a' } }),
    patch: podSpecPatch({ nodeSelector: { $patch: 'replace', disk: 'ssd' } }),
    podSpec: { containers: [{ name: 'app', image: 'nginx:1' }], nodeSelector: { disk: 'ssd' } },
  },
  {
    name: '$patch: delete on a map deletes the map',
    original: deployment({ nodeSelector: { disk: 'hdd' } }),
    patch: podSpecPatch({ nodeSelector: { $patch: 'delete' } }),
    podSpec: { containers: [{ name: 'app', image: 'nginx:1' }] },
  },
  {
    // Kubernetes' docs: switching a Deployment to Recreate with $retainKeys drops rollingUpdate.
    name: '$retainKeys keeps only the listed keys (deployment strategy)',
    original: deployment({}, { strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1 } } }),
    patch: { spec: { strategy: { $retainKeys: ['type'], type: 'Recreate' } } },
    check: (r) => expect((r['spec'] as Json)['strategy']).toEqual({ type: 'Recreate' }),
  },
  {
    name: '$retainKeys in a volume item (volumes: merge,retainKeys) swaps the volume source',
    original: deployment({ volumes: [{ name: 'data', emptyDir: {} }, { name: 'cfg', configMap: { name: 'c' } }] }),
    patch: podSpecPatch({ volumes: [{ name: 'data', hostPath: { path: '/srv' }, $retainKeys: ['name', 'hostPath'] }] }),
    podSpec: {
      containers: [{ name: 'app', image: 'nginx:1' }],
      volumes: [{ name: 'data', hostPath: { path: '/srv' } }, { name: 'cfg', configMap: { name: 'c' } }],
    },
  },
  {
    name: '$setElementOrder orders a merged list of maps',
    original: deployment({ containers: [{ name: 'a', image: 'a' }, { name: 'b', image: 'b' }, { name: 'c', image: 'c' }] }),
    patch: podSpecPatch({ '$setElementOrder/containers': [{ name: 'c' }, { name: 'a' }, { name: 'b' }] }),
    podSpec: { containers: [{ name: 'c', image: 'c' }, { name: 'a', image: 'a' }, { name: 'b', image: 'b' }] },
  },
  {
    name: '$setElementOrder with a new item puts it where listed; unlisted live items keep their order after',
    original: deployment({ containers: [{ name: 'a', image: 'a' }, { name: 'b', image: 'b' }, { name: 'x', image: 'x' }] }),
    patch: podSpecPatch({ '$setElementOrder/containers': [{ name: 'b' }, { name: 'new' }, { name: 'a' }], containers: [{ name: 'new', image: 'n' }] }),
    podSpec: { containers: [{ name: 'b', image: 'b' }, { name: 'new', image: 'n' }, { name: 'a', image: 'a' }, { name: 'x', image: 'x' }] },
  },
  {
    name: '$setElementOrder orders a primitive list (finalizers)',
    original: { ...deployment(), metadata: { name: 'web', finalizers: ['a', 'b', 'c'] } },
    patch: { metadata: { '$setElementOrder/finalizers': ['b', 'c', 'a'] } },
    check: (r) => expect((r['metadata'] as Json)['finalizers']).toEqual(['b', 'c', 'a']),
  },
  {
    name: '$deleteFromPrimitiveList removes values from a primitive list',
    original: { ...deployment(), metadata: { name: 'web', finalizers: ['a', 'b', 'c'] } },
    patch: { metadata: { '$deleteFromPrimitiveList/finalizers': ['b'] } },
    check: (r) => expect((r['metadata'] as Json)['finalizers']).toEqual(['a', 'c']),
  },
  {
    name: 'primitive lists with strategy merge are a union (finalizers)',
    original: { ...deployment(), metadata: { name: 'web', finalizers: ['a', 'b'] } },
    patch: { metadata: { finalizers: ['b', 'c'] } },
    check: (r) => expect([...((r['metadata'] as Json)['finalizers'] as string[])].sort()).toEqual(['a', 'b', 'c']),
  },
  {
    name: 'null deletes a key',
    original: deployment(),
    patch: { metadata: { labels: { tier: null } }, spec: { replicas: null } },
    check: (r) => {
      expect((r['metadata'] as Json)['labels']).toEqual({ app: 'web' });
      expect(r['spec']).not.toHaveProperty('replicas');
    },
  },
  {
    name: 'atomic lists are replaced (container args and command)',
    original: deployment({ containers: [{ name: 'app', image: 'nginx:1', command: ['nginx'], args: ['-a', '-b'] }] }),
    patch: podSpecPatch({ containers: [{ name: 'app', args: ['-c'] }] }),
    podSpec: { containers: [{ name: 'app', image: 'nginx:1', command: ['nginx'], args: ['-c'] }] },
  },
  {
    // Kubernetes' docs: tolerations have no patch strategy, so a patch replaces the list.
    name: 'tolerations are replaced',
    original: deployment({ tolerations: [{ key: 'a', operator: 'Exists', effect: 'NoSchedule' }] }),
    patch: podSpecPatch({ tolerations: [{ key: 'disktype', value: 'ssd', operator: 'Equal', effect: 'NoSchedule' }] }),
    podSpec: { containers: [{ name: 'app', image: 'nginx:1' }], tolerations: [{ key: 'disktype', value: 'ssd', operator: 'Equal', effect: 'NoSchedule' }] },
  },
  {
    name: 'a new nested map arrives without nulls or directives',
    original: deployment(),
    patch: podSpecPatch({ securityContext: { runAsUser: 1000, fsGroup: null, seccompProfile: { $patch: 'replace', type: 'RuntimeDefault' } } }),
    podSpec: { containers: [{ name: 'app', image: 'nginx:1' }], securityContext: { runAsUser: 1000, seccompProfile: { type: 'RuntimeDefault' } } },
  },
  {
    name: 'a kubectl client-side apply patch with $setElementOrder/containers and env',
    original: deployment({
      containers: [
        { name: 'app', image: 'nginx:1', env: [{ name: 'A', value: '1' }, { name: 'OLD', value: 'x' }] },
        { name: 'metrics', image: 'prom:1' },
      ],
    }),
    patch: {
      metadata: { annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{"spec":{}}\n' } },
      spec: {
        replicas: 3,
        template: {
          spec: {
            '$setElementOrder/containers': [{ name: 'log' }, { name: 'app' }, { name: 'metrics' }],
            containers: [
              { name: 'log', image: 'fluent:1' },
              { name: 'app', image: 'nginx:2', '$setElementOrder/env': [{ name: 'A' }, { name: 'B' }], env: [{ name: 'B', value: '2' }, { name: 'OLD', $patch: 'delete' }] },
            ],
          },
        },
      },
    },
    check: (r) => {
      expect((r['spec'] as Json)['replicas']).toBe(3);
      expect((r['metadata'] as Json)['annotations']).toEqual({ 'kubectl.kubernetes.io/last-applied-configuration': '{"spec":{}}\n' });
      expect(podSpecOf(r)).toEqual({
        containers: [
          { name: 'log', image: 'fluent:1' },
          { name: 'app', image: 'nginx:2', env: [{ name: 'A', value: '1' }, { name: 'B', value: '2' }] },
          { name: 'metrics', image: 'prom:1' },
        ],
      });
    },
  },
];

describe('strategic merge patch (schema-driven)', () => {
  it.each(cases)('$name', ({ original, patch, podSpec, check }) => {
    const before = structuredClone(original);
    const patchCopy = structuredClone(patch);
    const result = strategicMergePatch(original, patch, deploymentSchema);
    expect(original).toEqual(before);
    expect(patch).toEqual(patchCopy);
    if (podSpec) expect(podSpecOf(result)).toEqual(podSpec);
    check?.(result);
    expect(JSON.stringify(result)).not.toContain('"$');
  });

  it('merges Pod containers by name and keeps conditions keyed by type', () => {
    const pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'p' },
      spec: { containers: [{ name: 'a', image: 'a:1' }, { name: 'b', image: 'b:1' }] },
      status: { conditions: [{ type: 'Ready', status: 'False' }, { type: 'Initialized', status: 'True' }] },
    };
    const out = strategicMergePatch(pod, { spec: { containers: [{ name: 'b', image: 'b:2' }] }, status: { conditions: [{ type: 'Ready', status: 'True' }] } }, podSchema);
    expect(out['spec']).toEqual({ containers: [{ name: 'a', image: 'a:1' }, { name: 'b', image: 'b:2' }] });
    expect((out['status'] as Json)['conditions']).toEqual([{ type: 'Ready', status: 'True' }, { type: 'Initialized', status: 'True' }]);
  });

  it('without a schema merges maps and replaces lists', () => {
    const out = strategicMergePatch({ a: { b: 1, c: [1, 2] }, d: [{ name: 'x' }] }, { a: { c: [3] }, d: [{ name: 'y' }] });
    expect(out).toEqual({ a: { b: 1, c: [3] }, d: [{ name: 'y' }] });
  });

  it.each([
    ['a merged list item without its merge key', podSpecPatch({ containers: [{ image: 'x' }] })],
    ['an unknown $patch directive', podSpecPatch({ containers: [{ name: 'app', $patch: 'explode' }] })],
    ['an unknown $patch on a map', { spec: { $patch: 'nope' } }],
    ['$retainKeys that is not a list', { spec: { strategy: { $retainKeys: 'type' } } }],
    ['an unknown directive', { spec: { $frobnicate: 1 } }],
  ])('refuses %s with 400', (_what, patch) => {
    let caught: unknown;
    try {
      strategicMergePatch(deployment(), patch, deploymentSchema);
    } catch (err) {
      caught = err;
    }
    expect(isApiError(caught, 400)).toBe(true);
  });

  it('equals RFC 7386 merge patch for merge-only patches (maps of scalars, no lists)', () => {
    const key = fc.constantFrom('a', 'b', 'c', 'd', 'metadata', 'spec', 'x-y');
    const scalar = fc.oneof(fc.string({ maxLength: 4 }), fc.integer(), fc.boolean());
    const { doc } = fc.letrec<{ doc: Json; value: unknown }>((tie) => ({
      doc: fc.dictionary(key, tie('value'), { maxKeys: 4 }) as fc.Arbitrary<Json>,
      value: fc.oneof({ depthSize: 'small', withCrossShrink: true }, scalar, tie('doc')),
    }));
    const { patch } = fc.letrec<{ patch: Json; value: unknown }>((tie) => ({
      patch: fc.dictionary(key, tie('value'), { maxKeys: 4 }) as fc.Arbitrary<Json>,
      value: fc.oneof({ depthSize: 'small', withCrossShrink: true }, scalar, fc.constant(null), tie('patch')),
    }));
    fc.assert(
      fc.property(doc, patch, (original, p) => {
        const expected = jsonMergePatch.apply(structuredClone(original), structuredClone(p)) as Json;
        expect(strategicMergePatch(original, p)).toEqual(expected);
        expect(strategicMergePatch(original, p, deploymentSchema)).toEqual(expected);
      }),
      { numRuns: 300 },
    );
  });
});

describe('strategic merge patch through the API request path', () => {
  let cluster: Cluster;
  let res: ResourceInfo;
  beforeEach(async () => {
    cluster = await createCluster();
    await cluster.start();
    res = cluster.resources.require('apps/v1', 'Deployment');
    await cluster.api.create(res, 'default', deployment({ containers: [{ name: 'app', image: 'nginx:1' }, { name: 'side', image: 'busybox' }] }) as KubeObject);
  });
  afterEach(async () => {
    await cluster.stop();
  });

  it('patches a Deployment, stores no directive and bumps generation', async () => {
    const patched = await cluster.api.patch(
      res,
      'default',
      'web',
      podSpecPatch({ '$setElementOrder/containers': [{ name: 'side' }, { name: 'app' }], containers: [{ name: 'app', image: 'nginx:2' }] }),
      'application/strategic-merge-patch+json',
    );
    expect(podSpecOf(patched)).toEqual({ containers: [{ name: 'side', image: 'busybox' }, { name: 'app', image: 'nginx:2' }] });
    expect(patched.metadata.generation).toBe(2);
    const stored = await cluster.api.get(res, 'default', 'web');
    expect(stored).toEqual(patched);
    expect(JSON.stringify(stored)).not.toContain('"$');
  });

  it('validates the patched object (422) and writes nothing', async () => {
    const err = await cluster.api
      .patch(res, 'default', 'web', podSpecPatch({ containers: [{ $patch: 'replace' }] }), 'application/strategic-merge-patch+json')
      .catch((e: unknown) => e);
    expect(isApiError(err, 422)).toBe(true);
    expect(podSpecOf(await cluster.api.get(res, 'default', 'web'))['containers']).toHaveLength(2);
  });

  it('refuses strategic merge for a kind without a schema (415), as Kubernetes does for custom resources', async () => {
    const widgets: ResourceInfo = {
      group: 'example.com',
      version: 'v1',
      kind: 'Widget',
      plural: 'widgets',
      singular: 'widget',
      namespaced: true,
      shortNames: [],
      categories: [],
      statusSubresource: false,
      scaleSubresource: false,
    };
    cluster.resources.add(widgets);
    await cluster.api.create(widgets, 'default', { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' }, spec: { size: 1 } });
    const err = await cluster.api.patch(widgets, 'default', 'w', { spec: { size: 2 } }, 'application/strategic-merge-patch+json').catch((e: unknown) => e);
    expect(isApiError(err, 415)).toBe(true);
    const merged = await cluster.api.patch(widgets, 'default', 'w', { spec: { size: 2 } }, 'application/merge-patch+json');
    expect(merged['spec']).toEqual({ size: 2 });
  });
});
