import { afterAll, beforeAll, describe } from 'vitest';
import { runStoreConformance } from '@skiff/core/testing';
import { etcdStore } from '../src/index.js';
import { type EtcdCluster, skipEtcdTests, startEtcd } from '../src/testing/index.js';

let cluster: EtcdCluster | undefined;
let stores = 0;

describe.skipIf(skipEtcdTests())('etcd store (single member)', () => {
  beforeAll(async () => {
    cluster = await startEtcd(1);
  });
  afterAll(async () => {
    await cluster?.stop();
  });

  // One etcd for the whole suite; each store gets its own key prefix. etcd's revisions and
  // compaction are global, which the suite allows for (revisions need not start at 1).
  runStoreConformance(
    'etcd',
    async () => {
      if (!cluster) throw new Error('etcd is not running');
      return etcdStore({ endpoints: cluster.endpoints, prefix: `/skiff-test-${++stores}` });
    },
    { modelRuns: 40 },
  );
});
