import type { LogLine, LogOptions } from '@skiff/sdk';
import { scheduledExit } from './timeline.js';
import type { MockContainer } from './world.js';

/**
 * A container's log as a virtual list, computed from its behaviour and times instead of stored:
 * its stdout then stderr lines at start, then `tick-N` lines every `logEveryMs` while it runs.
 * Index `i` is the i-th line ever written; a long-running ticker costs nothing until read.
 */
export class MockLog {
  constructor(private readonly c: MockContainer) {}

  private get fixedCount(): number {
    return this.c.behaviour.stdoutLines.length + this.c.behaviour.stderrLines.length;
  }

  /** How many lines have been written by `now`. */
  countAt(now: number): number {
    const { startedAt } = this.c;
    if (startedAt === undefined || now < startedAt) return 0;
    return this.fixedCount + this.ticksBefore(now);
  }

  /** Ticks written at or before `now`: tick k (1-based) is at `startedAt + (k-1)·every`, before the exit. */
  private ticksBefore(now: number): number {
    const every = this.c.behaviour.logEveryMs;
    const startedAt = this.c.startedAt;
    if (every === undefined || startedAt === undefined) return 0;
    const exit = scheduledExit(this.c);
    let count = Math.floor((now - startedAt) / every) + 1;
    if (exit) count = Math.min(count, Math.max(0, Math.ceil((exit.at - startedAt) / every)));
    return Math.max(0, count);
  }

  /** When the line at `index` is (or will be) written, or undefined when it never will. */
  timeOf(index: number): number | undefined {
    const { startedAt } = this.c;
    if (startedAt === undefined) return undefined;
    if (index < this.fixedCount) return startedAt;
    const every = this.c.behaviour.logEveryMs;
    if (every === undefined) return undefined;
    const time = startedAt + (index - this.fixedCount) * every;
    const exit = scheduledExit(this.c);
    return exit && time >= exit.at ? undefined : time;
  }

  /** The line at `index` (which must have a time). */
  line(index: number): LogLine {
    const b = this.c.behaviour;
    const time = new Date(this.timeOf(index) ?? 0);
    if (index < b.stdoutLines.length) return { time, stream: 'stdout', line: b.stdoutLines[index]! };
    if (index < this.fixedCount) return { time, stream: 'stderr', line: b.stderrLines[index - b.stdoutLines.length]! };
    return { time, stream: 'stdout', line: `tick-${index - this.fixedCount + 1}` };
  }

  /** The index of the first past line to return for `sinceTime` and `tailLines`, given `count` written. */
  firstIndex(count: number, options: LogOptions): number {
    let first = 0;
    if (options.sinceTime) {
      const since = options.sinceTime.getTime();
      let lo = 0;
      let hi = count;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if ((this.timeOf(mid) ?? Number.POSITIVE_INFINITY) >= since) hi = mid;
        else lo = mid + 1;
      }
      first = lo;
    }
    if (options.tailLines !== undefined) first = Math.max(first, count - Math.max(0, options.tailLines));
    return first;
  }
}
