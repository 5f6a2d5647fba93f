const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

/**
 * Formats a duration (in milliseconds) like Kubernetes' `duration.HumanDuration`
 * (k8s.io/apimachinery/pkg/util/duration), the format of kubectl's AGE column:
 *
 * - under -1s (more than a little clock skew) → `<invalid>`; -1s..0s → `0s`;
 * - under 2 minutes → seconds (`119s`);
 * - under 10 minutes → minutes and seconds (`2m30s`, `5m`);
 * - under 3 hours → minutes (`179m`);
 * - under 8 hours → hours and minutes (`3h10m`, `5h`);
 * - under 48 hours → hours (`47h`);
 * - under 8 days → days and hours (`3d4h`, `2d`);
 * - under 2 years → days (`400d`);
 * - under 8 years → years and days (`2y10d`, `3y`);
 * - otherwise years (`9y`).
 *
 * Every unit truncates towards zero (as Go's integer conversions do); a year is 365 days.
 */
export function humanDuration(ms: number): string {
  const seconds = Math.trunc(ms / SECOND);
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 60 * 2) return `${seconds}s`;
  const minutes = Math.trunc(ms / MINUTE);
  if (minutes < 10) {
    const s = seconds % 60;
    return s === 0 ? `${minutes}m` : `${minutes}m${s}s`;
  }
  if (minutes < 60 * 3) return `${minutes}m`;
  const hours = Math.trunc(ms / HOUR);
  if (hours < 8) {
    const m = minutes % 60;
    return m === 0 ? `${hours}h` : `${hours}h${m}m`;
  }
  if (hours < 48) return `${hours}h`;
  if (hours < 24 * 8) {
    const h = hours % 24;
    const days = Math.trunc(hours / 24);
    return h === 0 ? `${days}d` : `${days}d${h}h`;
  }
  if (hours < 24 * 365 * 2) return `${Math.trunc(hours / 24)}d`;
  if (hours < 24 * 365 * 8) {
    const years = Math.trunc(hours / 24 / 365);
    const dy = Math.trunc(hours / 24) % 365;
    return dy === 0 ? `${years}y` : `${years}y${dy}d`;
  }
  return `${Math.trunc(hours / 24 / 365)}y`;
}

/**
 * Like kubectl's `translateTimestampSince`: the {@link humanDuration} from an RFC 3339 timestamp to
 * `now`, or `<unknown>` when the timestamp is missing or unparsable.
 */
export function timestampSince(timestamp: unknown, now: Date): string {
  const t = parseTime(timestamp);
  return t === undefined ? '<unknown>' : humanDuration(now.getTime() - t);
}

/** Milliseconds since the epoch of an RFC 3339 timestamp; undefined when missing or unparsable. */
export function parseTime(timestamp: unknown): number | undefined {
  if (typeof timestamp !== 'string' || timestamp === '') return undefined;
  const t = Date.parse(timestamp);
  return Number.isNaN(t) ? undefined : t;
}
