import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';

/** The repository root (the CLI runs from source with tsx). */
export const repoRoot = resolve(import.meta.dirname, '../..');

/** Every `skiff` process a test started and that has not exited. */
export const skiffChildren = new Set<ReturnType<typeof spawn>>();

/** Kills what a failed test left running, so a failure never leaks a server. */
export function killSkiffChildren(): void {
  for (const child of skiffChildren) child.kill('SIGKILL');
}

/** Starts `skiff <args>` from source, collecting its output and exit code. */
export function runSkiff(args: string[]) {
  const child = spawn(process.execPath, ['--import', 'tsx', join(repoRoot, 'cli/src/main.ts'), ...args], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
  skiffChildren.add(child);
  child.on('exit', () => skiffChildren.delete(child));
  const out = { stdout: '', stderr: '', code: undefined as number | null | undefined };
  child.stdout.on('data', (d: Buffer) => (out.stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out.stderr += d.toString()));
  const exited = new Promise<void>((done) =>
    child.on('exit', (code) => {
      out.code = code;
      done();
    }),
  );
  return { child, out, exited };
}
