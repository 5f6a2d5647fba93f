import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { kubeconfigYaml, writeKubeconfig } from '../../src/auth/index.js';
import { tempDir } from './helpers.js';

const CA = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ dir, cleanup } = await tempDir()));
afterEach(() => cleanup());

describe('kubeconfig', () => {
  it('has the shape kubectl reads, with defaults', () => {
    const config = parse(kubeconfigYaml({ server: 'https://127.0.0.1:6443', caCertPem: CA, token: 'secret' })) as Record<string, unknown>;
    expect(config).toEqual({
      apiVersion: 'v1',
      kind: 'Config',
      preferences: {},
      clusters: [{ name: 'skiff', cluster: { server: 'https://127.0.0.1:6443', 'certificate-authority-data': Buffer.from(CA).toString('base64') } }],
      users: [{ name: 'skiff-admin', user: { token: 'secret' } }],
      contexts: [{ name: 'skiff', context: { cluster: 'skiff', user: 'skiff-admin' } }],
      'current-context': 'skiff',
    });
    const clusters = config['clusters'] as Array<{ cluster: Record<string, string> }>;
    expect(Buffer.from(clusters[0]!.cluster['certificate-authority-data']!, 'base64').toString('utf8')).toBe(CA);
  });

  it('uses the given names and namespace', () => {
    const config = parse(
      kubeconfigYaml({ server: 'https://localhost:1', caCertPem: CA, token: 't', user: 'node-1', clusterName: 'c', contextName: 'ctx', namespace: 'team' }),
    ) as Record<string, unknown>;
    expect(config['current-context']).toBe('ctx');
    expect(config['contexts']).toEqual([{ name: 'ctx', context: { cluster: 'c', user: 'node-1', namespace: 'team' } }]);
    expect(config['users']).toEqual([{ name: 'node-1', user: { token: 't' } }]);
  });

  it('writeKubeconfig writes mode 0600', async () => {
    const path = join(dir, 'sub', 'kubeconfig');
    await writeKubeconfig(path, { server: 'https://127.0.0.1:6443', caCertPem: CA, token: 'secret' });
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect((parse(await readFile(path, 'utf8')) as { kind: string }).kind).toBe('Config');
  });
});
