import type { ContainerStatus as RuntimeContainer } from '@skiff/sdk';

/**
 * The container label holding the restart delay (ms) the agent waited before starting this
 * instance (`0` for a first start). The next delay is derived from it and the instance's run time,
 * so the backoff survives an agent restart (it lives in the runtime, like the restart count).
 */
export const RESTART_BACKOFF_LABEL = 'skiff.dev/restart-backoff-ms';

/** The restart backoff settings (`restartBackoff` option, defaults applied). */
export interface RestartBackoff {
  initialMs: number;
  maxMs: number;
  resetMs: number;
}

/**
 * How long to wait (counted from its `finishedAt`) before restarting the exited container `exited`:
 * `initialMs` after a first crash, double the delay that preceded `exited` while crashes are quick,
 * capped at `maxMs`; back to `initialMs` when `exited` ran at least `resetMs` before exiting
 * (Kubernetes resets a container's backoff after it ran cleanly for a while). An instance without
 * the {@link RESTART_BACKOFF_LABEL} (made by an older agent) is treated as `initialMs · 2^restartCount`.
 */
export function restartDelay(exited: RuntimeContainer, backoff: RestartBackoff): number {
  const { initialMs, maxMs, resetMs } = backoff;
  const finished = (exited.finishedAt ?? exited.createdAt).getTime();
  const ranMs = exited.startedAt ? finished - exited.startedAt.getTime() : 0;
  if (ranMs >= resetMs) return Math.min(initialMs, maxMs);
  const raw = exited.labels[RESTART_BACKOFF_LABEL];
  const before = raw !== undefined && /^\d+(\.\d+)?$/.test(raw) ? Number(raw) : undefined;
  if (before === undefined) return Math.min(initialMs * 2 ** Math.min(exited.restartCount ?? 0, 30), maxMs);
  return before > 0 ? Math.min(before * 2, maxMs) : Math.min(initialMs, maxMs);
}

/** A duration as Go's `time.Duration.String()` prints it (`300ms`, `10s`, `1m20s`, `5m0s`), as in Kubernetes' messages. */
export function goDuration(ms: number): string {
  if (ms <= 0) return '0s';
  if (ms < 1000) return `${trim(ms)}ms`;
  const totalSeconds = ms / 1000;
  const hours = Math.floor(totalSeconds / 3600);
  const minutes = Math.floor((totalSeconds - hours * 3600) / 60);
  const seconds = totalSeconds - hours * 3600 - minutes * 60;
  if (hours > 0) return `${hours}h${minutes}m${trim(seconds)}s`;
  if (minutes > 0) return `${minutes}m${trim(seconds)}s`;
  return `${trim(seconds)}s`;
}

function trim(n: number): string {
  return String(Math.round(n * 1000) / 1000);
}
