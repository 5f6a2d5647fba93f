import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { sleep } from './stats.js';

/** The repository root (the CLI runs from source with tsx, as cli/test/run-skiff.ts does). */
const repoRoot = resolve(import.meta.dirname, '../..');

/** A `skiff` CLI process started from source, with its output collected. */
export interface SkiffProcess {
  child: ChildProcess;
  /** Its pid: `node --import tsx` runs the CLI in this very process (no wrapper). */
  pid: number;
  /** stdout and stderr so far (the last 64 KiB of each). */
  output(): { stdout: string; stderr: string };
  /** Resolves with the exit code (or signal name) once it exited. */
  exited: Promise<number | string>;
  /** Resolves with the first match of `pattern` in stdout; rejects if it exits or `timeoutMs` passes first. */
  waitFor(pattern: RegExp, timeoutMs: number): Promise<RegExpExecArray>;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves once it exited. */
  stop(graceMs: number): Promise<number | string>;
}

const keepTail = (s: string) => (s.length > 65_536 ? s.slice(-65_536) : s);

/** Starts `skiff <args>` (`node --import tsx cli/src/main.ts <args>`) in its own process. */
export function startSkiff(args: string[]): SkiffProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', join(repoRoot, 'cli/src/main.ts'), ...args], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (stdout = keepTail(stdout + d)));
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr = keepTail(stderr + d)));
  const exited = new Promise<number | string>((done) => child.on('exit', (code, signal) => done(code ?? signal ?? 'unknown')));
  let exitCode: number | string | undefined;
  void exited.then((c) => (exitCode = c));
  const proc: SkiffProcess = {
    child,
    pid: child.pid ?? -1,
    output: () => ({ stdout, stderr }),
    exited,
    async waitFor(pattern, timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const m = pattern.exec(stdout);
        if (m) return m;
        if (exitCode !== undefined) throw new Error(`skiff ${args.slice(0, 2).join(' ')} exited (${exitCode}) before printing ${pattern}:\n${stderr.slice(-2000) || stdout.slice(-2000)}`);
        if (Date.now() > deadline) throw new Error(`skiff ${args.slice(0, 2).join(' ')}: no ${pattern} within ${timeoutMs} ms:\n${stdout.slice(-2000)}${stderr.slice(-2000)}`);
        await sleep(50);
      }
    },
    async stop(graceMs) {
      if (exitCode !== undefined) return exitCode;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
  return proc;
}

/** The command line of a live process, arguments joined by spaces ('' when it is gone). */
export function cmdline(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
  } catch {
    return '';
  }
}

/** Server, bearer token and CA of the admin kubeconfig `skiff up` writes (only the fields it writes, read without a YAML parser). */
export function readKubeconfig(path: string): { server: string; token: string; caCertPem: string } {
  const text = readFileSync(path, 'utf8');
  const field = (name: string) => {
    const m = new RegExp(`^\\s*-?\\s*${name}:\\s*['"]?([^'"\\s]+)['"]?\\s*$`, 'm').exec(text);
    if (!m) throw new Error(`${path}: no ${name}`);
    return m[1]!;
  };
  return { server: field('server'), token: field('token'), caCertPem: Buffer.from(field('certificate-authority-data'), 'base64').toString('utf8') };
}
