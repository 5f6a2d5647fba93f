/**
 * The container runtime contract: what the node agent asks of a runtime, shaped after the
 * Kubernetes Container Runtime Interface (CRI). A pod is a *sandbox* (its shared network identity)
 * holding *containers*. Every method is asynchronous and may be called concurrently for different
 * ids. Failures are coded errors (see `runtimeError`): a missing id is `SKIFF_ERR_RUNTIME_NOT_FOUND`,
 * an image that cannot be used is `SKIFF_ERR_RUNTIME_IMAGE`, a call the object's state forbids is
 * `SKIFF_ERR_RUNTIME_STATE`, and a closed or unreachable runtime is `SKIFF_ERR_RUNTIME_UNAVAILABLE`.
 */

/** A key/value pair handed to a container's environment. */
export interface EnvVar {
  name: string;
  value: string;
}

/** A port a container listens on (see {@link PodSandboxConfig.ports} for how runtimes use it). */
export interface ContainerPort {
  name?: string;
  containerPort: number;
  protocol?: 'TCP' | 'UDP' | 'SCTP';
}

/** A host path (already resolved by the node agent) mounted into the container. */
export interface ContainerMount {
  containerPath: string;
  hostPath: string;
  readOnly?: boolean;
}

/** Resource limits the runtime should enforce where it can. */
export interface ContainerResources {
  /** CPU limit in millicores. */
  cpuLimitMillicores?: number;
  /** Memory limit in bytes. */
  memoryLimitBytes?: number;
}

/** What `runPodSandbox` needs: the pod's identity and its shared network address. */
export interface PodSandboxConfig {
  podUid: string;
  namespace: string;
  name: string;
  /** The pod's address in 127.0.0.0/8, shared by its containers. */
  ip: string;
  hostname: string;
  labels: Record<string, string>;
  /** The pod's annotations; the mock runtime reads its `skiff.dev/mock-*` behaviour from here too. */
  annotations: Record<string, string>;
  /**
   * Every `containerPort` of the pod's containers (CRI's port mappings). Runtimes whose containers
   * bind the pod's address directly (process, mock) may ignore them; a runtime that gives the pod a
   * network of its own (Docker) publishes each one on `ip`, so the pod answers at `ip:containerPort`
   * from the host. They are fixed when the sandbox is made, as in Kubernetes.
   */
  ports?: ContainerPort[];
}

/** A sandbox's state: `ready` until `stopPodSandbox`, then `notready`. */
export type PodSandboxState = 'ready' | 'notready';

