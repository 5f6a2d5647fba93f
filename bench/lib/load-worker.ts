import { parentPort } from 'node:worker_threads';
import { type LoadJob, runJob } from './load-jobs.js';

// The load generator's thread: runs one job per message and answers { id, result } or { id, error }.
parentPort?.on('message', (msg: { id: number; job: LoadJob }) => {
  runJob(msg.job).then(
    (result) => parentPort?.postMessage({ id: msg.id, result }),
    (err: unknown) => parentPort?.postMessage({ id: msg.id, error: (err as Error)?.stack ?? String(err) }),
  );
});
parentPort?.postMessage({ id: -1, ready: true });
