import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiErrors, type PodLogOptions } from '@skiff/core';
import { AgentServer } from '../src/agent-server.js';

const asked: { pod: string; options: PodLogOptions }[] = [];
const server = new AgentServer({
  host: '127.0.0.1',
  port: 0,
  token: 'secret',
  logs: {
    async logs(_namespace, pod, options) {
      if (pod === 'missing') throw apiErrors.notFound({ kind: 'pods', name: pod });
      asked.push({ pod, options });
      return (async function* () {
        yield 'a\n';
        yield 'b\n';
      })();
    },
  },
});
let port: number;

function get(path: string, token?: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    http.get({ host: '127.0.0.1', port, path, headers: token ? { Authorization: `Bearer ${token}` } : {} }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    }).on('error', reject);
  });
}

beforeAll(async () => {
  port = await server.listen();
});
afterAll(() => server.close());

describe('the node agent endpoint', () => {
  it('refuses requests without the node credential', async () => {
    expect(await get('/containerLogs/default/web')).toMatchObject({ status: 401 });
    expect(await get('/containerLogs/default/web', 'wrong')).toMatchObject({ status: 401 });
    expect(asked).toEqual([]);
  });

  it('streams logs with the options from the query and the container from the path', async () => {
    expect(await get('/containerLogs/default/web/app?tailLines=2&follow=true', 'secret')).toEqual({ status: 200, body: 'a\nb\n' });
    expect(asked.at(-1)).toEqual({ pod: 'web', options: { container: 'app', follow: true, tailLines: 2 } });
  });

  it('answers Statuses: the source\'s 404, 400 for a bad option, 404 for an unknown path', async () => {
    const missing = await get('/containerLogs/default/missing', 'secret');
    expect(missing.status).toBe(404);
    expect(JSON.parse(missing.body)).toMatchObject({ kind: 'Status', code: 404, message: 'pods "missing" not found' });
    expect((await get('/containerLogs/default/web?tailLines=x', 'secret')).status).toBe(400);
    expect((await get('/exec/default/web', 'secret')).status).toBe(404);
    expect((await get('/healthz', 'secret')).body).toBe('ok');
  });
});
