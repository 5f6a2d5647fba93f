import http from 'node:http';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request, startServer, type Running } from './helpers.js';

let s: Running;
const logged: unknown[] = [];
beforeAll(async () => {
  s = await startServer({ log: (message, err) => logged.push([message, err]) });
});
afterAll(async () => {
  await s?.stop();
});

/** Names that exist in a fresh cluster: hostile requests must never name them (a DELETE would be a legal write). */
const EXISTING = new Set(['default', 'kube-system', 'kube-public', 'kube-node-lease']);

const segment = fc
  .oneof(
    fc.stringMatching(/^[a-z0-9.-]{1,20}$/),
    fc.string({ maxLength: 30 }).map((x) => encodeURIComponent(x)),
    fc.constantFrom('..', '.', '%', '%zz', '%E0%A4%A', '%00', '%2F', '__proto__', 'constructor', 'watch', 'status', 'scale', 'binding', 'log', 'x'.repeat(300)),
  )
  .filter((x) => !EXISTING.has(x) && !EXISTING.has(safeDecode(x)));

function safeDecode(x: string): string {
  try {
    return decodeURIComponent(x);
  } catch {
    return x;
  }
}

const template = fc.constantFrom(
  '/api/v1/namespaces/default/configmaps',
  '/api/v1/namespaces/default/configmaps/{}',
  '/api/v1/namespaces/default/pods/{}/binding',
  '/api/v1/namespaces/default/pods/{}/log',
  '/api/v1/namespaces/default/pods/{}/status',
  '/apis/apps/v1/namespaces/default/deployments/{}/scale',
  '/apis/apps/v1/namespaces/{}/deployments',
  '/api/v1/namespaces',
  '/api/v1/namespaces/{}',
  '/api/v1/namespaces/{}/status',
  '/api/v1/namespaces/{}/configmaps/{}',
  '/api/v1/{}',
  '/apis/{}/v1/{}',
  '/api/v1/watch/namespaces/default/{}',
  '/{}',
  '//api//v1',
  '/api/v1/nodes/{}',
  '/apis/apps/v1/deployments',
  '/api',
  '/apis',
  '/version',
);

const path = fc.tuple(template, fc.array(segment, { minLength: 3, maxLength: 3 })).map(([t, segs]) => {
  let i = 0;
  return t.replace(/\{\}/g, () => segs[i++]!);
});

const queryValue = fc.oneof(fc.string({ maxLength: 40 }), fc.constantFrom('true', '1', '0', 'All', 'Strict', 'Warn', '-1', '99999999999999999999', 'app in (', 'a=b,,', '!!x', 'metadata.name=x'));
const query = fc
  .array(
    fc.tuple(
      fc.constantFrom('labelSelector', 'fieldSelector', 'limit', 'continue', 'resourceVersion', 'timeoutSeconds', 'watch', 'allowWatchBookmarks', 'dryRun', 'fieldValidation', 'fieldManager', 'force', 'propagationPolicy', 'gracePeriodSeconds', 'sendInitialEvents', 'preconditions.uid'),
      queryValue,
    ),
    { maxLength: 4 },
  )
  // Writes from hostile input must not happen: every write carries a defect, or runs as a dry run.
  .map((pairs) => new URLSearchParams(pairs.map(([k, v]): [string, string] => [k, v])).toString());

