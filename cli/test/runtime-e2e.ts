import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '@skiff/sdk/testing';
import { killSkiffChildren, runSkiff } from './run-skiff.js';

const execFileAsync = promisify(execFile);

/** What differs between runtimes in {@link describeRuntimeEndToEnd}. */
export interface RuntimeEndToEnd {
  /** The `--runtime` name. */
  runtime: string;
  /** More `skiff up` flags (the engine, the sandbox image). */
  upFlags?: string[];
  /**
   * The web server container: it listens on `$POD_IP:8080` (or all addresses), answers
   * {@link RuntimeEndToEnd.body} and first prints `listening on $POD_IP`.
   */
  server: { image: string; imagePullPolicy?: string; command: string[] };
  /** What the server answers on pod IP `ip`. */
  body(ip: string): string;
  /** Checks that nothing of the deleted pod `name` is left running (processes, containers). */
  expectGone?(name: string): Promise<void>;
  /** More tests, run against the same `skiff up`. */
  more?(kubectl: Kubectl, dir: string): void;
  /** Checks after `skiff up` stopped (graceful node shutdown): nothing is left running. */
  afterStop?(): Promise<void>;
}

export type Kubectl = (...args: string[]) => Promise<{ stdout: string; stderr: string }>;

/** GET http://host:port/ (reached through 127.0.0.0/8 only). */
export function httpGet(host: string, port: number): Promise<string> {
  return new Promise((done, fail) => {
    http.get({ host, port, path: '/', timeout: 3_000 }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => done(body));
    }).on('error', fail);
  });
}

/**
 * The end-to-end scenario for a real runtime, through `skiff up` and kubectl: a Deployment
 * of 3 web servers each answering on its own pod IP, `kubectl logs`, a deleted pod that stops
 * serving and is replaced, CrashLoopBackOff with a growing back-off and `--previous` logs, and a
 * liveness failure that restarts the container.
 */
export function describeRuntimeEndToEnd(e2e: RuntimeEndToEnd): void {
  const dir = mkdtempSync(join(tmpdir(), `skiff-${e2e.runtime}-cli-`));
  const dataDir = join(dir, 'data');
  const env = { ...process.env, KUBECONFIG: join(dataDir, 'kubeconfig'), HOME: dir };
  const kubectl: Kubectl = (...args) => execFileAsync('kubectl', [`--cache-dir=${join(dir, 'kcache')}`, ...args], { env });
  let server: ReturnType<typeof runSkiff>;

  beforeAll(async () => {
    server = runSkiff(['up', '--data-dir', dataDir, '--api-port', '0', '--store', 'memory', '--runtime', e2e.runtime, ...(e2e.upFlags ?? [])]);
    await eventually(() => expect(server.out.stdout).toMatch(/Ready/), { timeoutMs: 60_000 });
  }, 90_000);

  afterAll(async () => {
    if (server.out.code === undefined) server.child.kill('SIGTERM');
    await server.exited;
    killSkiffChildren();
    rmSync(dir, { recursive: true, force: true });
  }, 90_000);

  describe(`skiff up --runtime ${e2e.runtime}, driven by kubectl`, { timeout: 120_000 }, () => {
    it('rolls out a Deployment of 3 web servers, each answering on its own pod IP, with logs; a deleted pod stops serving', async () => {
      expect(server.out.stdout).toContain(`on the ${e2e.runtime} runtime`);
      const deployment = {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'web', namespace: 'default' },
        spec: {
          replicas: 3,
          selector: { matchLabels: { app: 'web' } },
          template: {
            metadata: { labels: { app: 'web' } },
            spec: {
              terminationGracePeriodSeconds: 2,
              containers: [{
                name: 'server',
                ...e2e.server,
                env: [{ name: 'POD_IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } }],
                ports: [{ containerPort: 8080 }],
                readinessProbe: { httpGet: { path: '/', port: 8080 }, periodSeconds: 1 },
              }],
            },
          },
        },
      };
      const file = join(dir, 'web.json');
      writeFileSync(file, JSON.stringify(deployment));
      await kubectl('apply', '-f', file);
      expect((await kubectl('rollout', 'status', 'deployment/web', '--timeout=90s')).stdout).toContain('successfully rolled out');
      const pods = JSON.parse((await kubectl('get', 'pods', '-l', 'app=web', '-o', 'json')).stdout) as { items: { metadata: { name: string }; status: { podIP: string } }[] };
      expect(pods.items).toHaveLength(3);
      const ips = pods.items.map((p) => p.status.podIP);
      expect(new Set(ips).size).toBe(3);
      for (const ip of ips) expect(await httpGet(ip, 8080)).toBe(e2e.body(ip));
      const first = pods.items[0]!;
      expect((await kubectl('logs', first.metadata.name)).stdout).toBe(`listening on ${first.status.podIP}\n`);

      await kubectl('delete', 'pod', first.metadata.name, '--wait=true', '--timeout=60s');
      await expect(httpGet(first.status.podIP, 8080)).rejects.toThrow(/ECONNREFUSED|ECONNRESET|socket hang up/);
      await e2e.expectGone?.(first.metadata.name);
      // The Deployment replaces it.
      expect((await kubectl('rollout', 'status', 'deployment/web', '--timeout=90s')).stdout).toContain('successfully rolled out');
    });

    it('a container exiting 1 goes into CrashLoopBackOff with a growing back-off; a failing liveness probe restarts its container', async () => {
      await kubectl('run', 'crash', '--image=busybox', '--image-pull-policy=IfNotPresent', '--restart=Always', '--command', '--', 'sh', '-c', 'echo boom; exit 1');
      const waiting = async () => JSON.parse((await kubectl('get', 'pod', 'crash', '-o', 'jsonpath={.status.containerStatuses[0].state.waiting}')).stdout || '{}') as { reason?: string; message?: string };
      await eventually(async () => expect(await waiting()).toMatchObject({ reason: 'CrashLoopBackOff', message: expect.stringMatching(/^back-off 10s /) }), { timeoutMs: 60_000 });
      await eventually(async () => expect(await waiting()).toMatchObject({ reason: 'CrashLoopBackOff', message: expect.stringMatching(/^back-off 20s /) }), { timeoutMs: 60_000 });
      expect((await kubectl('logs', 'crash', '--previous')).stdout).toBe('boom\n');

      const liveness = {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'unhealthy', namespace: 'default' },
        spec: {
          containers: [{ name: 'app', image: 'busybox', imagePullPolicy: 'IfNotPresent', command: ['sh', '-c', 'while true; do sleep 0.2; done'], livenessProbe: { tcpSocket: { port: 9 }, periodSeconds: 1, failureThreshold: 1 } }],
          terminationGracePeriodSeconds: 1,
        },
      };
      const file = join(dir, 'unhealthy.json');
      writeFileSync(file, JSON.stringify(liveness));
      await kubectl('apply', '-f', file);
      await eventually(async () => expect(Number((await kubectl('get', 'pod', 'unhealthy', '-o', 'jsonpath={.status.containerStatuses[0].restartCount}')).stdout)).toBeGreaterThanOrEqual(1), { timeoutMs: 60_000 });
    });

    e2e.more?.(kubectl, dir);

    it('stopping skiff up stops every pod it ran (graceful node shutdown)', async () => {
      server.child.kill('SIGTERM');
      await server.exited;
      expect(server.out.code).toBe(0);
      expect(server.out.stdout).toMatch(/stopped\n$/);
      await e2e.afterStop?.();
    });
  });
}
