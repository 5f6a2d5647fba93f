import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isAlive, signalGroup, type ProcessIdentity } from '../src/proc.js';
import { readJson, type StartedRecord } from '../src/state.js';

/** A fresh state directory under the system temp directory. */
export function tempStateDir(prefix = 'skiff-process-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/**
 * Kills whatever still runs from `stateDir` (container process groups and shims) and returns what
 * was found alive (as `pid` strings), so a test can assert nothing was left behind. Then removes
 * the directory.
 */
export function reap(stateDir: string): string[] {
  const alive: string[] = [];
  let ids: string[];
  try {
    ids = readdirSync(join(stateDir, 'containers'));
  } catch {
    ids = [];
  }
  for (const id of ids) {
    const started = readJson<StartedRecord>(join(stateDir, 'containers', id, 'started.json'));
    if (!started) continue;
    if (isAlive(started.process)) {
      alive.push(`container ${id} pid ${started.process.pid}`);
      signalGroup(started.process.pid, 'SIGKILL');
    }
  }
  killShim(stateDir);
  rmSync(stateDir, { recursive: true, force: true });
  return alive;
}

/** Kills the shim of `stateDir` (it would exit by itself once idle). */
export function killShim(stateDir: string): void {
  const shim = readJson<ProcessIdentity>(join(stateDir, 'shim.json'));
  if (shim && isAlive(shim)) {
    try {
      process.kill(shim.pid, 'SIGKILL');
    } catch {
      // gone
    }
  }
}
