import type { Pod } from '@skiff/core';
import type { QueuedPodInfo } from '@skiff/sdk';
import { podKey } from './cache.js';
import { KeyedHeap } from './heap.js';

/** A pod in the scheduling queue. */
export class QueuedPod implements QueuedPodInfo {
  attempts = 0;
  timestamp: number;
  /** When its current backoff ends (ms since the epoch). */
  backoffExpiry = 0;
  /** The scheduling cycle of its last attempt. */
  cycle = 0;

  constructor(
    public pod: Pod,
    readonly key: string,
    readonly initialAttemptTimestamp: number,
  ) {
    this.timestamp = initialAttemptTimestamp;
  }
}

export interface SchedulingQueueOptions {
  /** QueueSort's order for the active queue. */
  less(a: QueuedPodInfo, b: QueuedPodInfo): boolean;
  /** First backoff after a failed attempt; doubles per attempt (default 1 000 ms). */
  initialBackoffMs: number;
  /** Backoff cap (default 10 000 ms). */
  maxBackoffMs: number;
  /** An unschedulable pod is retried after this long even without a relevant event (default 300 000 ms). */
  maxUnschedulableMs: number;
  /** The clock (ms); tests may replace it. */
  now?: () => number;
}

/** Where a pod is. */
export type QueueName = 'active' | 'backoff' | 'unschedulable' | 'inFlight';

/**
 * Kubernetes' scheduling queue: `active` (ordered by QueueSort; `pop` takes from it), `backoff`
 * (pods that failed recently, ordered by when their backoff ends: 1 s doubling per attempt up to
 * 10 s by default) and `unschedulable` (pods no node fits, parked until a cluster event that may
 * help — a node added or changed, a pod deleted — moves them back, or `maxUnschedulableMs` passes).
 * A pod that fails while such an event happened during its attempt goes to backoff instead of
 * being parked, so the event is not lost.
 */
export class SchedulingQueue {
  private readonly active: KeyedHeap<QueuedPod>;
  private readonly backoff: KeyedHeap<QueuedPod>;
  private readonly unschedulable = new Map<string, { qp: QueuedPod; since: number }>();
  private readonly inFlight = new Map<string, QueuedPod>();
  private readonly waiters: ((qp: QueuedPod | undefined) => void)[] = [];
  private readonly now: () => number;
  private backoffTimer: ReturnType<typeof setTimeout> | undefined;
  private backoffTimerAt = 0;
  private flushTimer: ReturnType<typeof setInterval> | undefined;
  private closed = false;
  /** Counts attempts; a failed attempt with cycle ≤ `moveRequestCycle` saw a move request. */
  schedulingCycle = 0;
  private moveRequestCycle = -1;

  constructor(private readonly options: SchedulingQueueOptions) {
    this.now = options.now ?? Date.now;
    this.active = new KeyedHeap((qp) => qp.key, (a, b) => options.less(a, b));
    this.backoff = new KeyedHeap((qp) => qp.key, (a, b) => a.backoffExpiry < b.backoffExpiry);
    const every = Math.max(10, Math.min(30_000, Math.floor(options.maxUnschedulableMs / 2)));
    this.flushTimer = setInterval(() => this.flushUnschedulableLeftovers(), every);
    this.flushTimer.unref?.();
  }

  /** Where the pod with `key` is, if queued or being scheduled. */
  where(key: string): QueueName | undefined {
    if (this.active.has(key)) return 'active';
    if (this.backoff.has(key)) return 'backoff';
    if (this.unschedulable.has(key)) return 'unschedulable';
    if (this.inFlight.has(key)) return 'inFlight';
    return undefined;
  }

  /** Pods in the active queue. */
  get activeSize(): number {
    return this.active.size;
  }

  /** Counts per queue. */
  sizes(): Record<QueueName, number> {
    return { active: this.active.size, backoff: this.backoff.size, unschedulable: this.unschedulable.size, inFlight: this.inFlight.size };
  }

  /** A new pending pod; an already queued one is updated instead. */
  add(pod: Pod): void {
    const key = podKey(pod);
    if (this.where(key)) return this.update(pod);
    const qp = new QueuedPod(pod, key, this.now());
    this.pushActive(qp);
  }

  /**
   * The pending pod changed. Its queued copy is refreshed; a parked (unschedulable) pod is moved
   * back, since the change may make it fit.
   */
  update(pod: Pod, move = true): void {
    const key = podKey(pod);
    const inFlight = this.inFlight.get(key);
    if (inFlight) {
      inFlight.pod = pod;
      return;
    }
    const queued = this.active.get(key) ?? this.backoff.get(key);
    if (queued) {
      queued.pod = pod;
      return;
    }
    const parked = this.unschedulable.get(key);
    if (parked) {
      parked.qp.pod = pod;
      if (!move) return;
      this.unschedulable.delete(key);
      this.requeue(parked.qp);
      return;
    }
    this.add(pod);
  }

