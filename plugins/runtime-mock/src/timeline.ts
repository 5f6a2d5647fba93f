import type { ContainerState } from '@skiff/sdk';
import type { MockContainer, MockExit } from './world.js';

/** The exit that ends the container first: a forced one or its natural end (`mock-run-ms`). */
export function scheduledExit(c: MockContainer): MockExit | undefined {
  const forced = c.forcedExit;
  const b = c.behaviour;
  const natural: MockExit | undefined =
    c.startedAt !== undefined && b.runMs !== undefined
      ? { at: c.startedAt + b.runMs, code: b.exitCode, reason: b.exitCode === 0 ? 'Completed' : 'Error' }
      : undefined;
  if (!natural) return forced;
  if (!forced) return natural;
  return natural.at <= forced.at ? natural : forced;
}

/** The exit that has happened by `now`, if any. */
export function exitAt(c: MockContainer, now: number): MockExit | undefined {
  const exit = scheduledExit(c);
  return exit && exit.at <= now ? exit : undefined;
}

/** The container's state at `now`. */
export function stateAt(c: MockContainer, now: number): ContainerState {
  if (exitAt(c, now)) return 'exited';
  return c.startedAt === undefined ? 'created' : 'running';
}

/** How long the container has been running by `now` (0 before it started). */
export function runningMs(c: MockContainer, now: number): number {
  if (c.startedAt === undefined) return 0;
  const end = exitAt(c, now)?.at ?? now;
  return Math.max(0, end - c.startedAt);
}
