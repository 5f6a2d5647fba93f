import { afterAll } from 'vitest';
import { runStoreConformance } from '@skiff/core/testing';
import { sqliteStore } from '../src/index.js';
import { TempDirs } from './temp-dir.js';

const dirs = new TempDirs();
afterAll(() => dirs.cleanup());

// Background compaction off: the suite drives compaction itself and checks exact revisions.
runStoreConformance('sqlite', async () => sqliteStore({ path: dirs.dbPath(), compaction: false }), { modelRuns: 40 });

// The same contract when `compact` works through the log in tiny windows, yielding between them.
runStoreConformance(
  'sqlite, compacting in 2-row windows',
  async () => sqliteStore({ path: dirs.dbPath(), compaction: { intervalMs: 3_600_000, batchRows: 2 } }),
  { modelRuns: 20 },
);