const name = fc.stringMatching(/^[a-z][a-z0-9-]{0,10}$/).filter((n) => !EXISTING.has(n));
/** Objects with at least one defect of their own, whatever path they are sent to. */
const defectiveObjectOf = (apiVersionArb: fc.Arbitrary<unknown>, kindArb: fc.Arbitrary<unknown>) => fc
  .record({
    apiVersion: apiVersionArb,
    kind: kindArb,
    name,
    defect: fc.constantFrom('badName', 'hugeLabel', 'badLabelKey', 'proto', 'constructor', 'noMetadata', 'badKind', 'metadataArray'),
    extra: fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 }),
  })
  .map(({ apiVersion, kind, name: n, defect, extra }) => {
    const obj: Record<string, unknown> = { ...extra, apiVersion, kind, metadata: { name: n, namespace: 'default' } };
    switch (defect) {
      case 'badName':
        (obj['metadata'] as Record<string, unknown>)['name'] = `Bad_${n}`;
        break;
      case 'hugeLabel':
        (obj['metadata'] as Record<string, unknown>)['labels'] = { app: 'x'.repeat(64 + n.length * 100) };
        break;
      case 'badLabelKey':
        (obj['metadata'] as Record<string, unknown>)['labels'] = { 'bad key!': 'v' };
        break;
      case 'noMetadata':
        delete obj['metadata'];
        break;
      case 'badKind':
        obj['kind'] = 'Widget';
        break;
      case 'metadataArray':
        obj['metadata'] = [n];
        break;
      default:
        break;
    }
    let text = JSON.stringify(obj);
    if (defect === 'proto') text = text.replace(/^\{/, '{"__proto__":{"polluted":true},');
    if (defect === 'constructor') text = text.replace(/^\{/, '{"metadata2":{"constructor":{"prototype":{"x":1}}},"constructor":{"prototype":{"polluted":true}},');
    return text;
  });
const defectiveObject = defectiveObjectOf(
  fc.constantFrom<unknown>('v1', 'apps/v1', 'nope/v9', 7, null),
  fc.constantFrom<unknown>('ConfigMap', 'Pod', 'Namespace', 'Deployment', 'Secret', 'Binding', 'Scale', 'DeleteOptions'),
);

/** Collection paths with the kind they serve, so defective objects get past the kind check into validation. */
const COLLECTIONS: [string, string, string][] = [
  ['/api/v1/namespaces/default/configmaps', 'v1', 'ConfigMap'],
  ['/api/v1/namespaces/default/secrets', 'v1', 'Secret'],
  ['/api/v1/namespaces/default/pods', 'v1', 'Pod'],
  ['/api/v1/namespaces/default/services', 'v1', 'Service'],
  ['/api/v1/namespaces', 'v1', 'Namespace'],
  ['/api/v1/nodes', 'v1', 'Node'],
  ['/apis/apps/v1/namespaces/default/deployments', 'apps/v1', 'Deployment'],
  ['/apis/batch/v1/namespaces/default/jobs', 'batch/v1', 'Job'],
];
const matchedCreate = fc
  .constantFrom(...COLLECTIONS)
  .chain(([p, apiVersion, kind]) => defectiveObjectOf(fc.constant(apiVersion), fc.constant(kind)).map((b) => [p, b] as const));

const body = fc.oneof(
  defectiveObject,
  fc.string({ maxLength: 200 }),
  fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v) ?? 'null'),
  fc.constantFrom('', '{', '[', '{"a":', 'null', '[]', '{}', '"str"', '123', '\u0000\u0001', 'a: [', 'k8s\u0000garbage', '---\na: 1\n---\nb: 2', '&a [*a, *a]'),
  fc.uint8Array({ maxLength: 64 }).map((a) => Buffer.from(a)),
);

const contentType = fc.constantFrom(
  null,
  'application/json',
  'application/json; charset=utf-8',
  'application/merge-patch+json',
  'application/json-patch+json',
  'application/strategic-merge-patch+json',
  'application/apply-patch+yaml',
  'application/yaml',
  'application/vnd.kubernetes.protobuf',
  'text/plain',
  'application/x-www-form-urlencoded',
  'garbage;;;=',
  '',
);

const method = fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS', 'TRACE', 'PROPFIND');

