import type { Event, ObjectBase } from '@skiff/core';
import type { Client, SchedulerEventRecorder } from '@skiff/sdk';

/** RFC 3339 with seconds, as Kubernetes writes `Time`. */
function rfc3339(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

interface Tracked {
  name: string;
  namespace: string;
  count: number;
  firstTimestamp: string;
  /** Set once the Event exists; updates wait for it. */
  created: Promise<boolean>;
  dirty: boolean;
}

const MAX_TRACKED = 4096;
const MAX_IN_FLIGHT = 4;
/** Writes waiting beyond this many are dropped, as Kubernetes' event broadcaster drops when its queue is full. */
const MAX_PENDING = 10_000;

/**
 * Records core v1 Events in the background with Kubernetes' correlation: a repeat of an event
 * (same object, type, reason and message) is not a new Event but a `count` increment (and
 * `lastTimestamp`) on the one already written. Remembers the last 4 096 distinct events. Writes run
 * behind scheduling: the scheduler pauses them while it has pods to schedule and resumes them
 * when its active queue is empty; then 4 are in flight at most. At most 10 000 wait: more are
 * dropped and counted in `dropped`, as Kubernetes' event broadcaster drops when its queue is full
 * (events are best-effort; failed writes are dropped too).
 */
export class BackgroundEventRecorder implements SchedulerEventRecorder {
  private readonly tracked = new Map<string, Tracked>();
  private readonly pending: (() => Promise<void>)[] = [];
  private inFlight = 0;
  private seq = 0;
  private closed = false;
  private idleWaiters: (() => void)[] = [];

  constructor(
    private readonly client: Client,
    private readonly component: string,
    private readonly instance: string,
  ) {}

  event(regarding: ObjectBase, type: 'Normal' | 'Warning', reason: string, message: string): void {
    if (this.closed) return;
    const meta = regarding.metadata;
    const namespace = meta.namespace || 'default';
    const key = `${meta.uid ?? `${namespace}/${meta.name}`}|${type}|${reason}|${message}`;
    const now = Date.now();
    const seen = this.tracked.get(key);
    if (seen) {
      seen.count++;
      this.tracked.delete(key);
      this.tracked.set(key, seen); // most recently used last
      if (!seen.dirty) {
        seen.dirty = true;
        this.enqueue(async () => {
          if (!(await seen.created)) return;
          seen.dirty = false;
          await this.client
            .resource('v1', 'Event')
            .patch(seen.name, { count: seen.count, lastTimestamp: rfc3339(Date.now()) }, { namespace: seen.namespace })
            .catch(() => undefined);
        });
      }
      return;
    }
    const name = `${meta.name}.${now.toString(16)}${(this.seq++ % 4096).toString(16).padStart(3, '0')}`;
    let resolveCreated!: (ok: boolean) => void;
    const tracked: Tracked = { name, namespace, count: 1, firstTimestamp: rfc3339(now), created: new Promise((r) => (resolveCreated = r)), dirty: false };
    this.tracked.set(key, tracked);
    if (this.tracked.size > MAX_TRACKED) this.tracked.delete(this.tracked.keys().next().value!);
    const event: Event = {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name, namespace },
      involvedObject: {
        apiVersion: regarding.apiVersion,
        kind: regarding.kind,
        name: meta.name ?? '',
        ...(meta.namespace ? { namespace: meta.namespace } : {}),
        ...(meta.uid ? { uid: meta.uid } : {}),
        ...(meta.resourceVersion ? { resourceVersion: meta.resourceVersion } : {}),
      },
      reason,
      message,
      type,
      count: 1,
      firstTimestamp: tracked.firstTimestamp,
      lastTimestamp: tracked.firstTimestamp,
      source: { component: this.component },
      reportingComponent: this.component,
      reportingInstance: this.instance,
    };
    this.enqueue(async () => {
      try {
        await this.client.resource('v1', 'Event').create(event);
        resolveCreated(true);
      } catch {
        resolveCreated(false);
        if (this.tracked.get(key) === tracked) this.tracked.delete(key);
      }
    });
  }

  /** Event writes dropped because too many were waiting. */
  dropped = 0;
  /** Queued writes are `pending[head..]` (a moving head, so taking one is O(1)). */
  private head = 0;
  private paused = false;

  /** Holds queued writes back (the scheduler is busy); new events still queue, up to the limit. */
  pause(): void {
    this.paused = true;
  }

  /** Lets queued writes go again. */
  resume(): void {
    if (!this.paused) return;
    this.paused = false;
    this.pump();
  }

  /** Writes waiting to start. */
  get backlog(): number {
    return this.pending.length - this.head;
  }

  private enqueue(write: () => Promise<void>): void {
    if (this.backlog >= MAX_PENDING) {
      this.dropped++;
      return;
    }
    this.pending.push(write);
    this.pump();
  }

  private pump(): void {
    while (!this.paused && this.inFlight < MAX_IN_FLIGHT && this.head < this.pending.length) {
      const write = this.pending[this.head]!;
      this.pending[this.head++] = undefined as never;
      if (this.head === this.pending.length) {
        this.pending.length = 0;
        this.head = 0;
      }
      this.inFlight++;
      void write().finally(() => {
        this.inFlight--;
        this.pump();
        if (this.inFlight === 0 && this.backlog === 0) for (const w of this.idleWaiters.splice(0)) w();
      });
    }
  }

  /** Resolves when every queued write is done. */
  flush(): Promise<void> {
    if (this.inFlight === 0 && this.backlog === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Drops queued writes and waits for the ones in flight. */
  async close(): Promise<void> {
    this.closed = true;
    this.pending.length = 0;
    this.head = 0;
    await this.flush();
  }
}
