import { spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import type { ShimStartRequest } from './shim.js';
import { readJson } from './state.js';

/** Where the runtime finds (or starts) the shim of a state directory. */
export interface ShimAddress {
  stateDir: string;
  /** The installed shim script. */
  shimPath: string;
  /** Its abstract socket name (see `shimSocketName`). */
  socketName: string;
  /** How long the shim lingers without containers before it stops listening. */
  idleMs: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Sends one request line and resolves with the reply line; rejects with the socket error (e.g. `ECONNREFUSED`). */
function send(socketName: string, request: ShimStartRequest, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(`\0${socketName}`);
    let reply = '';
    const timer = setTimeout(() => {
      socket.destroy();
      reject(Object.assign(new Error(`the shim did not answer within ${timeoutMs} ms`), { code: 'ETIMEDOUT' }));
    }, timeoutMs);
    socket.setEncoding('utf8');
    socket.on('connect', () => socket.write(`${JSON.stringify(request)}\n`));
    socket.on('data', (chunk: string) => (reply += chunk));
    socket.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    socket.on('close', () => {
      clearTimeout(timer);
      if (reply.endsWith('\n')) resolve(reply.trim());
      else reject(Object.assign(new Error('the shim closed the connection without answering'), { code: 'ECONNRESET' }));
    });
  });
}

/** Shims being started by this process, by socket name, so concurrent starts spawn one. */
const spawning = new Map<string, Promise<void>>();

/**
 * Starts the shim (detached, in its own session) unless this process is already starting it, and
 * resolves once it listens (it wrote `shim.json` with its pid) or exited (another shim listens).
 */
function spawnShim(address: ShimAddress, timeoutMs: number): Promise<void> {
  let pending = spawning.get(address.socketName);
  if (!pending) {
    pending = (async () => {
      const log = openSync(join(address.stateDir, 'shim.log'), 'a');
      let exited = false;
      let pid: number | undefined;
      try {
        const shim = spawn(process.execPath, ['--max-old-space-size=256', address.shimPath, address.stateDir, address.socketName, String(address.idleMs)], {
          cwd: address.stateDir,
          env: {},
          detached: true,
          stdio: ['ignore', 'ignore', log],
        });
        pid = shim.pid;
        shim.on('error', () => (exited = true));
        shim.on('exit', () => (exited = true));
        shim.unref();
      } finally {
        closeSync(log);
      }
      const deadline = Date.now() + timeoutMs;
      while (!exited && Date.now() < deadline && readJson<{ pid?: number }>(join(address.stateDir, 'shim.json'))?.pid !== pid) await sleep(10);
    })().finally(() => spawning.delete(address.socketName));
    spawning.set(address.socketName, pending);
  }
  return pending;
}

/**
 * Asks the shim of `address.stateDir` to start the container in `request.dir`, starting the shim
 * first when none listens. Resolves once the shim accepted (the process may still be spawning);
 * rejects with the shim's reason, or when no shim answered within `timeoutMs`.
 */
export async function requestStart(address: ShimAddress, request: ShimStartRequest, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    let reply: string;
    try {
      reply = await send(address.socketName, request, Math.max(100, deadline - Date.now()));
    } catch (err) {
      lastError = err;
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ECONNREFUSED' || code === 'ENOENT' || code === 'ECONNRESET') {
        await spawnShim(address, Math.max(0, deadline - Date.now()));
        continue;
      }
      throw err;
    }
    if (reply === 'ok') return;
    throw new Error(reply.replace(/^error /, ''));
  }
  throw new Error(`no container shim answered within ${timeoutMs} ms: ${(lastError as Error | undefined)?.message ?? 'unknown error'}`);
}
