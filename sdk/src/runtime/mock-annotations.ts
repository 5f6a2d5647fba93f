/**
 * The scenario vocabulary of simulated runtimes: annotations (on the pod, so on its sandbox, or on
 * one container; the container's win) that tell a runtime which does not run real processes — the
 * mock runtime — how a container behaves. Real runtimes ignore them and run the command; the
 * runtime conformance suite sets both, so one suite means the same thing for every runtime.
 * Durations are decimal milliseconds; flags are `"true"`.
 */
export const MOCK_ANNOTATIONS = Object.freeze({
  /** `startContainer` takes this long (default 0). */
  startDelayMs: 'skiff.dev/mock-start-delay-ms',
  /** The container exits this long after it started (default: runs until stopped; 0 when only an exit code is given). */
  runMs: 'skiff.dev/mock-run-ms',
  /** The exit code when it exits on its own (default 0). */
  exitCode: 'skiff.dev/mock-exit-code',
  /** `startContainer` fails with this message; the container is `exited`, exit code 128, reason `StartError`. */
  failStart: 'skiff.dev/mock-fail-start',
  /** `createContainer` fails with `SKIFF_ERR_RUNTIME_IMAGE` and this message (an image that cannot be pulled). */
  imageError: 'skiff.dev/mock-image-error',
  /** Lines (separated by `\n`) written to stdout as the container starts. */
  logLines: 'skiff.dev/mock-log-lines',
  /** Lines (separated by `\n`) written to stderr as the container starts, after the stdout lines. */
  stderrLines: 'skiff.dev/mock-stderr-lines',
  /** While running, write `tick-1`, `tick-2`, … to stdout: the first at start, then one every this many ms. */
  logEveryMs: 'skiff.dev/mock-log-every-ms',
  /** The container ignores SIGTERM: `stopContainer` kills it (exit 137) once the grace period passed. */
  ignoreSigterm: 'skiff.dev/mock-ignore-sigterm',
  /** After SIGTERM the container takes this long to exit (exit 143; killed with 137 when the grace period is shorter). */
  stopDelayMs: 'skiff.dev/mock-stop-delay-ms',
  /** CPU the container uses while running, in millicores (default 0). */
  cpuMillicores: 'skiff.dev/mock-cpu-millicores',
  /** The container's memory working set in bytes (default 0). */
  memoryBytes: 'skiff.dev/mock-memory-bytes',
  /** The container's writable-layer usage in bytes (default 0). */
  fsBytes: 'skiff.dev/mock-fs-bytes',
  /** Every `exec` fails (exit 1): a liveness or readiness probe that runs a command fails. */
  unhealthy: 'skiff.dev/mock-unhealthy',
  /** Every `exec` fails (exit 1) until the container has run this long: a readiness probe turns ready then. */
  readyAfterMs: 'skiff.dev/mock-ready-after-ms',
  /** `exec` exits with this code (default 0) when the container is healthy and ready. */
  execExitCode: 'skiff.dev/mock-exec-exit-code',
  /** `exec` prints this to stdout. */
  execStdout: 'skiff.dev/mock-exec-stdout',
  /** `exec` prints this to stderr. */
  execStderr: 'skiff.dev/mock-exec-stderr',
  /** `exec` takes this long (default 0); past its `timeoutMs` it fails with `SKIFF_ERR_RUNTIME_STATE` (`details.reason` `Timeout`). */
  execDelayMs: 'skiff.dev/mock-exec-delay-ms',
});
