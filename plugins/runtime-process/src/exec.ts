import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import { runtimeError, type ExecResult } from '@skiff/sdk';
import { signalGroup } from './proc.js';

/** How much of an exec's stdout and of its stderr is kept. */
export const EXEC_OUTPUT_LIMIT = 1024 * 1024;

/** Where and how an exec runs. */
export interface ExecTarget {
  containerId: string;
  cwd: string;
  env: Record<string, string>;
}

/**
 * Runs `command` with the container's environment and working directory, in a process group of its
 * own that is killed once the command ends (nothing it started outlives it). A command that cannot
 * be started exits 127 with the reason on stderr. After `timeoutMs` the group is killed and the call
 * fails with `SKIFF_ERR_RUNTIME_STATE`, `details.reason` `Timeout`.
 */
export function execIn(target: ExecTarget, command: string[], timeoutMs: number): Promise<ExecResult> {
  return new Promise<ExecResult>((resolve, reject) => {
    if (command.length === 0) {
      resolve({ exitCode: 127, stdout: '', stderr: 'exec: no command given\n' });
      return;
    }
    const child = spawn(command[0]!, command.slice(1), { cwd: target.cwd, env: target.env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let outBytes = 0;
    let errBytes = 0;
    let settled = false;
    let exitCode: number | undefined;
    child.stdout.on('data', (chunk: Buffer) => {
      if (outBytes < EXEC_OUTPUT_LIMIT) out.push(chunk);
      outBytes += chunk.length;
    });
    child.stderr.on('data', (chunk: Buffer) => {
      if (errBytes < EXEC_OUTPUT_LIMIT) err.push(chunk);
      errBytes += chunk.length;
    });
    const settle = (fn: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      clearTimeout(drain);
      child.stdout.destroy();
      child.stderr.destroy();
      fn();
    };
    const result = (): ExecResult => ({
      exitCode: exitCode ?? 0,
      stdout: Buffer.concat(out).subarray(0, EXEC_OUTPUT_LIMIT).toString('utf8'),
      stderr: Buffer.concat(err).subarray(0, EXEC_OUTPUT_LIMIT).toString('utf8'),
    });
    const timer = setTimeout(() => {
      if (child.pid !== undefined) signalGroup(child.pid, 'SIGKILL');
      settle(() =>
        reject(runtimeError('SKIFF_ERR_RUNTIME_STATE', `exec in container ${target.containerId} timed out after ${timeoutMs} ms`, { containerId: target.containerId, command, reason: 'Timeout' })),
      );
    }, Math.max(1, timeoutMs));
    let drain: NodeJS.Timeout | undefined;
    child.on('error', (error) => settle(() => resolve({ exitCode: 127, stdout: '', stderr: `exec: ${error.message}\n` })));
    child.on('exit', (code, signal) => {
      exitCode = code ?? 128 + (signal ? (constants.signals[signal] ?? 0) : 0);
      if (child.pid !== undefined) signalGroup(child.pid, 'SIGKILL');
      // Output still in the pipes comes with 'close'; don't wait for long if something escaped the group holds them.
      drain = setTimeout(() => settle(() => resolve(result())), 1000);
    });
    child.on('close', () => settle(() => resolve(result())));
  });
}
