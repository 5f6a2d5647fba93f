import http from 'node:http';
import { type LatencySummary, nowMs, sleep, summarize } from './stats.js';

/** One request of a load run. */
export interface RequestSpec {
  method: 'GET' | 'POST' | 'PUT';
  path: string;
  body?: Buffer;
}

/** The outcome of one HTTP request: status and body size (the body is read and discarded). */
export interface Reply {
  status: number;
  bytes: number;
}

/** Sends one request through `agent` to `base` (`http://127.0.0.1:port`) and reads the whole body. */
export function send(agent: http.Agent, base: URL, spec: RequestSpec, timeoutMs = 30_000): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const headers: http.OutgoingHttpHeaders = { accept: 'application/json' };
    if (spec.body) {
      headers['content-type'] = 'application/json';
      headers['content-length'] = spec.body.length;
    }
    const req = http.request({ host: base.hostname, port: base.port, method: spec.method, path: spec.path, headers, agent, timeout: timeoutMs }, (res) => {
      let bytes = 0;
      res.on('data', (c: Buffer) => (bytes += c.length));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, bytes }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`${spec.method} ${spec.path}: timed out after ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end(spec.body);
  });
}

/** What a load run measured. */
export interface LoadResult {
  /** Requests completed (any status). */
  ops: number;
  /** Replies outside 2xx plus transport errors. */
  errors: number;
  firstError?: string;
  seconds: number;
  /** Completed requests per second. */
  rate: number;
  latency: LatencySummary;
  /** Bytes of the last reply body, to show what was transferred. */
  replyBytes: number;
  truncated: boolean;
}

function record(errorsRef: { errors: number; firstError?: string }, what: string): void {
  errorsRef.errors++;
  errorsRef.firstError ??= what;
}

/**
 * Closed loop: `concurrency` workers each send the next request as soon as their previous one
 * answers, until `count` requests are done or `budgetMs` passed. Latency is per request.
 */
export async function closedLoop(opts: { agent: http.Agent; base: URL; count: number; concurrency: number; budgetMs: number; make: (i: number) => RequestSpec }): Promise<LoadResult> {
  const samples: number[] = [];
  const errs: { errors: number; firstError?: string } = { errors: 0 };
  let next = 0;
  let replyBytes = 0;
  const start = nowMs();
  const deadline = start + opts.budgetMs;
  const worker = async (): Promise<void> => {
    while (next < opts.count && nowMs() < deadline) {
      const spec = opts.make(next++);
      const t = nowMs();
      try {
        const reply = await send(opts.agent, opts.base, spec);
        samples.push(nowMs() - t);
        replyBytes = reply.bytes;
        if (reply.status < 200 || reply.status > 299) record(errs, `${spec.method} ${spec.path}: HTTP ${reply.status}`);
      } catch (err) {
        samples.push(nowMs() - t);
        record(errs, `${spec.method} ${spec.path}: ${(err as Error).message}`);
      }
    }
  };
  await Promise.all(Array.from({ length: opts.concurrency }, worker));
  const seconds = (nowMs() - start) / 1000;
  return { ops: samples.length, ...errs, seconds, rate: samples.length / seconds, latency: summarize(samples), replyBytes, truncated: samples.length < opts.count };
}

/**
 * Open loop at a steady rate: request `i` is due at `start + i / ratePerSecond`, sent when due
 * whether or not earlier ones answered, for `durationMs`. Latency counts from the due time, so a
 * server that falls behind shows it (no coordinated omission). Waits at most `drainMs` at the end.
 */
export async function steadyRate(opts: { agent: http.Agent; base: URL; ratePerSecond: number; durationMs: number; drainMs: number; make: (i: number) => RequestSpec }): Promise<LoadResult & { offered: number }> {
  const samples: number[] = [];
  const errs: { errors: number; firstError?: string } = { errors: 0 };
  const total = Math.floor((opts.ratePerSecond * opts.durationMs) / 1000);
  const gap = 1000 / opts.ratePerSecond;
  const inflight = new Set<Promise<void>>();
  let replyBytes = 0;
  const start = nowMs();
  for (let i = 0; i < total; ) {
    const now = nowMs();
    while (i < total && start + i * gap <= now) {
      const due = start + i * gap;
      const spec = opts.make(i++);
      const p: Promise<void> = send(opts.agent, opts.base, spec).then(
        (reply) => {
          samples.push(nowMs() - due);
          replyBytes = reply.bytes;
          if (reply.status < 200 || reply.status > 299) record(errs, `${spec.method} ${spec.path}: HTTP ${reply.status}`);
        },
        (err: unknown) => {
          samples.push(nowMs() - due);
          record(errs, `${spec.method} ${spec.path}: ${(err as Error).message}`);
        },
      ).finally(() => inflight.delete(p));
      inflight.add(p);
    }
    if (i < total) await sleep(Math.max(0, start + i * gap - nowMs()));
  }
  const drained = Promise.all(inflight);
  await Promise.race([drained, sleep(opts.drainMs)]);
  const seconds = (nowMs() - start) / 1000;
  return { ops: samples.length, ...errs, seconds, rate: samples.length / seconds, latency: summarize(samples), replyBytes, truncated: samples.length < total, offered: total };
}
