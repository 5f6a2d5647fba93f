import { isApiError, type Job, type JobCondition, type JobStatus, type Pod } from '@skiff/core';
import { defineController, type ControllerContext, type Plugin } from '@skiff/sdk';
import { controllerUid, isNamespaceTerminating, podReady } from '../daemonset/pod-status.js';
import { backoffDelayMs, finishedAtMs, jobPod } from './job-pods.js';

/** Options of {@link jobController}. */
export interface JobControllerOptions {
  /** Delay before recreating a pod after the first failure; doubles per failure. Default 10 000 ms. */
  backoffInitialMs?: number;
  /** The longest delay between pod recreations. Default 360 000 ms (6 minutes). */
  backoffMaxMs?: number;
  /** How a finished Job is deleted once its `ttlSecondsAfterFinished` passed. Default `Foreground` (as Kubernetes' TTL controller). */
  ttlPropagationPolicy?: 'Foreground' | 'Background';
}

const JOB = { apiVersion: 'batch/v1', kind: 'Job' } as const;
const POD = { apiVersion: 'v1', kind: 'Pod' } as const;
/** How long a batch of creates may stay unseen in the cache before it is no longer waited for. */
const EXPECTATION_TIMEOUT_MS = 30_000;

const rfc3339 = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
const condTrue = (job: Job, type: string) => (job.status?.conditions ?? []).find((c) => c.type === type && c.status === 'True');

/** Per-run state of the Job controller. */
export interface JobState {
  /** Per job uid: how many owned pods the cache should show after our creates, and since when. */
  expectations: Map<string, { total: number; at: number }>;
}

type Ctx = ControllerContext<JobControllerOptions, JobState>;

/**
 * The Job controller: runs pods from the template until `completions` succeed (or, without
 * completions, until one succeeds and none is active), at most `parallelism` at once; counts
 * failed pods (and, with `restartPolicy: OnFailure`, container restarts) and, past `backoffLimit`, fails the Job (`Failed`, reason `BackoffLimitExceeded`);
 * past `activeDeadlineSeconds` fails it with `DeadlineExceeded`; between recreations after
 * failures waits `backoffInitialMs` doubling per failure up to `backoffMaxMs`. Reports
 * `active`, `ready`, `succeeded`, `failed`, `startTime`, `completionTime` and the `Complete` /
 * `Failed` conditions; deletes a finished Job `ttlSecondsAfterFinished` after it finished.
 * A suspended Job has its active pods deleted.
 *
 * Tracking: counts come from the pods the Job owns (found by controller ownerReference) and never
 * go down (`max` of the stored count and the pods seen); the `batch.kubernetes.io/job-tracking`
 * finalizer is not used, so a finished pod deleted before the controller saw it is not counted.
 * `completionMode: Indexed`, `podFailurePolicy` and `backoffLimitPerIndex` are not implemented.
 */
export function jobController(options: JobControllerOptions = {}): Plugin<JobControllerOptions> {
  return jobDefinition(options);
}

/** The definition behind {@link jobController}. */
const jobDefinition = defineController<JobControllerOptions, JobState>({
  name: 'Job',
  component: 'job-controller',
  for: JOB,
  owns: [POD],
  maxConcurrentReconciles: 4,
  optionsSchema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      backoffInitialMs: { type: 'integer', minimum: 0 },
      backoffMaxMs: { type: 'integer', minimum: 0 },
      ttlPropagationPolicy: { enum: ['Foreground', 'Background'] },
    },
  },
  setup: () => ({ expectations: new Map() }),
  reconcile: async (ctx, req) => {
    const found = ctx.cache<Job>(JOB).get(`${req.namespace}/${req.name}`);
    if (!found) {
      const live = new Set(ctx.cache<Job>(JOB).list().map((j) => j.metadata.uid));
      for (const uid of ctx.state.expectations.keys()) if (!live.has(uid)) ctx.state.expectations.delete(uid);
      return;
    }
    if (found.metadata.deletionTimestamp) return;
    return syncJob(ctx, found);
  },
});

