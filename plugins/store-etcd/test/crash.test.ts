import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '@skiff/core';
import { etcdStore } from '../src/index.js';
import { compareHistory, fold, parseAcks, runScript, type HistoryEntry } from '@skiff/core/testing';
import { type EtcdCluster, skipEtcdTests, startEtcd } from '../src/testing/index.js';

const writer = fileURLToPath(new URL('./crash-writer.ts', import.meta.url));
const prefix = '/skiff-crash';
let cluster: EtcdCluster | undefined;

/** Replays every change under the prefix with a watch from revision 0, up to the current revision. */
async function replayAll(store: Store): Promise<HistoryEntry[]> {
  const current = await store.currentRevision();
  const out: HistoryEntry[] = [];
  const list = await store.list('/registry/');
  if (list.items.length === 0 && current <= 1) return out;
  const watch = store.watch('/registry/', { fromRevision: 0 });
  const it = watch[Symbol.asyncIterator]();
  try {
    for (;;) {
      let timer: NodeJS.Timeout | undefined;
      const next = await Promise.race([
        it.next(),
        new Promise<'idle'>((resolve) => {
          // Only the crash writer touches this etcd, so the stream is complete once it reaches `current`;
          // this bound only turns a hang into a clear failure.
          timer = setTimeout(() => resolve('idle'), 10_000);
        }),
      ]);
      clearTimeout(timer);
      if (next === 'idle') throw new Error(`replay stalled at ${out.length} events (current revision ${current})`);
      if (next.done) break;
      const e = next.value;
      out.push({ key: e.key, revision: e.revision, value: e.type === 'DELETED' ? undefined : String((e.object['data'] as { value: string }).value) });
      if (e.revision >= current) break;
    }
  } finally {
    watch.stop();
  }
  return out;
}

describe.skipIf(skipEtcdTests())('etcd crash safety (the client process is killed)', () => {
  beforeAll(async () => {
    cluster = await startEtcd(1);
  });
  afterAll(async () => {
    await cluster?.stop();
  });

  it('keeps every acknowledged write through 20 SIGKILLs of a writing client', { timeout: 240_000 }, async () => {
    if (!cluster) throw new Error('etcd is not running');
    let known: HistoryEntry[] = [];
    let totalAcks = 0;
    for (let round = 0; round < 20; round++) {
      const child = runScript(writer, [cluster.endpoints.join(','), prefix]);
      try {
        await child.waitForLine('ready', 30_000);
        // The kill moment is random by design: 50–400 ms into the write loop.
        await new Promise((resolve) => setTimeout(resolve, 50 + Math.floor(Math.random() * 350)));
      } finally {
        await child.kill();
      }
      const acks = parseAcks(child.lines);
      totalAcks += acks.length;

      const store = etcdStore({ endpoints: cluster.endpoints, prefix });
      try {
        const replayed = await replayAll(store);
        expect(compareHistory(replayed, known, acks), `round ${round}`).toEqual([]);
        // Only this writer uses this etcd, so its revisions are consecutive.
        const first = replayed[0]?.revision ?? 0;
        expect(replayed.map((h) => h.revision)).toEqual(replayed.map((_, i) => first + i));
        const state = fold(replayed);
        for (const key of new Set(replayed.map((h) => h.key))) {
          const got = await store.get(key);
          const want = state.get(key);
          expect(got ? [got.metadata.resourceVersion, (got['data'] as { value: string }).value] : undefined, key).toEqual(
            want ? [String(want.revision), want.value] : undefined,
          );
        }
        known = replayed;
      } finally {
        await store.close();
      }
    }
    expect(totalAcks).toBeGreaterThan(20);
  });
});
