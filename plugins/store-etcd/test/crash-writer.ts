/**
 * Crash-test child: writes forever through an etcd store (endpoints in argv[2], comma-separated;
 * key prefix in argv[3]), printing one line per acknowledged write (`put <key> <revision> <value>`
 * or `del <key> <revision>`) after it returns. The parent kills it with SIGKILL at a random moment.
 */
import type { KubeObject } from '@skiff/core';
import { etcdStore } from '../src/index.js';

const [endpoints, prefix] = process.argv.slice(2);
if (!endpoints || !prefix) throw new Error('usage: crash-writer <endpoints> <prefix>');
const store = etcdStore({ endpoints: endpoints.split(','), prefix });
const keys = Array.from({ length: 8 }, (_, i) => `/registry/configmaps/crash/k${i}`);
let counter = (await store.currentRevision()) * 7;
process.stdout.write('ready\n');
for (;;) {
  const key = keys[counter % keys.length] as string;
  counter++;
  const current = await store.get(key);
  const value = `v${counter}`;
  if (current && counter % 5 === 0) {
    const last = await store.delete(key, { expectedResourceVersion: current.metadata.resourceVersion });
    process.stdout.write(`del ${key} ${last.metadata.resourceVersion}\n`);
  } else if (current) {
    const next = await store.update(key, { ...current, data: { value } });
    process.stdout.write(`put ${key} ${next.metadata.resourceVersion} ${value}\n`);
  } else {
    const created: KubeObject = await store.create(key, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: key, namespace: 'crash' }, data: { value } });
    process.stdout.write(`put ${key} ${created.metadata.resourceVersion} ${value}\n`);
  }
}
