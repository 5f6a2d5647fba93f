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
