import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { SkiffError } from '@skiff/core';

/**
 * A coded auth error naming the file and what is wrong with it: `SKIFF_ERR_AUTH_PKI` for
 * certificate and key files, `SKIFF_ERR_AUTH_TOKENS` for the token file; `details.path` names it.
 */
export function authFileError(code: 'SKIFF_ERR_AUTH_PKI' | 'SKIFF_ERR_AUTH_TOKENS', path: string, problem: string, cause?: unknown): SkiffError {
  return new SkiffError(code, `${path}: ${problem}; fix or remove the file (it is never replaced automatically)`, { path, problem }, cause === undefined ? undefined : { cause });
}

/** The file's text, or undefined when it does not exist. Other read errors propagate. */
export async function readIfExists(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

/**
 * Writes a file atomically (temporary file in the same directory, then rename) with the given
 * mode, creating its directory (mode 0700) if needed. A reader never sees a half-written file.
 */
export async function writeFileAtomic(path: string, data: string, mode: number): Promise<void> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const tmp = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    await writeFile(tmp, data, { mode, flag: 'wx' });
    await rename(tmp, path);
  } catch (err) {
    await rm(tmp, { force: true }).catch(() => undefined);
    throw err;
  }
}
