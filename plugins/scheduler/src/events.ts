import type { Event, ObjectBase } from '@skiff/core';
import type { Client, EventRecorder } from '@skiff/sdk';

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
const MAX_IN_FLIGHT = 16;

/**
 * Records core v1 Events in the background with Kubernetes' correlation: a repeat of an event
 * (same object, type, reason and message) is not a new Event but a `count` increment (and
 * `lastTimestamp`) on the one already written. Remembers the last 4 096 distinct events. Writes are
 * limited to 16 in flight; failures are dropped (events are best-effort).
 */
export class BackgroundEventRecorder implements EventRecorder {
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

  private enqueue(write: () => Promise<void>): void {
    this.pending.push(write);
    this.pump();
  }

  private pump(): void {
    while (this.inFlight < MAX_IN_FLIGHT && this.pending.length > 0) {
      const write = this.pending.shift()!;
      this.inFlight++;
      void write().finally(() => {
        this.inFlight--;
        this.pump();
        if (this.inFlight === 0 && this.pending.length === 0) for (const w of this.idleWaiters.splice(0)) w();
      });
    }
  }

  /** Resolves when every queued write is done. */
  flush(): Promise<void> {
    if (this.inFlight === 0 && this.pending.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Drops queued writes and waits for the ones in flight. */
  async close(): Promise<void> {
    this.closed = true;
    this.pending.length = 0;
    await this.flush();
  }
}
