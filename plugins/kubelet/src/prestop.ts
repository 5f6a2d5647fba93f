import type { Event as KubeEvent } from '@skiff/core';
import { withDeadline, type Client } from '@skiff/sdk';
import { microTime, rfc3339 } from './node-object.js';
import { runHandler, type HandlerTarget, type ProbeOutcome } from './probes.js';

/**
 * The least grace a graceful stop gives after the `preStop` hook, in seconds: Kubernetes'
 * `minimumGracePeriodInSeconds`, so a hook that used up the whole grace period does not turn the
 * stop into an immediate SIGKILL.
 */
export const MIN_STOP_GRACE_SECONDS = 2;

/** The pod a container belongs to, for the Events a stop records. */
export interface PodRef {
  name: string;
  namespace: string;
  uid: string;
}

/** Told when a container's `preStop` hook failed or did not finish within the grace period. */
export type PreStopFailureHandler = (target: HandlerTarget, message: string) => void;

/**
 * Runs the container's `preStop` hook (if it has one and `graceSeconds > 0`), bounded by the grace
 * period; resolves with its outcome and how many whole seconds it took (as Kubernetes counts them).
 */
export async function runPreStop(target: HandlerTarget, graceSeconds: number): Promise<{ outcome: ProbeOutcome; elapsedSeconds: number } | undefined> {
  const hook = target.container.lifecycle?.preStop;
  if (!hook || !(graceSeconds > 0)) return undefined;
  const started = Date.now();
  const limitMs = graceSeconds * 1000;
  // The runtime and the handlers honour the timeout themselves; the deadline bounds one that does not.
  const outcome = await withDeadline(runHandler(hook, target, limitMs), limitMs, () => ({ success: false, message: `PreStop hook did not complete within the grace period (${graceSeconds}s)` }));
  return { outcome, elapsedSeconds: Math.floor((Date.now() - started) / 1000) };
}

/**
 * Stops one running container the way the kubelet's `killContainer` does: with a grace period
 * (`graceSeconds > 0`), first the `preStop` hook, bounded by the grace period, then
 * `stopContainer` (SIGTERM, SIGKILL when the grace is up) with the grace left — the hook's time
 * counts against it — but at least {@link MIN_STOP_GRACE_SECONDS}. A failing hook does not keep the
 * container from stopping; `onPreStopFailed` is told. `graceSeconds` 0 kills at once, without hook.
 */
export async function stopWithPreStop(target: HandlerTarget, graceSeconds: number, onPreStopFailed?: PreStopFailureHandler): Promise<void> {
  let grace = Math.max(0, graceSeconds);
  const hook = await runPreStop(target, grace);
  if (hook) {
    if (!hook.outcome.success) onPreStopFailed?.(target, hook.outcome.message ?? 'PreStop hook failed');
    grace -= hook.elapsedSeconds;
  }
  if (graceSeconds > 0) grace = Math.max(grace, MIN_STOP_GRACE_SECONDS);
  await target.runtime.stopContainer(target.containerId, grace);
}

/** The Event the kubelet records for a pod's container (`involvedObject.fieldPath` `spec.containers{name}`), or for the pod itself (no container name). */
export function containerEvent(pod: PodRef, containerName: string | undefined, nodeName: string, type: 'Normal' | 'Warning', reason: string, message: string): KubeEvent {
  const now = new Date();
  return {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name: `${pod.name}.${now.getTime().toString(16)}${Math.floor(Math.random() * 0xffff).toString(16).padStart(4, '0')}`, namespace: pod.namespace },
    involvedObject: { apiVersion: 'v1', kind: 'Pod', name: pod.name, namespace: pod.namespace, uid: pod.uid, ...(containerName !== undefined ? { fieldPath: `spec.containers{${containerName}}` } : {}) },
    reason,
    message,
    type,
    source: { component: 'kubelet', host: nodeName },
    reportingComponent: 'kubelet',
    reportingInstance: nodeName,
    firstTimestamp: rfc3339(now),
    lastTimestamp: rfc3339(now),
    eventTime: microTime(now),
    count: 1,
  } as KubeEvent;
}

/** Records an Event about one of the pod's containers (or the pod, without a name); a failed write is ignored (Events are best effort). */
export function recordContainerEvent(client: Client, pod: PodRef, containerName: string | undefined, nodeName: string, type: 'Normal' | 'Warning', reason: string, message: string): void {
  void client
    .resource('v1', 'Event')
    .create(containerEvent(pod, containerName, nodeName, type, reason, message))
    .catch(() => undefined);
}

/** Records a `FailedPreStopHook` Warning Event for the container. */
export function recordFailedPreStop(client: Client, pod: PodRef, containerName: string, nodeName: string, message: string): void {
  recordContainerEvent(client, pod, containerName, nodeName, 'Warning', 'FailedPreStopHook', `PreStopHook failed: ${message}`);
}
