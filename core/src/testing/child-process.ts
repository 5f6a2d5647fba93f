import { type ChildProcess, spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

const tsxLoader = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

/** A TypeScript script run in a child `node --import tsx`, its stdout collected line by line. */
export interface ScriptChild {
  process: ChildProcess;
  /** Complete lines printed so far (a partial last line is not included). */
  lines: string[];
  stderr: () => string;
  /** Resolves when a line equal to `line` appears; rejects after `timeoutMs` or if the child exits first. */
  waitForLine(line: string, timeoutMs: number): Promise<void>;
  /** Sends SIGKILL and resolves once the child is gone. */
  kill(): Promise<void>;
}

/** Starts `script` with `args`; the child can be killed at any moment with {@link ScriptChild.kill}. */
export function runScript(script: string, args: string[]): ScriptChild {
  const child = spawn(process.execPath, ['--import', tsxLoader, script, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  let partial = '';
  let stderr = '';
  const waiters: Array<() => void> = [];
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => {
    const parts = (partial + chunk).split('\n');
    partial = parts.pop() ?? '';
    lines.push(...parts);
    for (const w of waiters.splice(0)) w();
  });
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => {
    stderr += chunk;
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    process: child,
    lines,
    stderr: () => stderr,
    waitForLine: (line, timeoutMs) =>
      new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`timed out waiting for "${line}"; stderr: ${stderr}`)), timeoutMs);
        const check = () => {
          if (lines.includes(line)) {
            clearTimeout(timer);
            resolve();
          } else waiters.push(check);
        };
        void exited.then(() => {
          clearTimeout(timer);
          if (!lines.includes(line)) reject(new Error(`child exited before "${line}"; stderr: ${stderr}`));
        });
        check();
      }),
    kill: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}
