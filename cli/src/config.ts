import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { resolve } from 'node:path';
import { SkiffError } from '@skiff/core';
import { Ajv } from 'ajv';
import { parse } from 'yaml';

/** Settings for `skiff up`, from `--config FILE` and flags (flags win). */
export interface UpConfig {
  dataDir: string;
  apiPort: number;
  store: string;
  /** etcd client URLs, for `store: etcd`. */
  etcdEndpoints: string[];
  /** The local node's runtime: `process` for one node, `mock` for simulated (hollow) nodes, unless set. */
  runtime: string;
  /** The Docker engine for `runtime: docker` (default `DOCKER_HOST`, else the default socket). */
  dockerHost?: string;
  /** The image of each pod's sandbox container for `runtime: docker` (default `registry.k8s.io/pause:3.10`). */
  sandboxImage?: string;
  nodes: number;
  /** How long a node may go without renewing its Lease before it is NotReady (`--node-monitor-grace-period`, Go duration). */
  nodeMonitorGracePeriod: string;
  /** How long pods on an unreachable node are kept before eviction (`--pod-eviction-timeout`, Go duration). */
  podEvictionTimeout: string;
}

/** A Go duration as Kubernetes flags take them: `40s`, `5m`, `1m30s`, `500ms`, `1h`. */
const DURATION_PATTERN = '^(\\d+(\\.\\d+)?(h|m|s|ms))+$';

/** Milliseconds in a Go duration string matching {@link DURATION_PATTERN}. */
export function durationMs(text: string): number {
  const units: Record<string, number> = { h: 3_600_000, m: 60_000, s: 1_000, ms: 1 };
  let total = 0;
  for (const [, n, unit] of text.matchAll(/(\d+(?:\.\d+)?)(ms|h|m|s)/g)) total += Number(n) * units[unit!]!;
  return total;
}

const schema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    dataDir: { type: 'string', minLength: 1 },
    apiPort: { type: 'integer', minimum: 0, maximum: 65535 },
    store: { type: 'string', enum: ['sqlite', 'etcd', 'memory'] },
    etcdEndpoints: { type: 'array', items: { type: 'string', pattern: '^https?://' } },
    runtime: { type: 'string', minLength: 1 },
    dockerHost: { type: 'string', pattern: '^(unix|tcp|npipe)://' },
    sandboxImage: { type: 'string', minLength: 1 },
    nodes: { type: 'integer', minimum: 0 },
    nodeMonitorGracePeriod: { type: 'string', pattern: DURATION_PATTERN },
    podEvictionTimeout: { type: 'string', pattern: DURATION_PATTERN },
  },
} as const;

const validate = new Ajv({ allErrors: true }).compile(schema);

export const DEFAULTS: Omit<UpConfig, 'runtime'> = {
  dataDir: resolve(homedir(), '.skiff'),
  apiPort: 6443,
  store: 'sqlite',
  etcdEndpoints: [],
  nodes: 1,
  nodeMonitorGracePeriod: '40s',
  podEvictionTimeout: '5m0s',
};

function check(value: unknown, source: string): Partial<UpConfig> {
  if (!validate(value)) {
    const problems = (validate.errors ?? []).map((e) => `${e.instancePath || '(root)'} ${e.message}${e.keyword === 'additionalProperties' ? ` (${String((e.params as { additionalProperty?: string }).additionalProperty)})` : ''}`);
    throw new SkiffError('SKIFF_ERR_CLI_CONFIG', `${source}: ${problems.join('; ')}`, { source, problems });
  }
  return value as Partial<UpConfig>;
}

/** Reads a YAML (or JSON) config file; a missing, unreadable or invalid file is a coded error. */
export function readConfigFile(path: string): Partial<UpConfig> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new SkiffError('SKIFF_ERR_CLI_CONFIG', `cannot read config file ${path}: ${(err as Error).message}`, { path });
  }
  let value: unknown;
  try {
    value = parse(text) ?? {};
  } catch (err) {
    throw new SkiffError('SKIFF_ERR_CLI_CONFIG', `config file ${path} is not valid YAML: ${(err as Error).message}`, { path });
  }
  return check(value, `config file ${path}`);
}

/** Merges defaults, the config file and flags, and validates the result. */
export function resolveConfig(flags: Record<string, unknown>): UpConfig {
  const fromFile = typeof flags['config'] === 'string' ? readConfigFile(flags['config']) : {};
  const fromFlags: Record<string, unknown> = {};
  for (const key of ['dataDir', 'store', 'runtime', 'dockerHost', 'sandboxImage', 'nodeMonitorGracePeriod', 'podEvictionTimeout'] as const) if (flags[key] !== undefined) fromFlags[key] = flags[key];
  if (typeof flags['etcdEndpoints'] === 'string') fromFlags['etcdEndpoints'] = flags['etcdEndpoints'].split(',').map((e) => e.trim()).filter(Boolean);
  for (const key of ['apiPort', 'nodes'] as const) {
    if (flags[key] !== undefined) {
      const n = Number(flags[key]);
      fromFlags[key] = Number.isInteger(n) ? n : flags[key];
    }
  }
  const given = { ...DEFAULTS, ...fromFile, ...check(fromFlags, 'flags') };
  const merged: UpConfig = { ...given, runtime: given.runtime ?? (given.nodes > 1 ? 'mock' : 'process'), dataDir: resolve(given.dataDir) };
  if (merged.store === 'etcd' && merged.etcdEndpoints.length === 0) {
    throw new SkiffError('SKIFF_ERR_CLI_USAGE', '--store etcd needs --etcd-endpoints URL[,URL]', { store: 'etcd' });
  }
  return merged;
}
