import type { ContainerState } from '@skiff/sdk';
import { isAlive } from './proc.js';
import { writeJson, type ExitRecord, type StartedRecord, type StateDir } from './state.js';

/** The exit code reported when a process ended while no shim watched it (containerd's `UnknownExitStatus`). */
export const UNKNOWN_EXIT_CODE = 255;

/** What the files and `/proc` say about one container now. */
export interface Observed {
  state: ContainerState;
  started?: StartedRecord;
  exit?: ExitRecord;
}

/**
 * Derives a container's state from its files and `/proc`: `exited` once `exit.json` exists;
 * `created` before the shim wrote `started.json`; `running` while its main process (checked by pid
 * and start time) or its shim lives. When both are gone without an `exit.json` (the shim was
 * killed, the machine rebooted) the exit is recorded as `assumed` when given (the runtime sent a
 * SIGKILL itself) or as exit code 255, reason `Unknown`.
 */
export function observe(state: StateDir, id: string, assumed?: ExitRecord): Observed {
  const exit = state.readExit(id);
  const started = state.readStarted(id);
  if (exit) return { state: 'exited', exit, ...(started ? { started } : {}) };
  if (!started) return { state: 'created' };
  if (isAlive(started.process) || isAlive(started.shim)) return { state: 'running', started };
  // Re-read: the shim may have written the exit just before it ended.
  const late = state.readExit(id);
  if (late) return { state: 'exited', exit: late, started };
  const unknown: ExitRecord = assumed ?? {
    finishedAt: Date.now(),
    exitCode: UNKNOWN_EXIT_CODE,
    reason: 'Unknown',
    message: 'the process ended while no shim watched it, so its exit code is unknown',
  };
  try {
    writeJson(state.files(id).exit, unknown);
  } catch {
    // removed meanwhile
  }
  return { state: 'exited', exit: unknown, started };
}
