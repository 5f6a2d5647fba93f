import { Worker } from 'node:worker_threads';
import type { LoadResult } from './http-load.js';
import type { FanOutResult } from './http-watch.js';
import type { JobResult, LoadJob } from './load-jobs.js';

/**
 * Runs load jobs on a worker thread, so the HTTP client (sending, reading, parsing watch streams)
 * does not share the event loop of the server it measures. Latencies are taken in the worker.
 */
export class LoadClient {
  private readonly worker: Worker;
  private nextId = 0;
  private readonly pending = new Map<number, { resolve: (r: JobResult) => void; reject: (e: Error) => void }>();

  private readonly ready: Promise<void>;

  constructor() {
    // A worker does not inherit tsx's loader hooks: register them in the worker, then load the entry.
    const tsx = import.meta.resolve('tsx/esm/api');
    const entry = new URL('./load-worker.ts', import.meta.url).href;
    const boot = `import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(entry)}); });`;
    this.worker = new Worker(boot, { eval: true });
    let markReady: () => void = () => undefined;
    let failReady: (err: Error) => void = () => undefined;
    this.ready = new Promise((resolve, reject) => {
      markReady = resolve;
      failReady = reject;
    });
    this.ready.catch(() => undefined); // reported to the next run() instead
    this.worker.on('message', (msg: { id: number; ready?: true; result?: JobResult; error?: string }) => {
      if (msg.ready) return markReady();
      const p = this.pending.get(msg.id);
      this.pending.delete(msg.id);
      if (msg.error !== undefined) p?.reject(new Error(`load worker: ${msg.error}`));
      else p?.resolve(msg.result!);
    });
    this.worker.on('error', (err) => {
      this.failAll(err);
      failReady(err);
    });
    this.worker.on('exit', (code) => {
      const err = new Error(`load worker exited (${code})`);
      this.failAll(err);
      failReady(err);
    });
  }

  private failAll(err: Error): void {
    for (const p of this.pending.values()) p.reject(err);
    this.pending.clear();
  }

  private async run(job: LoadJob): Promise<JobResult> {
    await this.ready;
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ id, job });
    });
  }

  /** A closed-loop or steady-rate job. */
  load(job: Extract<LoadJob, { kind: 'closed' | 'steady' }>): Promise<LoadResult & { offered?: number }> {
    return this.run(job) as Promise<LoadResult>;
  }

  /** A watch fan-out job. */
  fanOut(job: Extract<LoadJob, { kind: 'fanout' }>): Promise<FanOutResult> {
    return this.run(job) as Promise<FanOutResult>;
  }

  /** Stops the worker thread. */
  async close(): Promise<void> {
    await this.worker.terminate();
  }
}
