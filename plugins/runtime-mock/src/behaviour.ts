import { MOCK_ANNOTATIONS as M, runtimeError } from '@skiff/sdk';

/** How one simulated container behaves, read from its `skiff.dev/mock-*` annotations. */
export interface MockBehaviour {
  startDelayMs: number;
  /** Exits this long after starting; undefined = runs until stopped. */
  runMs: number | undefined;
  exitCode: number;
  failStart: string | undefined;
  imageError: string | undefined;
  stdoutLines: string[];
  stderrLines: string[];
  /** Writes `tick-N` every this many ms while running; undefined = no ticks. */
  logEveryMs: number | undefined;
  ignoreSigterm: boolean;
  stopDelayMs: number;
  cpuMillicores: number;
  memoryBytes: number;
  fsBytes: number;
  unhealthy: boolean;
  readyAfterMs: number;
  execExitCode: number;
  execStdout: string;
  execStderr: string;
  execDelayMs: number;
}

/** Defaults a `MockRuntime` applies when a container's annotations say nothing. */
export interface MockDefaults {
  /** Default `skiff.dev/mock-start-delay-ms` (0). */
  startDelayMs?: number;
  /** Default `skiff.dev/mock-cpu-millicores` (0). */
  cpuMillicores?: number;
  /** Default `skiff.dev/mock-memory-bytes` (0). */
  memoryBytes?: number;
}

function number<F extends number | undefined>(annotations: Record<string, string>, key: string, fallback: F): number | F {
  const raw = annotations[key];
  if (raw === undefined) return fallback;
  const value = Number(raw.trim());
  if (raw.trim() === '' || !Number.isFinite(value) || value < 0) {
    throw runtimeError('SKIFF_ERR_RUNTIME_STATE', `annotation ${key}="${raw}" is not a non-negative number`, {
      reason: 'CreateContainerConfigError',
      annotation: key,
      value: raw,
    });
  }
  return value;
}

const flag = (annotations: Record<string, string>, key: string) => {
  const raw = annotations[key];
  return raw !== undefined && raw !== 'false' && raw !== '0';
};

const lines = (raw: string | undefined) => (raw === undefined || raw === '' ? [] : raw.split('\n'));

/**
 * Reads a container's behaviour from the sandbox's (pod's) annotations overlaid with the
 * container's own. A malformed number fails with `SKIFF_ERR_RUNTIME_STATE`, reason
 * `CreateContainerConfigError`, so a mistyped scenario is loud rather than silently ignored.
 */
export function readBehaviour(podAnnotations: Record<string, string>, containerAnnotations: Record<string, string>, defaults: MockDefaults = {}): MockBehaviour {
  const a = { ...podAnnotations, ...containerAnnotations };
  const exitCode = number(a, M.exitCode, undefined);
  const every = number(a, M.logEveryMs, undefined);
  return {
    startDelayMs: number(a, M.startDelayMs, defaults.startDelayMs ?? 0),
    runMs: number(a, M.runMs, exitCode === undefined ? undefined : 0),
    exitCode: exitCode ?? 0,
    failStart: a[M.failStart],
    imageError: a[M.imageError],
    stdoutLines: lines(a[M.logLines]),
    stderrLines: lines(a[M.stderrLines]),
    logEveryMs: every === undefined || every <= 0 ? undefined : every,
    ignoreSigterm: flag(a, M.ignoreSigterm),
    stopDelayMs: number(a, M.stopDelayMs, 0),
    cpuMillicores: number(a, M.cpuMillicores, defaults.cpuMillicores ?? 0),
    memoryBytes: number(a, M.memoryBytes, defaults.memoryBytes ?? 0),
    fsBytes: number(a, M.fsBytes, 0),
    unhealthy: flag(a, M.unhealthy),
    readyAfterMs: number(a, M.readyAfterMs, 0),
    execExitCode: number(a, M.execExitCode, 0),
    execStdout: a[M.execStdout] ?? '',
    execStderr: a[M.execStderr] ?? '',
    execDelayMs: number(a, M.execDelayMs, 0),
  };
}
