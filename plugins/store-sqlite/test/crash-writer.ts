/**
 * Crash-test child: opens the store at argv[2] and writes forever, printing one line per
 * acknowledged write (`put <key> <revision> <value>` or `del <key> <revision>`) after it returns.
 * With argv[3] = `compact`, aggressive background compaction runs meanwhile. The parent kills it
 * with SIGKILL at a random moment.
 */
import type { KubeObject } from '@skiff/core';
import { sqliteStore } from '../src/index.js';

const [path, mode] = process.argv.slice(2);
if (!path) throw new Error('usage: crash-writer <db path> [compact]');
const compaction = mode === 'compact' ? { intervalMs: 5, retainRevisions: 40, retainMs: 0, batchRows: 10 } : false;
const store = sqliteStore({ path, compaction });
const keys = Array.from({ length: 8 }, (_, i) => `/registry/configmaps/crash/k${i}`);
let counter = (await store.currentRevision()) * 7;
process.stdout.write('ready\n');
for (;;) {
  const key = keys[counter % keys.length] as string;
  counter++;
  // Yield now and then, so the background compactor's timer gets its turn between writes.
  if (counter % 16 === 0) await new Promise((resolve) => setImmediate(resolve));
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
