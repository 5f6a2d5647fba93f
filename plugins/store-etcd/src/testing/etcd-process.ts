import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The etcd binary the tests run: `$ETCD_BIN`, else Debian's `/usr/bin/etcd`. */
export const ETCD_BIN = process.env['ETCD_BIN'] ?? '/usr/bin/etcd';

/** True when the etcd binary exists. Under `CI=true` a missing binary must fail the tests, not skip them. */
export function etcdAvailable(): boolean {
  return existsSync(ETCD_BIN);
}

/** Whether etcd tests should skip: only outside CI and only when the binary is missing (with a message). */
export function skipEtcdTests(): boolean {
  if (etcdAvailable()) return false;
  if (process.env['CI'] === 'true') return false; // let the tests run and fail loudly
  console.warn(`[store-etcd] skipping etcd tests: no etcd binary at ${ETCD_BIN} (install etcd-server or set ETCD_BIN)`);
  return true;
}

/** A free TCP port on 127.0.0.1 (asked from the kernel, then released). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** One etcd member process. */
export interface EtcdMember {
  name: string;
  clientUrl: string;
  peerUrl: string;
  dataDir: string;
  process: ChildProcess;
  /** Output so far, for failure messages. */
  log: () => string;
  /** SIGKILLs the member and waits for it to exit. */
  kill: () => Promise<void>;
}

/** A running etcd cluster of one or more members on loopback, data in a temporary folder. */
export interface EtcdCluster {
  members: EtcdMember[];
  /** Client URLs of every member. */
  endpoints: string[];
  /** Kills every member and removes the data folder. */
  stop: () => Promise<void>;
}

async function healthy(clientUrl: string): Promise<boolean> {
  try {
    const res = await fetch(`${clientUrl}/health`, { signal: AbortSignal.timeout(1000) });
    const body = (await res.json()) as { health?: unknown };
    return body.health === 'true' || body.health === true;
  } catch {
    return false;
  }
}

/** Polls `/health` of every listed member until all answer healthy, or fails after `timeoutMs`. */
export async function waitHealthy(members: EtcdMember[], timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const states = await Promise.all(members.map((m) => healthy(m.clientUrl)));
    if (states.every(Boolean)) return;
    const dead = members.find((m) => m.process.exitCode !== null);
    if (dead) throw new Error(`etcd member ${dead.name} exited (${dead.process.exitCode}):\n${dead.log()}`);
    if (Date.now() > deadline) {
      throw new Error(`etcd did not become healthy in ${timeoutMs} ms:\n${members.map((m) => `${m.name}:\n${m.log()}`).join('\n')}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The index of the member that is currently the raft leader (asked over etcd's JSON gateway), or -1. */
export async function leaderIndex(cluster: EtcdCluster): Promise<number> {
  for (let i = 0; i < cluster.members.length; i++) {
    try {
      const res = await fetch(`${cluster.members[i]!.clientUrl}/v3/maintenance/status`, {
        method: 'POST',
        body: '{}',
        signal: AbortSignal.timeout(1000),
      });
      const status = (await res.json()) as { header?: { member_id?: string }; leader?: string };
      if (status.leader && status.header?.member_id === status.leader) return i;
    } catch {
      // a dead or busy member: ask the next one
    }
  }
  return -1;
}

/** Starts an etcd cluster of `size` members on free 127.0.0.1 ports and waits until it is healthy. */
export async function startEtcd(size = 1): Promise<EtcdCluster> {
  if (!etcdAvailable()) throw new Error(`no etcd binary at ${ETCD_BIN}: install etcd-server or set ETCD_BIN`);
  const root = mkdtempSync(join(tmpdir(), 'skiff-etcd-'));
  const specs = [];
  for (let i = 0; i < size; i++) {
    specs.push({ name: `m${i}`, clientUrl: `http://127.0.0.1:${await freePort()}`, peerUrl: `http://127.0.0.1:${await freePort()}` });
  }
  const initialCluster = specs.map((s) => `${s.name}=${s.peerUrl}`).join(',');
  const token = `skiff-test-${process.pid}-${Date.now()}`;
  const members: EtcdMember[] = specs.map((spec) => {
    const dataDir = join(root, spec.name);
    const child = spawn(
      ETCD_BIN,
      [
        '--name', spec.name,
        '--data-dir', dataDir,
        '--listen-client-urls', spec.clientUrl,
        '--advertise-client-urls', spec.clientUrl,
        '--listen-peer-urls', spec.peerUrl,
        '--initial-advertise-peer-urls', spec.peerUrl,
        '--initial-cluster', initialCluster,
        '--initial-cluster-state', 'new',
        '--initial-cluster-token', token,
        '--heartbeat-interval', '50',
        '--election-timeout', '500',
        '--logger', 'zap',
        '--log-level', 'warn',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let log = '';
    const append = (chunk: Buffer) => {
      log = (log + chunk.toString('utf8')).slice(-20_000);
    };
    child.stdout.on('data', append);
    child.stderr.on('data', append);
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    return {
      ...spec,
      dataDir,
      process: child,
      log: () => log,
      kill: async () => {
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
        await exited;
      },
    };
  });
  const cluster: EtcdCluster = {
    members,
    endpoints: members.map((m) => m.clientUrl),
    stop: async () => {
      await Promise.all(members.map((m) => m.kill()));
      rmSync(root, { recursive: true, force: true });
    },
  };
  try {
    await waitHealthy(members);
  } catch (err) {
    await cluster.stop();
    throw err;
  }
  return cluster;
}
