import type Docker from 'dockerode';
import { restartCountOf, type ContainerState, type ContainerStatus, type PodSandboxState, type PodSandboxStatus } from '@skiff/sdk';
import { DOCKER_LABELS, annotationsOf, userLabels } from './labels.js';
import { RUNTIME_LABELS } from '@skiff/sdk';

/** The exit code reported for a start that failed when the engine gave none (as dockershim did). */
export const START_ERROR_EXIT_CODE = 128;

/** Docker's zero time (`0001-01-01T00:00:00Z`) and empty strings mean "never". */
export function engineTime(value: string | undefined | null): Date | undefined {
  if (!value || value.startsWith('0001-01-01')) return undefined;
  const time = new Date(value);
  return Number.isNaN(time.getTime()) ? undefined : time;
}

/** The CRI state of an engine state: running, paused and restarting count as running. */
export function stateOf(inspect: Docker.ContainerInspectInfo): ContainerState {
  const s = inspect.State;
  if (s.Error && !s.Running) return 'exited';
  switch (s.Status) {
    case 'created':
      return 'created';
    case 'running':
    case 'paused':
    case 'restarting':
      return 'running';
    case 'exited':
    case 'dead':
      return 'exited';
    case 'removing':
      return s.Running ? 'running' : 'exited';
    default:
      return 'unknown';
  }
}

/** True when the engine says a start of the container failed (and it is not running since). */
export function startFailed(inspect: Docker.ContainerInspectInfo): boolean {
  return !inspect.State.Running && typeof inspect.State.Error === 'string' && inspect.State.Error.length > 0;
}

/** A container's status, read from the engine's inspect and the runtime's labels. */
export function containerStatusOf(inspect: Docker.ContainerInspectInfo): ContainerStatus {
  const labels = inspect.Config.Labels ?? {};
  const state = stateOf(inspect);
  const status: ContainerStatus = {
    id: inspect.Id,
    sandboxId: labels[DOCKER_LABELS.sandboxId] ?? '',
    name: labels[DOCKER_LABELS.container] ?? labels[RUNTIME_LABELS.containerName] ?? inspect.Name.replace(/^\//, ''),
    image: labels[DOCKER_LABELS.image] ?? inspect.Config.Image,
    state,
    createdAt: new Date(inspect.Created),
    labels: userLabels(labels),
    annotations: annotationsOf(labels),
  };
  const startedAt = engineTime(inspect.State.StartedAt);
  const finishedAt = engineTime(inspect.State.FinishedAt);
  if (startedAt) status.startedAt = startedAt;
  if (state === 'exited') {
    if (finishedAt) status.finishedAt = finishedAt;
    if (startFailed(inspect)) {
      status.exitCode = inspect.State.ExitCode || START_ERROR_EXIT_CODE;
      status.reason = 'StartError';
      status.message = inspect.State.Error;
      status.finishedAt ??= startedAt ?? new Date(inspect.Created);
    } else {
      status.exitCode = inspect.State.ExitCode;
      status.reason = inspect.State.OOMKilled ? 'OOMKilled' : inspect.State.ExitCode === 0 ? 'Completed' : 'Error';
    }
  }
  const restartCount = restartCountOf(labels);
  if (restartCount !== undefined) status.restartCount = restartCount;
  return status;
}

/** A sandbox's state: `ready` while its container runs. */
export function sandboxStateOf(inspect: Docker.ContainerInspectInfo): PodSandboxState {
  return inspect.State.Running ? 'ready' : 'notready';
}

/** A sandbox's status, read back from its container's labels. */
export function sandboxStatusOf(inspect: Docker.ContainerInspectInfo): PodSandboxStatus {
  const labels = inspect.Config.Labels ?? {};
  return {
    id: inspect.Id,
    podUid: labels[RUNTIME_LABELS.podUid] ?? '',
    namespace: labels[RUNTIME_LABELS.podNamespace] ?? '',
    name: labels[RUNTIME_LABELS.podName] ?? '',
    ip: labels[DOCKER_LABELS.podIp] ?? '',
    hostname: labels[DOCKER_LABELS.hostname] ?? inspect.Config.Hostname,
    state: sandboxStateOf(inspect),
    createdAt: new Date(inspect.Created),
    labels: userLabels(labels),
    annotations: annotationsOf(labels),
  };
}
