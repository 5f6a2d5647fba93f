import { errors } from '../api/status.js';

/**
 * The contract between whoever runs pods (the node agent) and whoever serves `pods/<name>/log`
 * (the API server): each node agent registers a {@link PodLogSource} in the cluster registry named
 * {@link POD_LOGS_REGISTRY} under its node name; the API server looks up the pod's `spec.nodeName`.
 */
export const POD_LOGS_REGISTRY = 'podLogs';

/** Kubernetes' PodLogOptions, as `kubectl logs` sends them. */
export interface PodLogOptions {
  /** The container; may be omitted when the pod has exactly one. */
  container?: string;
  follow?: boolean;
  /** The previous (terminated) instance of the container. */
  previous?: boolean;
  tailLines?: number;
  sinceSeconds?: number;
  /** Prefix each line with an RFC 3339 timestamp and a space. */
  timestamps?: boolean;
  limitBytes?: number;
}

/**
 * Streams a pod's logs. The iterable yields text chunks (whole lines, each ending in `\n`). Without
 * `follow` it ends after the existing lines; with `follow` it ends when the container stops or
 * `signal` aborts. Failures are `ApiError`s (400 for a bad container name, 404 for an unknown pod)
 * so the API server can answer them as they are.
 */
export interface PodLogSource {
  logs(namespace: string, pod: string, options: PodLogOptions, signal: AbortSignal): Promise<AsyncIterable<string>>;
}

function intParam(query: URLSearchParams, name: string, min: number): number | undefined {
  const raw = query.get(name);
  if (raw === null || raw === '') return undefined;
  if (!/^-?\d+$/.test(raw) || Number(raw) < min) throw errors.badRequest(`${name} must be an integer of at least ${min} (got ${JSON.stringify(raw)})`);
  return Number(raw);
}

const boolParam = (query: URLSearchParams, name: string) => query.get(name) === 'true' || query.get(name) === '1';

/**
 * Kubernetes' PodLogOptions from a query string, as `kubectl logs` sends it to the API server and
 * the API server forwards it to a node agent. A malformed number is a 400 `ApiError`.
 */
export function podLogOptionsFromQuery(query: URLSearchParams): PodLogOptions {
  const options: PodLogOptions = {};
  const container = query.get('container');
  if (container) options.container = container;
  if (boolParam(query, 'follow')) options.follow = true;
  if (boolParam(query, 'previous')) options.previous = true;
  if (boolParam(query, 'timestamps')) options.timestamps = true;
  const tailLines = intParam(query, 'tailLines', 0);
  if (tailLines !== undefined) options.tailLines = tailLines;
  const sinceSeconds = intParam(query, 'sinceSeconds', 1);
  if (sinceSeconds !== undefined) options.sinceSeconds = sinceSeconds;
  const limitBytes = intParam(query, 'limitBytes', 1);
  if (limitBytes !== undefined) options.limitBytes = limitBytes;
  return options;
}

/** The query string for `options` (the inverse of {@link podLogOptionsFromQuery}). */
export function podLogQuery(options: PodLogOptions): URLSearchParams {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(options)) {
    if (value !== undefined && value !== false) query.set(key, String(value));
  }
  return query;
}