/** Sends one request and resolves with the status code as soon as headers arrive (watches are cut off). */
function statusOf(m: string, p: string, b: string | Buffer | undefined, ct: string | null): Promise<number> {
  return new Promise((resolve, reject) => {
    const url = new URL(s.url);
    const headers: Record<string, string | number> = {};
    if (b !== undefined) headers['Content-Length'] = Buffer.byteLength(b);
    if (ct !== null) headers['Content-Type'] = ct;
    const req = http.request({ host: url.hostname, port: url.port, method: m, path: p, headers, agent: false }, (res) => {
      resolve(res.statusCode ?? 0);
      res.resume();
      req.destroy();
    });
    req.setTimeout(10_000, () => {
      req.destroy();
      reject(new Error(`no answer to ${m} ${p}`));
    });
    req.on('error', (err) => reject(err));
    if (b !== undefined) req.write(b);
    req.end();
  });
}

describe('hostile input', () => {
  it('never answers 5xx, never writes, and the server keeps answering', async () => {
    const revision = await s.cluster.store.currentRevision();
    const codes = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(method, path, query, fc.option(body, { nil: undefined }), contentType, async (m, p, q, b, ct) => {
        const target = q ? `${p}?${q}` : p;
        const code = await statusOf(m, target, m === 'GET' || m === 'HEAD' ? undefined : b, ct);
        codes.set(code, (codes.get(code) ?? 0) + 1);
        expect(code, `${m} ${target}`).toBeGreaterThanOrEqual(200);
        expect(code, `${m} ${target} ${String(b).slice(0, 200)}`).toBeLessThan(500);
      }),
      { numRuns: 400 },
    );
    // The generators reach every kind of refusal (a sanity check on the property itself).
    for (const expected of [400, 404, 405, 415]) expect(codes.get(expected) ?? 0, `answers ${expected}`).toBeGreaterThan(0);
    expect((await request(s.url, 'GET', '/healthz')).status).toBe(200);
    expect(await s.cluster.store.currentRevision()).toBe(revision);
    expect(logged).toEqual([]);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it('refuses defective objects sent to the matching collection with 4xx, writing nothing', async () => {
    const revision = await s.cluster.store.currentRevision();
    const codes = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(matchedCreate, fc.constantFrom('', 'fieldValidation=Strict', 'fieldValidation=Ignore', 'dryRun=All'), async ([p, b], q) => {
        const code = await statusOf('POST', q ? `${p}?${q}` : p, b, 'application/json');
        codes.set(code, (codes.get(code) ?? 0) + 1);
        expect(code, `POST ${p} ${b.slice(0, 300)}`).toBeGreaterThanOrEqual(400);
        expect(code, `POST ${p} ${b.slice(0, 300)}`).toBeLessThan(500);
      }),
      { numRuns: 300 },
    );
    for (const expected of [400, 422]) expect(codes.get(expected) ?? 0, `answers ${expected}`).toBeGreaterThan(0);
    expect(await s.cluster.store.currentRevision()).toBe(revision);
    expect(logged).toEqual([]);
  });

  it('survives oversized and truncated bodies and raw protocol garbage', async () => {
    const revision = await s.cluster.store.currentRevision();
    const huge = await request(s.url, 'POST', '/api/v1/namespaces/default/configmaps', { body: Buffer.alloc(4 * 1024 * 1024, 0x61) });
    expect(huge.status).toBe(413);
    await new Promise<void>((resolve) => {
      const url = new URL(s.url);
      const req = http.request({ host: url.hostname, port: url.port, method: 'POST', path: '/api/v1/namespaces/default/configmaps', headers: { 'Content-Length': 1000, 'Content-Type': 'application/json' } });
      req.on('error', () => resolve());
      req.write('{"apiVersion":"v1",');
      setImmediate(() => {
        req.destroy();
        resolve();
      });
    });
    const net = await import('node:net');
    await new Promise<void>((resolve) => {
      const url = new URL(s.url);
      const sock = net.connect(Number(url.port), url.hostname, () => sock.write('GARBAGE \x00\x01 HTTP/9.9\r\n\r\n'));
      sock.on('data', () => sock.destroy());
      sock.on('close', () => resolve());
      sock.on('error', () => resolve());
    });
    expect((await request(s.url, 'GET', '/healthz')).status).toBe(200);
    expect(await s.cluster.store.currentRevision()).toBe(revision);
  });
});
