import { readFile, stat, writeFile } from 'node:fs/promises';
import { isSkiffError } from '@skiff/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bearerToken, createTokenAuthenticator, ensureTokens } from '../../src/auth/index.js';
import { tempDir } from './helpers.js';

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ dir, cleanup } = await tempDir()));
afterEach(() => cleanup());

describe('ensureTokens', () => {
  it('creates tokens.json (mode 0600) with an admin and a node-join token, and reuses it', async () => {
    const tokens = await ensureTokens(dir);
    expect(tokens.adminToken).toMatch(/^[0-9a-f]{64}$/);
    expect(tokens.nodeJoinToken).toMatch(/^[0-9a-f]{64}$/);
    expect(tokens.adminToken).not.toBe(tokens.nodeJoinToken);
    expect((await stat(tokens.path)).mode & 0o777).toBe(0o600);
    const json = JSON.parse(await readFile(tokens.path, 'utf8')) as { tokens: Array<{ username: string; groups: string[] }> };
    expect(json.tokens.map((t) => [t.username, t.groups])).toEqual([
      ['skiff-admin', ['system:masters', 'system:authenticated']],
      ['system:node-bootstrap', ['system:nodes', 'system:authenticated']],
    ]);
    const again = await ensureTokens(dir);
    expect([again.adminToken, again.nodeJoinToken]).toEqual([tokens.adminToken, tokens.nodeJoinToken]);
  });

  it('persists tokens added with addToken', async () => {
    const tokens = await ensureTokens(dir);
    const token = await tokens.addToken({ username: 'alice', groups: ['dev'] });
    expect(token).toMatch(/^[0-9a-f]{64}$/);
    const reloaded = await ensureTokens(dir);
    expect(reloaded.entries().find((e) => e.token === token)?.user).toEqual({ username: 'alice', groups: ['dev'] });
  });

  it('fails with a coded error on a malformed file and leaves it untouched', async () => {
    const path = `${dir}/tokens.json`;
    for (const text of ['{not json', '{"tokens": "x"}', '{"tokens": [{"token": "", "username": "a", "groups": []}]}', '{"tokens": [{"token": "t", "username": "a", "groups": [1]}]}']) {
      await writeFile(path, text);
      const err = await ensureTokens(dir).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(isSkiffError(err, 'SKIFF_ERR_AUTH_TOKENS')).toBe(true);
      expect((err as { details: Record<string, unknown> }).details).toMatchObject({ path });
      expect(await readFile(path, 'utf8')).toBe(text);
    }
  });
});

describe('createTokenAuthenticator', () => {
  it.each([
    ['missing header', {}, undefined],
    ['not Bearer', { authorization: 'Basic YWRtaW46YWRtaW4=' }, undefined],
    ['Bearer without a token', { authorization: 'Bearer ' }, undefined],
    ['Bearer alone', { authorization: 'Bearer' }, undefined],
    ['unknown token', { authorization: `Bearer ${'0'.repeat(64)}` }, undefined],
    ['short unknown token', { authorization: 'Bearer abc' }, undefined],
  ])('rejects: %s', async (_name, headers, expected) => {
    const tokens = await ensureTokens(dir);
    expect(createTokenAuthenticator(tokens)(headers)).toBe(expected);
  });

  it('authenticates the admin and node-join tokens (scheme case-insensitive)', async () => {
    const tokens = await ensureTokens(dir);
    const authenticate = createTokenAuthenticator(tokens);
    expect(authenticate({ authorization: `Bearer ${tokens.adminToken}` })).toEqual({ username: 'skiff-admin', groups: ['system:masters', 'system:authenticated'] });
    expect(authenticate({ authorization: `bearer ${tokens.nodeJoinToken}` })).toEqual({ username: 'system:node-bootstrap', groups: ['system:nodes', 'system:authenticated'] });
  });

  it('sees tokens added later and adds system:authenticated', async () => {
    const tokens = await ensureTokens(dir);
    const authenticate = createTokenAuthenticator(tokens);
    const token = await tokens.addToken({ username: 'bob', groups: ['dev'], uid: '42' });
    expect(authenticate({ authorization: `Bearer ${token}` })).toEqual({ username: 'bob', groups: ['dev', 'system:authenticated'], uid: '42' });
    // The caller may change what it got without affecting the token table.
    authenticate({ authorization: `Bearer ${token}` })!.groups.push('system:masters');
    expect(authenticate({ authorization: `Bearer ${token}` })!.groups).toEqual(['dev', 'system:authenticated']);
  });

  it('accepts a plain list of entries', () => {
    const authenticate = createTokenAuthenticator([{ token: 'static-token', user: { username: 'carol', groups: [] } }]);
    expect(authenticate({ authorization: 'Bearer static-token' })).toEqual({ username: 'carol', groups: ['system:authenticated'] });
    expect(authenticate({ authorization: 'Bearer static-token2' })).toBeUndefined();
  });

  it('bearerToken parses like Kubernetes', () => {
    expect(bearerToken({ authorization: '  Bearer abc  ' })).toBe('abc');
    expect(bearerToken({ authorization: 'BEARER abc' })).toBe('abc');
    expect(bearerToken({ authorization: 'Bearer  abc' })).toBeUndefined();
    expect(bearerToken({})).toBeUndefined();
  });
});
