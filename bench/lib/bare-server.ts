import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** A bare `node:http` server: the baseline with no routing, admission, store or serialization. */
export interface BareServer {
  url: URL;
  /** Open watch streams. */
  watchers(): number;
  close(): Promise<void>;
}

/**
 * Starts the baseline server on 127.0.0.1 (free port). `GET /list` answers `listBody`, other GETs
 * `body`; POST reads the request and answers 201 with `body`, and also writes one watch line
 * (`{"type":"ADDED","object":<request body>}`) to every open `GET /watch` stream.
 */
export async function startBareServer(body: Buffer, listBody: Buffer): Promise<BareServer> {
  const streams = new Set<http.ServerResponse>();
  const server = http.createServer((req, res) => {
    if (req.method === 'POST') {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const line = Buffer.concat([Buffer.from('{"type":"ADDED","object":'), ...chunks, Buffer.from('}\n')]);
        for (const s of streams) s.write(line);
        res.writeHead(201, { 'content-type': 'application/json', 'content-length': body.length }).end(body);
      });
      return;
    }
    if (req.url?.startsWith('/watch')) {
      res.writeHead(200, { 'content-type': 'application/json', 'transfer-encoding': 'chunked' });
      res.flushHeaders();
      streams.add(res);
      res.on('close', () => streams.delete(res));
      return;
    }
    const out = req.url?.startsWith('/list') ? listBody : body;
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': out.length }).end(out);
  });
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: new URL(`http://127.0.0.1:${port}`),
    watchers: () => streams.size,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of streams) s.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
