import { homedir, hostname } from 'node:os';
import { resolve } from 'node:path';
import { SkiffError } from '@skiff/core';
import type { JoinConfig } from './join.js';

/** A host name as a Node name: lower case, DNS-1123 characters only. */
export function defaultNodeName(): string {
  const name = hostname().toLowerCase().replace(/[^a-z0-9.-]+/g, '-').replace(/^[^a-z0-9]+|[^a-z0-9]+$/g, '');
  return name || 'node';
}

/** Validates the flags of `skiff node join`; bad values are `SKIFF_ERR_CLI_USAGE`. */
export function resolveJoinConfig(flags: Record<string, unknown>): JoinConfig {
  const usage = (message: string) => new SkiffError('SKIFF_ERR_CLI_USAGE', message, {});
  const server = String(flags['server'] ?? '');
  if (!/^https:\/\/[^/]+\/?$/.test(server)) throw usage(`--server must be https://host:port (got ${JSON.stringify(server)})`);
  const name = typeof flags['name'] === 'string' ? flags['name'] : defaultNodeName();
  if (!/^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/.test(name)) throw usage(`--name must be a lowercase DNS subdomain (got ${JSON.stringify(name)})`);
  const port = flags['port'] === undefined ? 10250 : Number(flags['port']);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw usage(`--port must be a port number (got ${JSON.stringify(flags['port'])})`);
  const podCIDR = flags['podCidr'];
  if (podCIDR !== undefined && !/^127\.\d{1,3}\.\d{1,3}\.\d{1,3}\/\d{1,2}$/.test(String(podCIDR))) throw usage(`--pod-cidr must be a range in 127.0.0.0/8 (got ${JSON.stringify(podCIDR)})`);
  return {
    server: server.replace(/\/$/, ''),
    token: String(flags['token'] ?? ''),
    name,
    runtime: typeof flags['runtime'] === 'string' ? flags['runtime'] : 'process',
    ...(typeof flags['dockerHost'] === 'string' ? { dockerHost: flags['dockerHost'] } : {}),
    ...(typeof flags['sandboxImage'] === 'string' ? { sandboxImage: flags['sandboxImage'] } : {}),
    dataDir: resolve(typeof flags['dataDir'] === 'string' ? flags['dataDir'] : resolve(homedir(), '.skiff', 'node')),
    port,
    ...(podCIDR !== undefined ? { podCIDR: String(podCIDR) } : {}),
    ...(typeof flags['caFile'] === 'string' ? { caFile: flags['caFile'] } : {}),
  };
}