function condition(type: string, reason: string, message: string, now: string): JobCondition {
  return { type, status: 'True', lastProbeTime: now, lastTransitionTime: now, reason, message };
}

async function deletePods(ctx: Ctx, pods: Pod[]): Promise<void> {
  await Promise.all(
    pods.map((pod) =>
      ctx.client
        .resource('v1', 'Pod')
        .delete(pod.metadata.name!, { namespace: pod.metadata.namespace!, preconditions: { uid: pod.metadata.uid! } })
        .catch((err: unknown) => {
          if (!isApiError(err, 404) && !isApiError(err, 409)) throw err;
        }),
    ),
  );
}

async function syncJob(ctx: Ctx, job: Job) {
  const state = ctx.state;
  const now = Date.now();
  const nowText = rfc3339(now);
  const uid = job.metadata.uid!;
  const recorder = ctx.events;
  const owned = ctx
    .cache<Pod>(POD)
    .byIndex('namespace', job.metadata.namespace!)
    .filter((p) => controllerUid(p) === uid);
  const active = owned.filter((p) => !p.metadata.deletionTimestamp && p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed');
  const failedPods = owned.filter((p) => p.status?.phase === 'Failed');
  const succeeded = Math.max(job.status?.succeeded ?? 0, owned.filter((p) => p.status?.phase === 'Succeeded').length);
  const failed = Math.max(job.status?.failed ?? 0, failedPods.length);

  const finished = condTrue(job, 'Complete') ?? condTrue(job, 'Failed');
  if (finished) {
    if (condTrue(job, 'Failed') && active.length > 0) await deletePods(ctx, active);
    return ttlAfterFinished(ctx, job, finished, now);
  }

  const status: JobStatus = { ...(job.status ?? {}), succeeded, failed };
  const conditions = [...(job.status?.conditions ?? [])];
  let requeueAfterMs: number | undefined;
  const spec = job.spec ?? ({} as NonNullable<Job['spec']>);
  const startMs = job.status?.startTime ? Date.parse(job.status.startTime) : now;
  if (!job.status?.startTime && !spec.suspend) status.startTime = nowText;

  const completions = spec.completions;
  const complete = completions !== undefined && completions !== null ? succeeded >= completions : succeeded > 0 && active.length === 0;
  const backoffLimit = spec.backoffLimit ?? 6;
  const deadlineMs = spec.activeDeadlineSeconds !== undefined && spec.activeDeadlineSeconds !== null ? startMs + spec.activeDeadlineSeconds * 1000 : undefined;
  let activeCount = active.length;

  if (complete) {
    if (active.length > 0) await deletePods(ctx, active);
    activeCount = 0;
    conditions.push(condition('Complete', 'Completed', 'Job completed', nowText));
    status.completionTime = nowText;
    await recorder.record(job, 'Normal', 'Completed', 'Job completed');
  } else if (pastBackoffLimit(job, active, failed, backoffLimit) || (deadlineMs !== undefined && now >= deadlineMs && !spec.suspend)) {
    const byBackoff = pastBackoffLimit(job, active, failed, backoffLimit);
    const reason = byBackoff ? 'BackoffLimitExceeded' : 'DeadlineExceeded';
    const message = byBackoff ? 'Job has reached the specified backoff limit' : 'Job was active longer than specified deadline';
    await deletePods(ctx, active);
    activeCount = 0;
    conditions.push(condition('Failed', reason, message, nowText));
    await recorder.record(job, 'Warning', reason, message);
  } else if (spec.suspend) {
    await deletePods(ctx, active);
    activeCount = 0;
  } else {
    const parallelism = spec.parallelism ?? 1;
    const wantActive = completions !== undefined && completions !== null ? Math.min(parallelism, completions - succeeded) : succeeded > 0 ? 0 : parallelism;
    const diff = wantActive - active.length;
    if (diff < 0) {
      const newest = [...active].sort((a, b) => (b.metadata.creationTimestamp ?? '').localeCompare(a.metadata.creationTimestamp ?? ''));
      await deletePods(ctx, newest.slice(0, -diff));
      activeCount = wantActive;
    } else if (diff > 0) {
      const expected = state.expectations.get(uid);
      const waiting = expected !== undefined && owned.length < expected.total && now - expected.at < EXPECTATION_TIMEOUT_MS;
      const delay = backoffDelayMs(failedPods.length > 0 ? failed : 0, ctx.options.backoffInitialMs ?? 10_000, ctx.options.backoffMaxMs ?? 360_000);
      const lastFailure = Math.max(0, ...failedPods.map(finishedAtMs));
      const readyAt = lastFailure + delay;
      if (waiting) {
        requeueAfterMs = 1_000;
      } else if (delay > 0 && now < readyAt) {
        requeueAfterMs = readyAt - now + 1;
      } else {
        state.expectations.set(uid, { total: owned.length + diff, at: now });
        const created = await Promise.allSettled(Array.from({ length: diff }, () => ctx.client.resource('v1', 'Pod').create(jobPod(job))));
        for (const result of created) {
          if (result.status === 'fulfilled') await recorder.record(job, 'Normal', 'SuccessfulCreate', `Created pod: ${result.value.metadata.name}`);
        }
        const failure = created.find((r): r is PromiseRejectedResult => r.status === 'rejected');
        if (failure && isNamespaceTerminating(failure.reason)) return undefined; // the namespace is going away, and this Job with it
        if (failure) {
          state.expectations.delete(uid);
          await recorder.record(job, 'Warning', 'FailedCreate', `Error creating: ${(failure.reason as Error).message}`);
          throw failure.reason;
        }
        activeCount += diff;
      }
    }
    if (deadlineMs !== undefined) requeueAfterMs = Math.min(requeueAfterMs ?? Infinity, Math.max(1, deadlineMs - now + 1));
  }
  status.active = activeCount;
  status.ready = active.filter(podReady).length;
  status.conditions = conditions;
  if (conditions.length === 0) delete status.conditions;
  if (JSON.stringify(status) !== JSON.stringify(job.status ?? {})) {
    try {
      await ctx.client.resource('batch/v1', 'Job').updateStatus({ ...job, status });
    } catch (err) {
      if (!isApiError(err, 404)) throw err;
    }
  }
  return requeueAfterMs !== undefined ? { requeueAfterMs } : undefined;
}

/**
 * Whether the Job has failed too often: more failed pods than `backoffLimit`, or, with
 * `restartPolicy: OnFailure`, as many container restarts in its active pods as `backoffLimit`
 * (any restart when it is 0) — Kubernetes' `pastBackoffLimitOnFailure`.
 */
function pastBackoffLimit(job: Job, active: Pod[], failed: number, backoffLimit: number): boolean {
  if (failed > backoffLimit) return true;
  if (job.spec?.template?.spec?.restartPolicy !== 'OnFailure') return false;
  let restarts = 0;
  for (const pod of active) {
    for (const c of [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])]) restarts += c.restartCount ?? 0;
  }
  return backoffLimit === 0 ? restarts > 0 : restarts >= backoffLimit;
}

/** Deletes a finished Job once `ttlSecondsAfterFinished` passed since it finished. */
async function ttlAfterFinished(ctx: Ctx, job: Job, finished: JobCondition, now: number) {
  const ttl = job.spec?.ttlSecondsAfterFinished;
  if (ttl === undefined || ttl === null) return undefined;
  const finishedAt = Date.parse(job.status?.completionTime ?? finished.lastTransitionTime ?? '') || now;
  const due = finishedAt + ttl * 1000;
  if (now < due) return { requeueAfterMs: due - now + 1 };
  try {
    await ctx.client.resource('batch/v1', 'Job').delete(job.metadata.name!, {
      namespace: job.metadata.namespace!,
      propagationPolicy: ctx.options.ttlPropagationPolicy ?? 'Foreground',
      preconditions: { uid: job.metadata.uid! },
    });
  } catch (err) {
    if (!isApiError(err, 404) && !isApiError(err, 409)) throw err;
  }
  return undefined;
}
