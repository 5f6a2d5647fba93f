import { describe, expect, it } from 'vitest';
import { createCluster, isApiError } from '../../src/index.js';

describe('PATCH on a busy object', () => {
  it('retries patches that name no resourceVersion, and fails those that pin a stale one', async () => {
    const cluster = await createCluster();
    await cluster.start();
    try {
      const res = cluster.resources.require('v1', 'ConfigMap');
      await cluster.api.create(res, 'default', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'busy', namespace: 'default' } });
      // Twenty concurrent merge patches race each other's writes; none pins a version, so all land.
      await Promise.all(Array.from({ length: 20 }, (_, i) => cluster.api.patch(res, 'default', 'busy', { data: { [`k${i}`]: String(i) } }, 'application/merge-patch+json')));
      const data = (await cluster.api.get(res, 'default', 'busy'))['data'] as Record<string, string>;
      expect(Object.keys(data)).toHaveLength(20);
      // JSON patches too.
      await Promise.all(Array.from({ length: 10 }, (_, i) => cluster.api.patch(res, 'default', 'busy', [{ op: 'add', path: `/data/j${i}`, value: 'x' }], 'application/json-patch+json')));
      expect(Object.keys((await cluster.api.get(res, 'default', 'busy'))['data'] as object)).toHaveLength(30);
      // A pinned, stale version is the caller's conflict.
      const err = await cluster.api.patch(res, 'default', 'busy', { metadata: { resourceVersion: '1' }, data: { late: 'yes' } }, 'application/merge-patch+json').catch((e: unknown) => e);
      expect(isApiError(err, 409)).toBe(true);
    } finally {
      await cluster.stop();
    }
  });
});
