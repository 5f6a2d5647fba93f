import type Docker from 'dockerode';
import { runtimeError, type ExecResult } from '@skiff/sdk';
import { FrameDecoder } from './frames.js';

/**
 * Runs `command` in a running container through the engine's exec API: create (stdout and stderr
 * attached), start hijacked, demultiplex until the stream ends, then read the exit code from the
 * exec's inspect. After `timeoutMs` the stream is dropped, the exec's process is killed when the
 * engine is local (its `Pid` is a host pid; failures are ignored: the engine may be remote) and the
 * call fails with `SKIFF_ERR_RUNTIME_STATE` (`details.reason: 'Timeout'`).
 */
export async function execIn(container: Docker.Container, command: string[], timeoutMs: number): Promise<ExecResult> {
  const exec = await container.exec({ Cmd: command, AttachStdout: true, AttachStderr: true, AttachStdin: false, Tty: false });
  const stdout: Buffer[] = [];
  const stderr: Buffer[] = [];
  let stream: NodeJS.ReadWriteStream | undefined;
  let timer: NodeJS.Timeout | undefined;
  const run = (async () => {
    stream = (await exec.start({ hijack: true, stdin: false, Detach: false, Tty: false })) as NodeJS.ReadWriteStream;
    const decoder = new FrameDecoder();
    await new Promise<void>((resolve, reject) => {
      stream!.on('data', (chunk: Buffer) => {
        for (const frame of decoder.push(chunk)) (frame.stream === 'stdout' ? stdout : stderr).push(frame.data);
      });
      stream!.on('end', () => resolve());
      stream!.on('close', () => resolve());
      stream!.on('error', (err) => reject(err));
    });
  })();
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), timeoutMs);
  });
  try {
    const outcome = await Promise.race([run.then(() => 'done' as const), timeout]);
    if (outcome === 'timeout') {
      run.catch(() => undefined);
      (stream as unknown as { destroy?: () => void } | undefined)?.destroy?.();
      try {
        const info = await exec.inspect();
        if (info.Running && info.Pid > 0) process.kill(info.Pid, 'SIGKILL');
      } catch {
        // a remote engine's pid is not ours to kill, or it already ended
      }
      throw runtimeError('SKIFF_ERR_RUNTIME_STATE', `exec ${JSON.stringify(command)} in container ${container.id} timed out after ${timeoutMs} ms`, { containerId: container.id, reason: 'Timeout' });
    }
  } finally {
    clearTimeout(timer);
  }
  // The stream can end a moment before the engine records the exit code.
  let info = await exec.inspect();
  for (let i = 0; info.Running && i < 100; i++) {
    await new Promise((resolve) => setTimeout(resolve, 10));
    info = await exec.inspect();
  }
  return { exitCode: info.ExitCode ?? 0, stdout: Buffer.concat(stdout).toString('utf8'), stderr: Buffer.concat(stderr).toString('utf8') };
}
