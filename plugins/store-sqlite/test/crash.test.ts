import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { Store } from '@skiff/core';
import { sqliteStore } from '../src/index.js';
import { compareHistory, fold, parseAcks, runScript, type HistoryEntry } from '@skiff/core/testing';
import { TempDirs } from './temp-dir.js';

const writer = fileURLToPath(new URL('./crash-writer.ts', import.meta.url));
const dirs = new TempDirs();
afterAll(() => dirs.cleanup());

/** Replays the retained log with a watch from `from`, up to the current revision. */
async function replayFrom(store: Store, from: number): Promise<HistoryEntry[]> {
  const current = await store.currentRevision();
  const out: HistoryEntry[] = [];
  if (current <= from) return out;
  const watch = store.watch('/registry/', { fromRevision: from });
  try {
    for await (const e of watch) {
      out.push({ key: e.key, revision: e.revision, value: e.type === 'DELETED' ? undefined : String((e.object['data'] as { value: string }).value) });
      if (e.revision >= current) break;
    }
  } finally {
    watch.stop();
  }
  return out;
}

/**
 * Kills a writing child `rounds` times; after each kill, reopens the store and checks that the retained
 * history (a watch from the compaction point, which is 0 without compaction) is exactly every
 * acknowledged write after that point, plus at most one write that committed unacknowledged, and
 * that every key reads back with the value and resourceVersion the whole history gives it.
 */
async function crashRounds(mode: 'plain' | 'compact', rounds: number): Promise<{ acks: number; compacted: number }> {
  const path = dirs.dbPath();
  let full: HistoryEntry[] = [];
  let compacted = 0;
  for (let round = 0; round < rounds; round++) {
    const child = runScript(writer, [path, mode]);
    try {
      await child.waitForLine('ready', 30_000);
      // The kill moment is random by design: 50–400 ms into the write loop.
      await new Promise((resolve) => setTimeout(resolve, 50 + Math.floor(Math.random() * 350)));
    } finally {
      await child.kill();
    }
    full = [...full, ...parseAcks(child.lines)];

    const store = sqliteStore({ path, compaction: false });
    try {
      compacted = await store.compactedRevision();
      const replayed = await replayFrom(store, compacted);
      const expected = full.filter((h) => h.revision > compacted);
      expect(compareHistory(replayed, expected, []), `round ${round}`).toEqual([]);
      // Everything after the compaction point is retained: revisions are contiguous.
      expect(replayed.map((h) => h.revision)).toEqual(replayed.map((_, i) => compacted + i + 1));
      expect(await store.currentRevision()).toBe(compacted + replayed.length);
      // A write that committed but was killed before its ack is part of history from now on.
      full = [...full, ...replayed.slice(expected.length)];
      const state = fold(full);
      for (const key of new Set(full.map((h) => h.key))) {
        const got = await store.get(key);
        const want = state.get(key);
        expect(got ? [got.metadata.resourceVersion, (got['data'] as { value: string }).value] : undefined, key).toEqual(
          want ? [String(want.revision), want.value] : undefined,
        );
      }
    } finally {
      await store.close();
    }
  }
  return { acks: full.length, compacted };
}

describe('sqlite crash safety', () => {
  it('keeps every acknowledged write through 20 SIGKILLs of a writing process', { timeout: 180_000 }, async () => {
    const { acks } = await crashRounds('plain', 20);
    expect(acks).toBeGreaterThan(20);
  });

  // Fewer rounds: each child start costs about a second, and the plain test already does 20.
  it('and through 10 SIGKILLs while background compaction runs', { timeout: 180_000 }, async () => {
    const { acks, compacted } = await crashRounds('compact', 10);
    expect(acks).toBeGreaterThan(20);
    expect(compacted).toBeGreaterThan(0);
  });
});