/** What `listPodSandboxes` reports for one sandbox. */
export interface PodSandboxStatus {
  id: string;
  podUid: string;
  namespace: string;
  name: string;
  ip: string;
  hostname: string;
  state: PodSandboxState;
  createdAt: Date;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

/**
 * When the runtime fetches the image (Kubernetes' `imagePullPolicy`): `Always` pulls each time a
 * container is created, `IfNotPresent` only when the image is missing, `Never` uses only an image
 * already present. Runtimes without images (process, mock) accept and ignore it.
 */
export type ImagePullPolicy = 'Always' | 'IfNotPresent' | 'Never';

/**
 * What `details.reason` of a `SKIFF_ERR_RUNTIME_IMAGE` error says, in the kubelet's waiting reasons:
 * the pull failed (`ErrImagePull`), the policy is `Never` and the image is missing
 * (`ErrImageNeverPull`), or the name cannot be parsed (`InvalidImageName`).
 */
export type ImageErrorReason = 'ErrImagePull' | 'ErrImageNeverPull' | 'InvalidImageName';

/**
 * What `createContainer` needs. `labels` must carry the pod uid, the container name and the restart
 * count under the keys in `RUNTIME_LABELS`, so a restarted node agent can adopt what it finds.
 */
export interface ContainerConfig {
  name: string;
  image: string;
  /** Default `IfNotPresent` (the node agent passes the pod's defaulted value). */
  imagePullPolicy?: ImagePullPolicy;
  /** Replaces the image's entrypoint. */
  command?: string[];
  /** Replaces the image's arguments. */
  args?: string[];
  workingDir?: string;
  env: EnvVar[];
  ports?: ContainerPort[];
  mounts?: ContainerMount[];
  resources?: ContainerResources;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  /** Where the runtime should also write the container's log, if it writes files. */
  logPath?: string;
}

/** A container's lifecycle state, as CRI names it. */
export type ContainerState = 'created' | 'running' | 'exited' | 'unknown';

/** What `containerStatus` and `listContainers` report for one container. */
export interface ContainerStatus {
  id: string;
  /** The sandbox the container belongs to. */
  sandboxId: string;
  name: string;
  image: string;
  state: ContainerState;
  createdAt: Date;
  startedAt?: Date;
  finishedAt?: Date;
  /** Set once `exited`: the process's exit code (128 + signal when a signal ended it). */
  exitCode?: number;
  /** Set once `exited`: `Completed` (exit 0), `Error` (non-zero) or a runtime's reason such as `StartError`. */
  reason?: string;
  message?: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  /** The restart count from the `RUNTIME_LABELS.restartCount` label, when present and numeric. */
  restartCount?: number;
}

/** Which containers `listContainers` returns; every given field must match. */
export interface ContainerFilter {
  sandboxId?: string;
  /** Each label must be present with exactly this value. */
  labels?: Record<string, string>;
  state?: ContainerState;
}

/** Which sandboxes `listPodSandboxes` returns; every given field must match. */
export interface PodSandboxFilter {
  /** Each label must be present with exactly this value. */
  labels?: Record<string, string>;
  state?: PodSandboxState;
}

/** Options for `logs`, as `kubectl logs` offers them. */
export interface LogOptions {
  /** Keep yielding new lines until the container stops or the consumer stops iterating. */
  follow?: boolean;
  /** Start with only the last N lines already written (0 = none of the past lines). */
  tailLines?: number;
  /** Only lines written at or after this time. */
  sinceTime?: Date;
  /** Prefix each `line` with its RFC 3339 time and a space, as `kubectl logs --timestamps` prints. */
  timestamps?: boolean;
  /** Stop after this many bytes of `line` text (UTF-8, a newline counted per line); a line that would cross the limit is not yielded. */
  limitBytes?: number;
}

/** One line a container wrote, without its trailing newline. */
export interface LogLine {
  time: Date;
  stream: 'stdout' | 'stderr';
  line: string;
}

/** Options for `exec`. */
export interface ExecOptions {
  /** Give up after this long; the command is killed and the call fails with `SKIFF_ERR_RUNTIME_STATE` (`details.reason` = `Timeout`). */
  timeoutMs: number;
}

/** What `exec` returns once the command finished. */
export interface ExecResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** Resource usage of one container; counters are cumulative since the container started. */
export interface ContainerStats {
  cpuUsageCoreNanoSeconds: number;
  memoryWorkingSetBytes: number;
  fsUsedBytes: number;
  rxBytes?: number;
  txBytes?: number;
}

/** Which runtime answers. */
export interface RuntimeVersion {
  runtimeName: string;
  runtimeVersion: string;
}

/** What happened to a container, as CRI's `ContainerEventType` names it. */
export type ContainerEventType = 'created' | 'started' | 'stopped' | 'deleted';

/** One container lifecycle event (CRI `GetContainerEvents`, the kubelet's evented PLEG). */
export interface ContainerEvent {
  type: ContainerEventType;
  containerId: string;
  sandboxId: string;
  /** The owning pod's uid, from the container's `RUNTIME_LABELS.podUid` label (`''` when absent). */
  podUid: string;
  /** When it happened (for `stopped`, the container's `finishedAt`). */
  at: Date;
}

/** Receives container events; must be quick and must not throw (typically it only enqueues a pod key). */
export type ContainerEventListener = (event: ContainerEvent) => void;

/**
 * A container runtime, as the node agent drives it. Contracts every implementation keeps (the
 * conformance suite in `@skiff/sdk/testing` checks them):
 *
 * - State lives in the runtime's world (the host, the Docker engine, the mock's world object), not
 *   in the instance: a second instance over the same world lists what the first created, so a
 *   restarted node agent adopts its containers by their labels.
 * - `stopPodSandbox`, `removePodSandbox`, `stopContainer` and `removeContainer` are idempotent: an
 *   id that is already stopped or gone is not an error (as in CRI).
 * - Every other call with an unknown id fails with `SKIFF_ERR_RUNTIME_NOT_FOUND`.
 * - After `close()` every call fails with `SKIFF_ERR_RUNTIME_UNAVAILABLE`; containers keep running.
 */
export interface ContainerRuntime {
  /** Creates a pod's sandbox (its shared network identity) in state `ready` and returns its id. */
  runPodSandbox(config: PodSandboxConfig): Promise<{ sandboxId: string }>;
  /** Stops every container of the sandbox at once (no grace: stop them first for a graceful stop) and marks it `notready`. */
  stopPodSandbox(sandboxId: string): Promise<void>;
  /** Removes the sandbox and all its containers, killing any still running. */
  removePodSandbox(sandboxId: string): Promise<void>;
  /**
   * Creates (does not start) a container in a `ready` sandbox and returns its id. Fails with
   * `SKIFF_ERR_RUNTIME_NOT_FOUND` for an unknown sandbox, `SKIFF_ERR_RUNTIME_STATE` for a stopped
   * one, and `SKIFF_ERR_RUNTIME_IMAGE` when the image cannot be pulled or used.
   */
  createContainer(sandboxId: string, config: ContainerConfig): Promise<string>;
  /**
   * Starts a `created` container; resolves once it runs (or already ran to completion). Fails with
   * `SKIFF_ERR_RUNTIME_STATE` when the container is not `created` or its process could not start
   * (the container is then `exited` with a reason such as `StartError`).
   */
  startContainer(containerId: string): Promise<void>;
  /**
   * Stops a running container: SIGTERM, then SIGKILL once `graceSeconds` passed (0 = SIGKILL at
   * once). Resolves when the container has exited; a no-op for one that is not running.
   */
  stopContainer(containerId: string, graceSeconds: number): Promise<void>;
  /** Removes a container, killing it first if it runs; its logs go with it. */
  removeContainer(containerId: string): Promise<void>;
  /** The containers matching `filter` (all containers without one). */
  listContainers(filter?: ContainerFilter): Promise<ContainerStatus[]>;
  /** The sandboxes matching `filter` (all sandboxes without one). */
  listPodSandboxes(filter?: PodSandboxFilter): Promise<PodSandboxStatus[]>;
  /** One container's status. */
  containerStatus(containerId: string): Promise<ContainerStatus>;
  /**
   * The container's log lines in the order written. Without `follow` the iterable ends after the
   * lines written so far; with it, it keeps yielding until the container stops (after its last
   * lines) or the consumer stops iterating. Fails with `SKIFF_ERR_RUNTIME_NOT_FOUND` on first use
   * when the container is unknown.
   */
  logs(containerId: string, options?: LogOptions): AsyncIterable<LogLine>;
  /** Runs a command inside a running container and waits for it (exec probes). `SKIFF_ERR_RUNTIME_STATE` when it is not running. */
  exec(containerId: string, command: string[], options: ExecOptions): Promise<ExecResult>;
  /** Current resource usage of a container (the last known usage once it exited). */
  stats(containerId: string): Promise<ContainerStats>;
  /** The runtime's name and version. */
  version(): Promise<RuntimeVersion>;
  /** Releases this instance's resources; containers are left as they are for the next instance to adopt. Idempotent. */
  close(): Promise<void>;
  /**
   * Optional: container lifecycle events, like CRI's `GetContainerEvents` (the kubelet's evented
   * PLEG). Runtimes that implement it let the node agent stop polling every pod: it re-reads a pod
   * when one of its containers changes and otherwise only resyncs rarely (about once a minute).
   * Runtimes without it are polled (`syncIntervalMs`).
   *
   * Contract (the conformance suite checks it when the method is present):
   * - `listener` is told about every container of this runtime's world (every pod of the node), from
   *   the call on: `created` after `createContainer`, `started` when it runs, `stopped` once it
   *   exited for any reason — **including exiting on its own, without anyone polling** (that is the
   *   point), a failed start, a stop or a kill — and `deleted` once removed (with its sandbox too).
   * - Per container, events come in that order, each type at most once (`stopped` comes before
   *   `deleted` for a container removed while running). Delivery may be synchronous (inside the
   *   call that caused it) or soon after.
   * - Events are hints: consumers read the state with `containerStatus`/`listContainers`.
   * - The returned function unsubscribes (idempotent). After `close()` no more events are delivered.
   */
  subscribeContainerEvents?(listener: ContainerEventListener): () => void;
}
