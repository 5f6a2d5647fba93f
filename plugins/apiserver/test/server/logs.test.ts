import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createCluster, definePlugin, POD_LOGS_REGISTRY, type Cluster, type PodLogOptions, type PodLogSource } from '@skiff/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiServer, ApiServerKey } from '../../src/index.js';
import { eventually, request } from './helpers.js';

// A node agent stand-in: prints three lines, then (with follow) one line per push until aborted.
const calls: PodLogOptions[] = [];
const live: ((line: string) => void)[] = [];
const signals: AbortSignal[] = [];
const source: PodLogSource = {
  async logs(_ns, _pod, options, signal) {
    calls.push(options);
    signals.push(signal);
    const lines = ['one', 'two', 'three'].slice(options.tailLines !== undefined ? -options.tailLines : 0);
    return (async function* () {
      for (const l of lines) yield `${options.timestamps ? '2026-11-28T10:00:00.000000000Z ' : ''}${l}\n`;
      if (!options.follow) return;
      const queue: string[] = [];
      let wake: (() => void) | undefined;
      live.push((line) => {
        queue.push(line);
        wake?.();
      });
      while (!signal.aborted) {
        if (queue.length === 0) await new Promise<void>((r) => ((wake = r), signal.addEventListener('abort', () => r(), { once: true })));
        while (queue.length > 0) yield `${queue.shift()}\n`;
      }
    })();
  },
};
const fakeAgent = definePlugin({ name: 'FakeAgent', core: '*', apply: (c) => c.registry<PodLogSource>(POD_LOGS_REGISTRY).register('node-1', source) });

let cluster: Cluster;
let url: string;
let home: string;

const pod = (name: string, nodeName?: string) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'default' },
  spec: { ...(nodeName ? { nodeName } : {}), containers: [{ name: 'app', image: 'busybox' }] },
});

beforeAll(async () => {
  cluster = await createCluster({ plugins: [fakeAgent(), apiServer({ port: 0 })] });
  await cluster.start();
  url = cluster.use(ApiServerKey).url();
  const res = cluster.resources.require('v1', 'Pod');
  await cluster.api.create(res, 'default', pod('talker', 'node-1'));
  await cluster.api.create(res, 'default', pod('pending'));
  await cluster.api.create(res, 'default', pod('elsewhere', 'node-9'));
  home = mkdtempSync(join(tmpdir(), 'skiff-logs-'));
  writeFileSync(join(home, 'kubeconfig'), `apiVersion: v1\nkind: Config\nclusters:\n- name: s\n  cluster: {server: '${url}'}\nusers:\n- name: u\n  user: {}\ncontexts:\n- name: s\n  context: {cluster: s, user: u, namespace: default}\ncurrent-context: s\n`);
});

afterAll(async () => {
  await cluster?.stop();
  rmSync(home, { recursive: true, force: true });
});

describe('pods/<name>/log', () => {
  it('streams the node agent\'s lines as text/plain, passing kubectl\'s options through', async () => {
    const r = await request(url, 'GET', '/api/v1/namespaces/default/pods/talker/log?container=app&tailLines=2&timestamps=true');
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe('text/plain');
    expect(r.text).toBe('2026-11-28T10:00:00.000000000Z two\n2026-11-28T10:00:00.000000000Z three\n');
    expect(calls.at(-1)).toEqual({ container: 'app', tailLines: 2, timestamps: true });
  });

  it('answers a Status when it cannot stream', async () => {
    expect((await request(url, 'GET', '/api/v1/namespaces/default/pods/pending/log')).json).toMatchObject({ kind: 'Status', code: 400 });
    expect((await request(url, 'GET', '/api/v1/namespaces/default/pods/elsewhere/log')).json).toMatchObject({ kind: 'Status', code: 400 });
    expect((await request(url, 'GET', '/api/v1/namespaces/default/pods/nobody/log')).json).toMatchObject({ kind: 'Status', code: 404 });
    expect((await request(url, 'GET', '/api/v1/namespaces/default/pods/talker/log?tailLines=many')).json).toMatchObject({ kind: 'Status', code: 400 });
  });

  it('works with kubectl logs and kubectl logs -f', async () => {
    const env = { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: home, KUBECONFIG: join(home, 'kubeconfig') };
    const { stdout } = await promisify(execFile)('kubectl', ['logs', 'talker', `--cache-dir=${join(home, 'c1')}`], { env, timeout: 30_000 });
    expect(stdout).toBe('one\ntwo\nthree\n');
    const follow = spawn('kubectl', ['logs', '-f', 'talker', `--cache-dir=${join(home, 'c2')}`], { env });
    let out = '';
    follow.stdout.on('data', (d: Buffer) => (out += d.toString()));
    try {
      await eventually(() => expect(out).toBe('one\ntwo\nthree\n'), 30_000);
      await eventually(() => expect(live.length).toBeGreaterThan(0), 10_000);
      live.at(-1)!('four');
      await eventually(() => expect(out).toBe('one\ntwo\nthree\nfour\n'), 10_000);
    } finally {
      follow.kill();
    }
  });

  it('ends follow streams when the client goes', async () => {
    const before = live.length;
    const req = http.get(`${url}/api/v1/namespaces/default/pods/talker/log?follow=true`);
    req.on('error', () => undefined);
    await eventually(() => expect(live.length).toBe(before + 1), 10_000);
    const signal = signals.at(-1)!;
    expect(signal.aborted).toBe(false);
    req.destroy();
    await eventually(() => expect(signal.aborted).toBe(true), 10_000);
  });
});
