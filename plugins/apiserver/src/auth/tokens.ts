import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { join } from 'node:path';
import type { UserInfo } from '@skiff/core';
import { authFileError, readIfExists, writeFileAtomic } from './files.js';

/** The admin user the token file is created with (in `system:masters`). */
export const ADMIN_USER: Readonly<UserInfo> = Object.freeze({ username: 'skiff-admin', groups: ['system:masters', 'system:authenticated'] });
/** The user nodes join with (in `system:nodes`). */
export const NODE_BOOTSTRAP_USER: Readonly<UserInfo> = Object.freeze({ username: 'system:node-bootstrap', groups: ['system:nodes', 'system:authenticated'] });

/** One line of the token file: a bearer token and the user it authenticates as. */
export interface TokenEntry {
  token: string;
  user: UserInfo;
}

/** The token file's JSON shape. */
interface TokenFileJson {
  tokens: Array<{ token: string; username: string; groups: string[]; uid?: string }>;
}

/**
 * The static tokens of `<dir>/tokens.json`. `entries()` is live: tokens added with `addToken`
 * are seen by authenticators created earlier.
 */
export interface Tokens {
  readonly path: string;
  /** The admin token (user `skiff-admin`). */
  readonly adminToken: string;
  /** The node-join token (user `system:node-bootstrap`). */
  readonly nodeJoinToken: string;
  entries(): readonly TokenEntry[];
  /** Adds a random 32-byte hex token for `user`, persists the file (mode 0600) and returns the token. */
  addToken(user: UserInfo): Promise<string>;
}

/** A fresh random token: 32 bytes, hex. */
export function randomToken(): string {
  return randomBytes(32).toString('hex');
}

/**
 * Loads `<dir>/tokens.json`, creating it (mode 0600) on first start with an admin token and a
 * node-join token. An existing file missing one of those gets it appended; nothing else is ever
 * changed. An unreadable or malformed file fails with `SKIFF_ERR_AUTH_TOKENS` (naming the file in `details.path`) and is left untouched.
 */
export async function ensureTokens(dir: string): Promise<Tokens> {
  const path = join(dir, 'tokens.json');
  const text = await readIfExists(path);
  const entries: TokenEntry[] = text === undefined ? [] : parseTokenFile(path, text);
  let dirty = text === undefined;
  const ensure = (user: Readonly<UserInfo>): string => {
    const found = entries.find((e) => e.user.username === user.username);
    if (found) return found.token;
    dirty = true;
    const token = randomToken();
    entries.push({ token, user: { username: user.username, groups: [...user.groups] } });
    return token;
  };
  const adminToken = ensure(ADMIN_USER);
  const nodeJoinToken = ensure(NODE_BOOTSTRAP_USER);
  const save = () => writeFileAtomic(path, serialize(entries), 0o600);
  if (dirty) await save();
  return {
    path,
    adminToken,
    nodeJoinToken,
    entries: () => entries,
    async addToken(user) {
      const token = randomToken();
      entries.push({ token, user: { ...user, groups: [...user.groups] } });
      await save();
      return token;
    },
  };
}

function serialize(entries: readonly TokenEntry[]): string {
  const json: TokenFileJson = {
    tokens: entries.map((e) => ({ token: e.token, username: e.user.username, groups: e.user.groups, ...(e.user.uid ? { uid: e.user.uid } : {}) })),
  };
  return `${JSON.stringify(json, null, 2)}\n`;
}

function parseTokenFile(path: string, text: string): TokenEntry[] {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw authFileError('SKIFF_ERR_AUTH_TOKENS', path, 'not valid JSON', err);
  }
  const list = (json as { tokens?: unknown } | null)?.tokens;
  if (!Array.isArray(list)) throw authFileError('SKIFF_ERR_AUTH_TOKENS', path, 'expected an object with a "tokens" array');
  return list.map((item: unknown, i) => {
    const e = item as Record<string, unknown> | null;
    const ok =
      e !== null &&
      typeof e === 'object' &&
      typeof e['token'] === 'string' &&
      e['token'].length > 0 &&
      typeof e['username'] === 'string' &&
      e['username'].length > 0 &&
      Array.isArray(e['groups']) &&
      e['groups'].every((g) => typeof g === 'string') &&
      (e['uid'] === undefined || typeof e['uid'] === 'string');
    if (!ok) throw authFileError('SKIFF_ERR_AUTH_TOKENS', path, `tokens[${i}] needs a non-empty "token" and "username" and a "groups" string array`);
    const user: UserInfo = { username: e['username'] as string, groups: [...(e['groups'] as string[])] };
    if (typeof e['uid'] === 'string') user.uid = e['uid'];
    return { token: e['token'] as string, user };
  });
}

function isTokenList(tokens: Tokens | readonly TokenEntry[]): tokens is readonly TokenEntry[] {
  return Array.isArray(tokens);
}

const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();

/**
 * The bearer token in an `Authorization` header (`Bearer <token>`, scheme case-insensitive, as
 * Kubernetes reads it), or undefined.
 */
export function bearerToken(headers: IncomingHttpHeaders): string | undefined {
  const raw = headers.authorization as string | string[] | undefined;
  const value = Array.isArray(raw) ? raw[0] : raw;
  if (typeof value !== 'string') return undefined;
  const parts = value.trim().split(' ');
  if (parts.length < 2 || parts[0]!.toLowerCase() !== 'bearer') return undefined;
  const token = parts[1]!;
  return token.length > 0 ? token : undefined;
}

/**
 * An authenticator over static tokens: returns the user of the request's bearer token, or
 * undefined when the header is missing, not `Bearer`, or the token is unknown (the server then
 * answers 401 Unauthorized). Tokens are compared in constant time (SHA-256 digests with
 * `crypto.timingSafeEqual`, every entry checked). The user always carries `system:authenticated`.
 * The returned user is a fresh object the caller may keep.
 */
export function createTokenAuthenticator(tokens: Tokens | readonly TokenEntry[]): (headers: IncomingHttpHeaders) => UserInfo | undefined {
  const entries = (): readonly TokenEntry[] => (isTokenList(tokens) ? tokens : tokens.entries());
  return (headers) => {
    const token = bearerToken(headers);
    if (token === undefined) return undefined;
    const presented = digest(token);
    let match: TokenEntry | undefined;
    for (const entry of entries()) {
      if (timingSafeEqual(presented, digest(entry.token)) && !match) match = entry;
    }
    if (!match) return undefined;
    const groups = match.user.groups.includes('system:authenticated') ? [...match.user.groups] : [...match.user.groups, 'system:authenticated'];
    return { ...match.user, groups };
  };
}
