import http from 'node:http';

/** How to reach a Docker engine: a unix socket, or a TCP port on 127.0.0.0/8 (nothing else is allowed here). */
type Target = { socketPath: string } | { host: string; port: number };

function target(dockerHost: string): Target {
  if (dockerHost.startsWith('unix://')) return { socketPath: dockerHost.slice('unix://'.length) };
  const url = new URL(dockerHost.replace(/^tcp:/, 'http:'));
  if (!/^127\.\d+\.\d+\.\d+$/.test(url.hostname) && url.hostname !== 'localhost') throw new Error(`${dockerHost} is not on 127.0.0.0/8`);
  return { host: url.hostname, port: Number(url.port || 2375) };
}

/** GETs `path` from the engine; resolves with status and body. */
function get(dockerHost: string, path: string, timeoutMs = 5_000): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.get({ ...target(dockerHost), path, timeout: timeoutMs }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('timeout', () => req.destroy(new Error(`GET ${path}: no answer within ${timeoutMs} ms`)));
    req.on('error', reject);
  });
}

/** Why the engine at `dockerHost` cannot run the bench (unreachable, or an image missing), or undefined when it can. */
export async function dockerUnusable(dockerHost: string | undefined, images: string[]): Promise<string | undefined> {
  if (!dockerHost) return 'DOCKER_HOST is not set (eval "$(scripts/test-docker-engine.sh start)" starts an engine)';
  try {
    const ping = await get(dockerHost, '/_ping');
    if (ping.status !== 200) return `the engine at ${dockerHost} answered /_ping with HTTP ${ping.status}`;
    for (const image of images) {
      const inspect = await get(dockerHost, `/images/${encodeURIComponent(image)}/json`);
      if (inspect.status !== 200) return `image ${image} is not present at ${dockerHost} (no pulls: scripts/test-docker-engine.sh start imports it)`;
    }
  } catch (err) {
    return `the engine at ${dockerHost} is unreachable: ${(err as Error).message}`;
  }
  return undefined;
}

/** A container event of the engine: its action, the container's name, and the engine's wall-clock time in ms. */
export interface ContainerEvent {
  action: string;
  name: string;
  atMs: number;
}

/**
 * Streams the engine's container events (`GET /events`) from now until `stop()`, which resolves
 * with what it saw. Times are the engine's `timeNano` (wall clock) in ms.
 */
export async function recordContainerEvents(dockerHost: string): Promise<{ stop(): Promise<ContainerEvent[]> }> {
  const events: ContainerEvent[] = [];
  const filters = encodeURIComponent(JSON.stringify({ type: ['container'] }));
  let req: http.ClientRequest | undefined;
  await new Promise<void>((resolve, reject) => {
    req = http.get({ ...target(dockerHost), path: `/events?filters=${filters}` }, (res) => {
      if (res.statusCode !== 200) return reject(new Error(`GET /events: HTTP ${res.statusCode}`));
      let buffer = '';
      res.setEncoding('utf8').on('data', (chunk: string) => {
        buffer += chunk;
        let nl: number;
        while ((nl = buffer.indexOf('\n')) >= 0) {
          const line = buffer.slice(0, nl);
          buffer = buffer.slice(nl + 1);
          try {
            const e = JSON.parse(line) as { Action?: string; Actor?: { Attributes?: Record<string, string> }; timeNano?: number };
            events.push({ action: e.Action ?? '', name: e.Actor?.Attributes?.['name'] ?? '', atMs: (e.timeNano ?? 0) / 1e6 });
          } catch {
            // not an event line
          }
        }
      });
      res.on('error', () => undefined);
      resolve();
    });
    req.on('error', reject);
  });
  return {
    async stop() {
      await new Promise((r) => setTimeout(r, 200)); // the last events may still be on their way
      req?.destroy();
      return events;
    },
  };
}
