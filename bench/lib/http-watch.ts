import http from 'node:http';
import { send } from './http-load.js';
import { type LatencySummary, nowMs, sleep, summarize } from './stats.js';

/** What the watch fan-out measured. */
export interface FanOutResult {
  watchers: number;
  writes: number;
  expected: number;
  delivered: number;
  latency: LatencySummary;
  /** Milliseconds from the first watch request to the last stream's headers. */
  connectMs: number;
}

/** The `metadata.name` of an ADDED event line without parsing all of it (the first `"name":"…"`). */
function addedName(line: string): string | undefined {
  if (!line.includes('"type":"ADDED"')) return undefined;
  const at = line.indexOf('"name":"');
  if (at < 0) return undefined;
  const from = at + 8;
  return line.slice(from, line.indexOf('"', from));
}

/**
 * Opens `watchers` streaming GETs on `watchPath` (all through one keep-alive agent with enough
 * sockets), then POSTs `writes` bodies to `postPath`, one every `intervalMs`, and records for every
 * watcher and every write the delivery time minus the time the POST started. Every stream and
 * socket is closed before it returns, also on failure; waits at most `timeoutMs` for deliveries.
 */
export async function watchFanOut(opts: {
  base: URL;
  watchPath: string;
  postPath: string;
  watchers: number;
  writes: number;
  intervalMs: number;
  timeoutMs: number;
  body: (i: number) => Buffer;
  name: (i: number) => string;
}): Promise<FanOutResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: opts.watchers + 8 });
  const writer = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const requests: http.ClientRequest[] = [];
  const started = new Map<string, number>();
  const samples: number[] = [];
  const expected = opts.watchers * opts.writes;
  let wake: () => void = () => undefined;
  const complete = new Promise<void>((resolve) => (wake = resolve));
  try {
    const t0 = nowMs();
    const open = (): Promise<void> =>
      new Promise((resolve, reject) => {
        const req = http.get({ host: opts.base.hostname, port: opts.base.port, path: opts.watchPath, agent }, (res) => {
          if (res.statusCode !== 200) return reject(new Error(`watch: HTTP ${res.statusCode}`));
          let buffer = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => {
            const t = nowMs();
            buffer += chunk;
            let nl: number;
            while ((nl = buffer.indexOf('\n')) >= 0) {
              const name = addedName(buffer.slice(0, nl));
              buffer = buffer.slice(nl + 1);
              const s = name === undefined ? undefined : started.get(name);
              if (s !== undefined) samples.push(t - s);
            }
            if (samples.length >= expected) wake();
          });
          res.on('error', () => undefined);
          resolve();
        });
        req.on('error', reject);
        requests.push(req);
      });
    for (let i = 0; i < opts.watchers; i += 100) {
      await Promise.all(Array.from({ length: Math.min(100, opts.watchers - i) }, open));
    }
    const connectMs = nowMs() - t0;
    await sleep(100);
    const w0 = nowMs();
    for (let i = 0; i < opts.writes; i++) {
      const wait = w0 + i * opts.intervalMs - nowMs();
      if (wait > 0) await sleep(wait);
      started.set(opts.name(i), nowMs());
      const reply = await send(writer, opts.base, { method: 'POST', path: opts.postPath, body: opts.body(i) });
      if (reply.status !== 201) throw new Error(`POST ${opts.postPath}: HTTP ${reply.status}`);
    }
    const timer = setTimeout(wake, opts.timeoutMs);
    await complete;
    clearTimeout(timer);
    return { watchers: opts.watchers, writes: opts.writes, expected, delivered: samples.length, latency: summarize(samples), connectMs };
  } finally {
    for (const r of requests) r.destroy();
    agent.destroy();
    writer.destroy();
  }
}
