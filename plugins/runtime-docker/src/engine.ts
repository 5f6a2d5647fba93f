import Docker from 'dockerode';
import { isSkiffError, type SkiffError } from '@skiff/core';
import { runtimeError, withDeadline, type RuntimeErrorCode } from '@skiff/sdk';

/** The socket docker-modem falls back to when neither `host` nor `DOCKER_HOST` is set. */
export const DEFAULT_DOCKER_SOCKET = '/var/run/docker.sock';

/** Error codes of a failed connection to the engine (the socket or TCP port is not there, or answers too slowly). */
const CONNECTION_CODES = new Set(['ENOENT', 'ECONNREFUSED', 'EACCES', 'EPERM', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'ENOTSOCK', 'ESOCKETTIMEDOUT', 'ECONNABORTED']);

/** How the runtime reaches an engine: the client and a human-readable address for messages. */
export interface EngineConnection {
  docker: Docker;
  /** The engine's address as a URL (`unix:///var/run/docker.sock`, `tcp://host:2375`), named in errors. */
  host: string;
}

/**
 * Connects (lazily: no request is made) to the engine at `host`, a `unix:///path` or
 * `tcp://host:port` URL (`http://` and `https://` work too). Without `host`, docker-modem's own
 * defaults apply: `DOCKER_HOST` (with `DOCKER_TLS_VERIFY`/`DOCKER_CERT_PATH`), else
 * `/var/run/docker.sock`.
 */
export function connectEngine(host?: string): EngineConnection {
  if (!host) {
    const env = process.env['DOCKER_HOST'];
    return { docker: new Docker(), host: env && env.length > 0 ? env : `unix://${DEFAULT_DOCKER_SOCKET}` };
  }
  if (host.startsWith('unix://')) {
    const socketPath = host.slice('unix://'.length) || DEFAULT_DOCKER_SOCKET;
    // `host: undefined` keeps a tcp DOCKER_HOST in the environment from winning over the socket.
    return { docker: new Docker({ socketPath, host: undefined } as Docker.DockerOptions), host: `unix://${socketPath}` };
  }
  if (host.startsWith('/')) return connectEngine(`unix://${host}`);
  const withScheme = host.includes('://') ? host : `tcp://${host}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw runtimeError('SKIFF_ERR_RUNTIME_UNAVAILABLE', `Docker host "${host}" is not a unix:///path or tcp://host:port URL`, { host });
  }
  const protocol = url.protocol === 'https:' ? 'https' : 'http';
  const port = url.port || (protocol === 'https' ? '2376' : '2375');
  return {
    docker: new Docker({ host: url.hostname, port, protocol, socketPath: undefined } as Docker.DockerOptions),
    host: `${url.protocol === 'https:' ? 'https' : url.protocol === 'http:' ? 'http' : 'tcp'}://${url.hostname}:${port}`,
  };
}

/** The HTTP status of an engine error (from docker-modem), if any. */
export function statusOf(err: unknown): number | undefined {
  const code = (err as { statusCode?: unknown } | null)?.statusCode;
  return typeof code === 'number' ? code : undefined;
}

/** The engine's own message of an error, without docker-modem's `(HTTP code …)` prefix. */
export function engineMessage(err: unknown): string {
  const json = (err as { json?: { message?: unknown } } | null)?.json;
  if (json && typeof json.message === 'string') return json.message;
  const message = err instanceof Error ? err.message : String(err);
  return message.replace(/^\(HTTP code \d+\) [^-]*- /, '').trim();
}

/** True when `err` says the engine could not be reached at all. */
export function isConnectionError(err: unknown): boolean {
  if (statusOf(err) !== undefined) return false;
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && CONNECTION_CODES.has(code)) return true;
  const message = err instanceof Error ? err.message : '';
  return /socket hang up|timeout|ECONNREFUSED|ENOENT/i.test(message);
}

/**
 * Turns an engine failure into a runtime error: a connection failure is
 * `SKIFF_ERR_RUNTIME_UNAVAILABLE` naming the host, a 404 is `SKIFF_ERR_RUNTIME_NOT_FOUND` (when
 * `notFound` describes what was missing), any other refusal of the engine is `fallback`.
 */
export function engineError(err: unknown, host: string, what: string, options: { notFound?: string; fallback?: RuntimeErrorCode; details?: Record<string, unknown> } = {}): SkiffError {
  if (isSkiffError(err)) return err;
  const details = options.details ?? {};
  if (isConnectionError(err)) {
    const reason = err instanceof Error ? err.message : String(err);
    return runtimeError('SKIFF_ERR_RUNTIME_UNAVAILABLE', `Docker engine at ${host} unreachable: ${reason}`, { ...details, host }, { cause: err });
  }
  const status = statusOf(err);
  if (status === 404 && options.notFound) return runtimeError('SKIFF_ERR_RUNTIME_NOT_FOUND', options.notFound, details, { cause: err });
  return runtimeError(options.fallback ?? 'SKIFF_ERR_RUNTIME_STATE', `${what}: ${engineMessage(err)}`, { ...details, ...(status ? { statusCode: status } : {}) }, { cause: err });
}

/** The outcome of {@link probeDockerEngine}. */
export type DockerProbeResult = { ok: true; version: string } | { ok: false; reason: string };

/** Options of {@link probeDockerEngine}. */
export interface DockerProbeOptions {
  /** The engine's address (see `DockerRuntimeOptions.host`); default `DOCKER_HOST`, else `/var/run/docker.sock`. */
  host?: string;
  /** Give up after this long (default 5 s). */
  timeoutMs?: number;
}

/**
 * Asks the engine for its version, to tell clearly whether (and why not) it is usable: never
 * throws; `reason` names the engine's address and what went wrong.
 */
export async function probeDockerEngine(options: DockerProbeOptions = {}): Promise<DockerProbeResult> {
  let connection: EngineConnection;
  try {
    connection = connectEngine(options.host);
  } catch (err) {
    return { ok: false, reason: err instanceof Error ? err.message : String(err) };
  }
  const timeoutMs = options.timeoutMs ?? 5000;
  try {
    const version = await withDeadline(connection.docker.version(), timeoutMs, () => {
      throw Object.assign(new Error(`no answer within ${timeoutMs} ms`), { code: 'ETIMEDOUT' });
    });
    if (!version?.Version) return { ok: false, reason: `Docker engine at ${connection.host} answered without a version: is it a Docker engine?` };
    return { ok: true, version: version.Version };
  } catch (err) {
    return { ok: false, reason: engineError(err, connection.host, `Docker engine at ${connection.host} failed`, { fallback: 'SKIFF_ERR_RUNTIME_UNAVAILABLE' }).message };
  }
}
