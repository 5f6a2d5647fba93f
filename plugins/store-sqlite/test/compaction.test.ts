import { afterAll, describe, expect, it } from 'vitest';
import type { KubeObject } from '@skiff/core';
import { cmKey, configMap } from '@skiff/core/testing';
import { type SqliteStoreHealth, sqliteStore } from '../src/index.js';
import { TempDirs } from './temp-dir.js';

const dirs = new TempDirs();
afterAll(() => dirs.cleanup());

/** Polls `check` until it returns true or `timeoutMs` passes. */
async function eventually(check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('sqlite background compaction', () => {
  it('keeps up under a steady write load: lag, rows and size stay bounded', { timeout: 120_000 }, async () => {
    const keys = 20;
    const retain = 200;
    const store = sqliteStore({ path: dirs.dbPath(), compaction: { intervalMs: 25, retainRevisions: retain, retainMs: 0, batchRows: 100 } });
    try {
      const objects = new Map<string, KubeObject>();
      for (let k = 0; k < keys; k++) objects.set(cmKey(`k${k}`), await store.create(cmKey(`k${k}`), configMap(`k${k}`)));
      const samples: SqliteStoreHealth[] = [];
      const writes = 6000;
      const started = Date.now();
      for (let i = 0; i < writes; i++) {
        const key = cmKey(`k${i % keys}`);
        const obj = objects.get(key) as KubeObject;
        objects.set(key, await store.update(key, { ...obj, data: { i: String(i), pad: 'p'.repeat(200) } }));
        if (i % 50 === 0) await new Promise((resolve) => setImmediate(resolve));
        if (i % 500 === 499) samples.push(await store.health());
      }
      const elapsed = Date.now() - started;
      const mid = samples[Math.floor(samples.length / 2)] as SqliteStoreHealth;
      const end = samples[samples.length - 1] as SqliteStoreHealth;
      // Compaction ran throughout, not just at the end.
      expect(samples.filter((s) => s.compactedRevision > 0).length).toBeGreaterThanOrEqual(samples.length - 2);
      // How many writes one compaction interval can see, with generous slack for a slow machine.
      const perInterval = Math.ceil((writes / Math.max(elapsed, 1)) * 25);
      const lagBound = Math.max(1000, perInterval * 10);
      for (const s of samples.slice(2)) {
        expect(s.compactionLagRevisions, JSON.stringify(s)).toBeLessThanOrEqual(lagBound);
        expect(s.rowCount, JSON.stringify(s)).toBeLessThanOrEqual(keys + retain + lagBound);
      }
      // The file stops growing once compaction frees pages for reuse.
      expect(end.databaseBytes).toBeLessThanOrEqual(mid.databaseBytes * 1.5 + 1024 * 1024);
      // Once writes stop, compaction catches up fully.
      await eventually(async () => (await store.health()).compactionLagRevisions === 0, 10_000);
      const settled = await store.health();
      expect(settled.rowCount).toBeLessThanOrEqual(keys + retain);
      expect(settled.currentRevision - settled.compactedRevision).toBe(retain);
      expect(settled.oldestRetainedRevision).toBeGreaterThan(0);
      expect(settled.lastCompactionAt).not.toBeNull();
      expect(settled.lastCompactionError).toBeNull();
    } finally {
      await store.close();
    }
  });

  it('keeps history younger than retainMs, and compacts it once it is older', async () => {
    const store = sqliteStore({ path: dirs.dbPath(), compaction: { intervalMs: 20, retainRevisions: 0, retainMs: 300 } });
    try {
      const startedAt = Date.now();
      let a = await store.create(cmKey('a'), configMap('a'));
      for (let i = 0; i < 10; i++) a = await store.update(cmKey('a'), { ...a, data: { i: String(i) } });
      const written = await store.currentRevision();
      const writtenAt = Date.now();
      // Within the window nothing it covers may be discarded (checked only if this machine is fast enough to tell).
      await new Promise((resolve) => setTimeout(resolve, 100));
      const compactedEarly = await store.compactedRevision();
      if (Date.now() - startedAt < 300) expect(compactedEarly).toBe(0);
      await eventually(async () => (await store.compactedRevision()) === written, 10_000);
      expect(Date.now() - writtenAt).toBeGreaterThanOrEqual(290);
      expect((await store.health()).rowCount).toBe(1);
    } finally {
      await store.close();
    }
  });
});
