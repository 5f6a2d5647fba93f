import type { ContainerStatus as PodContainerStatus, Pod, PodCondition } from '@skiff/core';
import type { ContainerStatus as RuntimeContainer } from '@skiff/sdk';
import { rfc3339 } from './node-object.js';

type PodSpec = NonNullable<Pod['spec']>;
type PodContainer = PodSpec['containers'][number];
type PodPhase = NonNullable<NonNullable<Pod['status']>['phase']>;

/** What the agent knows about one container of a pod in one sync. */
export interface ContainerView {
  spec: PodContainer;
  /** The newest runtime container for this name. */
  current?: RuntimeContainer;
  /** The runtime container before `current` (exited), kept for `lastState`. */
  previous?: RuntimeContainer;
  /** Set when the agent holds the container in a waiting state (`CrashLoopBackOff`, `CreateContainerConfigError`, …). */
  waiting?: { reason: string; message?: string };
  /** Probe results of a running `current` (both true when it has no probes). */
  ready?: boolean;
  started?: boolean;
}

function terminated(c: RuntimeContainer, runtimeName: string) {
  return {
    terminated: {
      exitCode: c.exitCode ?? 0,
      reason: c.reason ?? (c.exitCode === 0 ? 'Completed' : 'Error'),
      ...(c.message ? { message: c.message } : {}),
      ...(c.startedAt ? { startedAt: rfc3339(c.startedAt) } : {}),
      ...(c.finishedAt ? { finishedAt: rfc3339(c.finishedAt) } : {}),
      containerID: `${runtimeName}://${c.id}`,
    },
  };
}

/** The pod-status entry of one container, as the Kubernetes API shows it. */
export function containerStatusOf(view: ContainerView, runtimeName: string): PodContainerStatus {
  const { spec, current, previous, waiting } = view;
  const image = spec.image ?? '';
  const withRuntime = (c: RuntimeContainer) => terminated(c, runtimeName);
  let state: PodContainerStatus['state'];
  let lastState: PodContainerStatus['lastState'] = {};
  let ready = false;
  let started = false;
  if (waiting) {
    state = { waiting: { reason: waiting.reason, ...(waiting.message ? { message: waiting.message } : {}) } };
    if (current?.state === 'exited') lastState = withRuntime(current);
    else if (previous) lastState = withRuntime(previous);
  } else if (!current || current.state === 'created' || current.state === 'unknown') {
    state = { waiting: { reason: 'ContainerCreating' } };
    if (previous) lastState = withRuntime(previous);
  } else if (current.state === 'running') {
    state = { running: { startedAt: rfc3339(current.startedAt ?? current.createdAt) } };
    ready = view.ready ?? true;
    started = view.started ?? true;
    if (previous) lastState = withRuntime(previous);
  } else {
    state = withRuntime(current);
    if (previous) lastState = withRuntime(previous);
  }
  return {
    name: spec.name,
    state,
    lastState,
    ready,
    started,
    restartCount: current?.restartCount ?? 0,
    image,
    imageID: current ? `${runtimeName}://${image}` : '',
    ...(current ? { containerID: `${runtimeName}://${current.id}` } : {}),
  };
}

/** How many of the pod's app containers are in each bucket, Kubernetes' `getPhase` inputs. */
export function podPhase(spec: PodSpec, views: ContainerView[], initDone: boolean, initFailed: boolean): PodPhase {
  if (initFailed) return 'Failed';
  if (!initDone) return 'Pending';
  let running = 0;
  let waiting = 0;
  let stopped = 0;
  let succeeded = 0;
  for (const view of views) {
    const c = view.current;
    if (view.waiting) {
      if (c?.state === 'exited' || view.previous) stopped++;
      else waiting++;
    } else if (!c || c.state === 'created' || c.state === 'unknown') waiting++;
    else if (c.state === 'running') running++;
    else {
      stopped++;
      if (c.exitCode === 0) succeeded++;
    }
  }
  const policy = spec.restartPolicy ?? 'Always';
  if (waiting > 0) return 'Pending';
  if (running > 0) return 'Running';
  if (stopped > 0) {
    if (policy === 'Always') return 'Running';
    if (stopped === succeeded) return 'Succeeded';
    if (policy === 'OnFailure') return 'Running';
    return 'Failed';
  }
  return 'Pending';
}

/** The pod's QoS class from its containers' requests and limits. */
export function qosClass(spec: PodSpec): 'BestEffort' | 'Burstable' | 'Guaranteed' {
  const all = [...(spec.initContainers ?? []), ...spec.containers];
  let any = false;
  let guaranteed = true;
  for (const c of all) {
    const requests = (c.resources?.requests ?? {}) as Record<string, unknown>;
    const limits = (c.resources?.limits ?? {}) as Record<string, unknown>;
    if (Object.keys(requests).length > 0 || Object.keys(limits).length > 0) any = true;
    for (const r of ['cpu', 'memory']) {
      if (limits[r] === undefined || (requests[r] !== undefined && String(requests[r]) !== String(limits[r]))) guaranteed = false;
    }
  }
  if (!any) return 'BestEffort';
  return guaranteed ? 'Guaranteed' : 'Burstable';
}

/** Sets a condition, keeping its `lastTransitionTime` while its status is unchanged. */
export function condition(previous: PodCondition[] | undefined, type: string, status: boolean, reason?: string): PodCondition {
  const value = status ? 'True' : 'False';
  const old = (previous ?? []).find((c) => c.type === type);
  return {
    type,
    status: value,
    lastTransitionTime: old && old.status === value && old.lastTransitionTime ? old.lastTransitionTime : rfc3339(),
    ...(reason && !status ? { reason } : {}),
  };
}