  /** The pod is gone or no longer ours (deleted, bound by someone else). */
  delete(key: string): void {
    this.active.delete(key);
    this.backoff.delete(key);
    this.unschedulable.delete(key);
    this.inFlight.delete(key);
  }

  /** Waits for the next pod of the active queue; `undefined` once closed. */
  pop(): Promise<QueuedPod | undefined> {
    if (this.closed) return Promise.resolve(undefined);
    const qp = this.takeActive();
    if (qp) return Promise.resolve(qp);
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Takes the next active pod without waiting. */
  tryPop(): QueuedPod | undefined {
    return this.closed ? undefined : this.takeActive();
  }

  private takeActive(): QueuedPod | undefined {
    const qp = this.active.pop();
    if (!qp) return undefined;
    qp.attempts++;
    qp.cycle = ++this.schedulingCycle;
    this.inFlight.set(qp.key, qp);
    return qp;
  }

  /** Returns an in-flight pod to the active queue without counting the attempt (e.g. leadership was lost). */
  putBack(qp: QueuedPod): void {
    if (!this.inFlight.delete(qp.key)) return;
    qp.attempts = Math.max(0, qp.attempts - 1);
    this.pushActive(qp);
  }

  /** The attempt of an in-flight pod ended with the pod bound (or given up): it leaves the queue. */
  done(key: string): void {
    this.inFlight.delete(key);
  }

  /**
   * The attempt failed. `unschedulable` (no node fits) parks it unless a move request came during
   * its attempt; otherwise (an error) it backs off.
   */
  requeueFailed(qp: QueuedPod, unschedulable: boolean): void {
    if (!this.inFlight.has(qp.key)) return; // deleted meanwhile
    this.inFlight.delete(qp.key);
    const now = this.now();
    qp.timestamp = now;
    qp.backoffExpiry = now + this.backoffDuration(qp);
    if (unschedulable && this.moveRequestCycle < qp.cycle) {
      this.unschedulable.set(qp.key, { qp, since: now });
      return;
    }
    this.requeue(qp);
  }

  /** The backoff of a pod after its `attempts` failures. */
  backoffDuration(qp: QueuedPodInfo): number {
    const exp = Math.max(0, qp.attempts - 1);
    return Math.min(this.options.maxBackoffMs, this.options.initialBackoffMs * 2 ** Math.min(exp, 30));
  }

  /**
   * A cluster event that may make parked pods fit (a node added or changed, a pod deleted): every
   * unschedulable pod moves to backoff (or active, if its backoff is over), and pods in flight that
   * fail will back off instead of parking.
   */
  moveAllToActiveOrBackoff(): void {
    this.moveRequestCycle = this.schedulingCycle;
    if (this.unschedulable.size === 0) return;
    const parked = [...this.unschedulable.values()];
    this.unschedulable.clear();
    for (const { qp } of parked) this.requeue(qp);
  }

  private requeue(qp: QueuedPod): void {
    if (qp.backoffExpiry > this.now()) {
      this.backoff.push(qp);
      this.armBackoffTimer();
    } else {
      this.pushActive(qp);
    }
  }

  private pushActive(qp: QueuedPod): void {
    const waiter = this.waiters.shift();
    if (waiter) {
      qp.attempts++;
      qp.cycle = ++this.schedulingCycle;
      this.inFlight.set(qp.key, qp);
      waiter(qp);
      return;
    }
    this.active.push(qp);
  }

  private armBackoffTimer(): void {
    const head = this.backoff.peek();
    if (!head || this.closed) return;
    if (this.backoffTimer && this.backoffTimerAt <= head.backoffExpiry) return;
    if (this.backoffTimer) clearTimeout(this.backoffTimer);
    this.backoffTimerAt = head.backoffExpiry;
    this.backoffTimer = setTimeout(() => {
      this.backoffTimer = undefined;
      this.flushBackoff();
    }, Math.max(0, head.backoffExpiry - this.now()));
  }

  /** Moves pods whose backoff is over to the active queue. */
  flushBackoff(): void {
    const now = this.now();
    for (let head = this.backoff.peek(); head && head.backoffExpiry <= now; head = this.backoff.peek()) {
      this.backoff.pop();
      this.pushActive(head);
    }
    this.armBackoffTimer();
  }

  /** Moves pods parked longer than `maxUnschedulableMs` back. */
  flushUnschedulableLeftovers(): void {
    const now = this.now();
    for (const [key, { qp, since }] of this.unschedulable) {
      if (now - since >= this.options.maxUnschedulableMs) {
        this.unschedulable.delete(key);
        this.requeue(qp);
      }
    }
  }

  /** Stops timers and wakes `pop` waiters with `undefined`. */
  close(): void {
    this.closed = true;
    if (this.backoffTimer) clearTimeout(this.backoffTimer);
    if (this.flushTimer) clearInterval(this.flushTimer);
    this.backoffTimer = undefined;
    this.flushTimer = undefined;
    for (const waiter of this.waiters.splice(0)) waiter(undefined);
  }
}
