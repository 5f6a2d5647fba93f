import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Temporary folders for test databases, removed by `cleanup()`. */
export class TempDirs {
  private readonly dirs: string[] = [];

  /** A fresh empty folder. */
  make(): string {
    const dir = mkdtempSync(join(tmpdir(), 'skiff-sqlite-'));
    this.dirs.push(dir);
    return dir;
  }

  /** A path for a new database file in a fresh folder. */
  dbPath(): string {
    return join(this.make(), 'skiff.db');
  }

  cleanup(): void {
    for (const dir of this.dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  }
}
