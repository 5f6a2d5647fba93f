import { describe, expect, it } from 'vitest';
import { builtinAdmission, createCluster, type KubeObject, type Pod } from '../../src/index.js';
import { create, startCluster } from './harness.js';

const pod = (name: string, tolerations?: object[]) => ({
  kind: 'Pod',
  metadata: { name },
  spec: { containers: [{ name: 'a', image: 'busybox:1.36' }], ...(tolerations ? { tolerations } : {}) },
});
const tolerationsOf = (obj: KubeObject) => (obj as unknown as Pod).spec?.tolerations;

describe('DefaultTolerationSeconds', () => {
  it('adds the not-ready and unreachable NoExecute tolerations (300 s) a pod lacks', async () => {
    const cluster = await startCluster();
    try {
      expect(tolerationsOf(await create(cluster, pod('a')))).toEqual([
        { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
        { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
      ]);
      const own = { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 5 };
      expect(tolerationsOf(await create(cluster, pod('b', [own])))).toEqual([own, { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 }]);
      expect(tolerationsOf(await create(cluster, pod('c', [{ operator: 'Exists' }])))).toEqual([{ operator: 'Exists' }]);
    } finally {
      await cluster.stop();
    }
  });

  it('honours its options', async () => {
    const cluster = await createCluster({ plugins: builtinAdmission({ defaultTolerationSeconds: { notReadyTolerationSeconds: 7, unreachableTolerationSeconds: 9 } }) });
    await cluster.start();
    try {
      expect(tolerationsOf(await create(cluster, pod('a')))!.map((t) => t.tolerationSeconds)).toEqual([7, 9]);
    } finally {
      await cluster.stop();
    }
  });
});
