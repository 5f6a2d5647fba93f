import http from 'node:http';
import { type BodyTemplate, bodyFor, configMapBody } from './bodies.js';
import { closedLoop, type LoadResult, type RequestSpec, steadyRate } from './http-load.js';
import { type FanOutResult, watchFanOut } from './http-watch.js';

/** A serializable request template: request `i` gets the body `bodyFor(body, i)`. */
export interface RequestTemplate {
  method: 'GET' | 'POST';
  path: string;
  body?: BodyTemplate;
}

/** Load jobs, plain data so they can be sent to the load worker thread. */
export type LoadJob =
  | { kind: 'closed'; base: string; request: RequestTemplate; count: number; concurrency: number; budgetMs: number }
  | { kind: 'steady'; base: string; request: RequestTemplate; ratePerSecond: number; durationMs: number; concurrency: number; drainMs: number }
  | { kind: 'fanout'; base: string; watchPath: string; postPath: string; watchers: number; writes: number; intervalMs: number; timeoutMs: number; prefix: string };

/** What each job kind returns. */
export type JobResult = LoadResult | (LoadResult & { offered: number }) | FanOutResult;

function specFor(t: RequestTemplate): (i: number) => RequestSpec {
  const body = t.body;
  return body ? (i) => ({ method: t.method, path: t.path, body: bodyFor(body, i) }) : () => ({ method: t.method, path: t.path });
}

/** Runs one load job in the current thread with its own keep-alive agent (destroyed afterwards). */
export async function runJob(job: LoadJob): Promise<JobResult> {
  const base = new URL(job.base);
  if (job.kind === 'fanout') {
    return watchFanOut({ ...job, base, body: (i) => configMapBody(`${job.prefix}-${i}`), name: (i) => `${job.prefix}-${i}` });
  }
  const agent = new http.Agent({ keepAlive: true, maxSockets: job.concurrency });
  try {
    const make = specFor(job.request);
    if (job.kind === 'closed') return await closedLoop({ agent, base, count: job.count, concurrency: job.concurrency, budgetMs: job.budgetMs, make });
    return await steadyRate({ agent, base, ratePerSecond: job.ratePerSecond, durationMs: job.durationMs, drainMs: job.drainMs, make });
  } finally {
    agent.destroy();
  }
}
