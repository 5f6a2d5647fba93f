import { createHash } from 'node:crypto';
import { existsSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** What the shim is given (the Node modules it uses, passed in because its source is serialised). */
interface ShimDeps {
  fs: typeof import('node:fs');
  cp: typeof import('node:child_process');
  os: typeof import('node:os');
  net: typeof import('node:net');
}

/** A request to the shim: start the container whose directory is `dir`. One JSON line per connection. */
export interface ShimStartRequest {
  op: 'start';
  dir: string;
  logMaxBytes: number;
  logMaxFiles: number;
}

/**
 * The container shim: one small detached Node process per state directory (like containerd's
 * shim or conmon, but shared, so starting a container costs a socket request instead of a Node
 * start). It listens on the abstract Unix socket `\0<socketName>`; for each start request it:
 *
 * - spawns the container's argv (from `container.json`) in a new session and process group (its
 *   pid is the group id), with the container's env and cwd, stdin closed;
 * - writes `started.json` (the process's and its own pid and start time) once it runs, or
 *   `exit.json` with reason `StartError` when it could not be started, and only then answers `ok`;
 * - writes each stdout/stderr line to `container.log` in the CRI format
 *   (`<RFC3339Nano> <stream> <F|P> <text>`), rotating to `container.log.1` … when the file would
 *   pass `logMaxBytes`, keeping `logMaxFiles` files in all;
 * - when the main process exits, kills the rest of its process group (as a container's PID
 *   namespace dies with its first process), drains the pipes and writes `exit.json` (the exit code,
 *   128 + signal number when a signal ended it).
 *
 * Because the shim, not the runtime, is the parent and the log writer, containers keep running and
 * logging, and their exit codes are recorded, while no runtime instance is watching (an agent
 * restarting in another process). It ignores SIGTERM, SIGINT and SIGHUP, stops listening once no
 * container has run for `idleMs`, and exits when its last container has exited after that. A second
 * shim for the same socket exits at once. It writes `shim.json` (its identity) into `stateDir`.
 *
 * This function is serialised with `toString()` and run as a script, so it must use nothing but its
 * parameters and globals (and esbuild's `__name`, which {@link shimSource} defines).
 */
export function shimMain(deps: ShimDeps, stateDir: string, socketName: string, idleMs: number): void {
  const { fs, cp, os, net } = deps;
  let boot = '';
  try {
    boot = fs.readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
  } catch {
    boot = '';
  }
  const identity = (pid: number) => {
    let starttime = -1;
    try {
      const text = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      starttime = Number(text.slice(text.lastIndexOf(')') + 2).split(' ')[19]);
    } catch {
      starttime = -1;
    }
    return { pid, starttime, bootId: boot };
  };
  const self = identity(process.pid);
  for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP', 'SIGPIPE'] as const) process.on(signal, () => undefined);
  process.on('uncaughtException', (err) => {
    // One container's trouble must not take the others down.
    process.stderr.write(`${new Date().toISOString()} shim: ${err.stack ?? String(err)}\n`);
  });

  const supervised = new Set<string>();
  let live = 0;
  let listening = false;
  let idleTimer: NodeJS.Timeout | undefined;
  const server = net.createServer();
  const maybeExit = () => {
    if (!listening && live === 0) process.exit(0);
  };
  const armIdle = () => {
    if (idleTimer) clearTimeout(idleTimer);
    idleTimer = undefined;
    if (live > 0 || !listening) return;
    idleTimer = setTimeout(() => {
      if (live > 0) return;
      listening = false;
      server.close();
      maybeExit();
    }, idleMs);
  };

  /** Starts supervising the container in `dir`; `settled` is called once it runs or failed to start. */
  const supervise = (dir: string, maxBytes: number, maxFiles: number, settled: () => void) => {
    const path = (name: string) => `${dir}/${name}`;
    const writeJson = (name: string, value: unknown) => {
      const tmp = path(`${name}.tmp`);
      fs.writeFileSync(tmp, JSON.stringify(value));
      fs.renameSync(tmp, path(name));
    };
    // Idempotent: a retried request for a container already started is accepted and ignored.
    if (supervised.has(dir) || fs.existsSync(path('started.json')) || fs.existsSync(path('exit.json'))) {
      settled();
      return;
    }
    supervised.add(dir);
    const record = JSON.parse(fs.readFileSync(path('container.json'), 'utf8')) as { argv: string[]; env: Record<string, string>; cwd: string };

    // The log: CRI format, size-bounded rotation.
    const logPath = path('container.log');
    let fd = fs.openSync(logPath, 'a');
    let size = fs.fstatSync(fd).size;
    const maxLine = Math.max(64, Math.min(16 * 1024, Math.floor(maxBytes / 4)));
    const rotate = () => {
      fs.closeSync(fd);
      if (maxFiles <= 1) {
        fs.rmSync(logPath, { force: true });
      } else {
        for (let i = maxFiles - 1; i >= 2; i--) {
          if (fs.existsSync(`${logPath}.${i - 1}`)) fs.renameSync(`${logPath}.${i - 1}`, `${logPath}.${i}`);
        }
        fs.renameSync(logPath, `${logPath}.1`);
      }
      fd = fs.openSync(logPath, 'a');
      size = 0;
    };
    const write = (stream: string, text: string, partial: boolean) => {
      const time = new Date().toISOString().replace('Z', '000000Z');
      const entry = `${time} ${stream} ${partial ? 'P' : 'F'} ${text}\n`;
      const bytes = Buffer.byteLength(entry);
      try {
        if (size > 0 && size + bytes > maxBytes) rotate();
        fs.writeSync(fd, entry);
        size += bytes;
      } catch {
        // the container was removed meanwhile
      }
    };
    const pending: Record<string, string> = { stdout: '', stderr: '' };
    const take = (stream: string, chunk: string) => {
      let text = pending[stream] + chunk;
      let nl = text.indexOf('\n');
      while (nl >= 0) {
        let line = text.slice(0, nl);
        while (line.length > maxLine) {
          write(stream, line.slice(0, maxLine), true);
          line = line.slice(maxLine);
        }
        write(stream, line, false);
        text = text.slice(nl + 1);
        nl = text.indexOf('\n');
      }
      while (text.length > maxLine) {
        write(stream, text.slice(0, maxLine), true);
        text = text.slice(maxLine);
      }
      pending[stream] = text;
    };

    let spawned = false;
    let exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
    let finished = false;
    live++;
    armIdle();
    const done = () => {
      supervised.delete(dir);
      live--;
      armIdle();
      maybeExit();
    };
    const child = cp.spawn(record.argv[0]!, record.argv.slice(1), { cwd: record.cwd, env: record.env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    const finish = () => {
      if (finished || !exit) return;
      finished = true;
      for (const stream of ['stdout', 'stderr']) if (pending[stream]) write(stream, pending[stream]!, false);
      try {
        fs.closeSync(fd);
      } catch {
        // already closed
      }
      child.stdout?.destroy();
      child.stderr?.destroy();
      const signalNumber = exit.signal ? (os.constants.signals[exit.signal] ?? 0) : 0;
      const exitCode = exit.code ?? 128 + signalNumber;
      try {
        writeJson('exit.json', { finishedAt: Date.now(), exitCode, ...(exit.signal ? { signal: exit.signal } : {}) });
      } catch {
        // the container was removed meanwhile
      }
      done();
    };
    child.stdout!.setEncoding('utf8');
    child.stderr!.setEncoding('utf8');
    child.stdout!.on('data', (chunk: string) => take('stdout', chunk));
    child.stderr!.on('data', (chunk: string) => take('stderr', chunk));
    child.on('spawn', () => {
      spawned = true;
      writeJson('started.json', { startedAt: Date.now(), process: identity(child.pid!), shim: self });
      settled();
    });
    child.on('error', (err: Error) => {
      if (spawned || finished) return;
      finished = true;
      try {
        fs.closeSync(fd);
        writeJson('exit.json', { finishedAt: Date.now(), exitCode: 128, reason: 'StartError', message: err.message });
      } catch {
        // removed meanwhile
      }
      settled();
      done();
    });
    child.on('exit', (code: number | null, signal: NodeJS.Signals | null) => {
      exit = { code, signal };
      // The first process is gone: so is the rest of its group, as in a container.
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // already gone
      }
      setTimeout(finish, 2000);
    });
    child.on('close', finish);
  };

  const containerDir = /^\/containers\/[0-9a-f]{8,64}$/;
  server.on('connection', (conn) => {
    let buffer = '';
    conn.setEncoding('utf8');
    conn.on('error', () => undefined);
    conn.on('data', (chunk: string) => {
      buffer += chunk;
      const nl = buffer.indexOf('\n');
      if (nl < 0) return;
      try {
        const request = JSON.parse(buffer.slice(0, nl)) as ShimStartRequest;
        if (request.op !== 'start') throw new Error(`unknown request ${String(request.op)}`);
        // Anyone on the host can reach an abstract socket: only this state directory's containers run.
        if (typeof request.dir !== 'string' || !containerDir.test(request.dir.slice(stateDir.length)) || !request.dir.startsWith(stateDir)) {
          throw new Error(`${String(request.dir)} is not a container of ${stateDir}`);
        }
        // Answered once the process runs (or could not start), so the runtime need not poll.
        supervise(request.dir, request.logMaxBytes, request.logMaxFiles, () => conn.end('ok\n'));
      } catch (err) {
        conn.end(`error ${(err as Error).message.replace(/\n/g, ' ')}\n`);
      }
    });
  });
  server.on('error', (err: NodeJS.ErrnoException) => {
    // Another shim serves this state directory.
    if (err.code !== 'EADDRINUSE') process.stderr.write(`${new Date().toISOString()} shim: cannot listen: ${err.message}\n`);
    process.exit(err.code === 'EADDRINUSE' ? 0 : 1);
  });
  server.listen(`\0${socketName}`, () => {
    listening = true;
    try {
      fs.writeFileSync(`${stateDir}/shim.json.tmp`, JSON.stringify(self));
      fs.renameSync(`${stateDir}/shim.json.tmp`, `${stateDir}/shim.json`);
    } catch (err) {
      // The state directory is gone: nothing to serve.
      process.stderr.write(`${new Date().toISOString()} shim: ${(err as Error).message}\n`);
      process.exit(1);
    }
    armIdle();
  });
}

/** The shim as a CommonJS script: `node <script> <stateDir> <socketName> <idleMs>`. */
export function shimSource(): string {
  return [
    "'use strict';",
    // Transpilers with `keepNames` (tsx, esbuild) wrap functions in a `__name` helper defined outside them.
    'var __name = (fn) => fn;',
    `(${shimMain.toString()})({ fs: require('node:fs'), cp: require('node:child_process'), os: require('node:os'), net: require('node:net') }, process.argv[2], process.argv[3], Number(process.argv[4]));`,
    '',
  ].join('\n');
}

/** Writes the shim script into `stateDir` (named by its content hash, so versions never clash) and returns its path. */
export function installShim(stateDir: string): string {
  const source = shimSource();
  const hash = createHash('sha256').update(source).digest('hex').slice(0, 16);
  const file = join(stateDir, `shim-${hash}.cjs`);
  if (!existsSync(file)) {
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, source);
    // rename is atomic: concurrent instances write the same content.
    renameSync(tmp, file);
  }
  return file;
}

/** The name of the abstract Unix socket (Linux; connect to `\0<name>`) of the shim of `stateDir` and of this shim version. */
export function shimSocketName(stateDir: string, shimPath: string): string {
  return `skiff-shim-${createHash('sha256').update(`${stateDir}\n${shimPath}`).digest('hex').slice(0, 24)}`;
}
