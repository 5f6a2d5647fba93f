import { isApiError, type Event, type ObjectBase, type ReconcileLogger } from '@skiff/core';
import type { Client } from '../client/client.js';

/** The two event types Kubernetes defines. */
export type EventType = 'Normal' | 'Warning';

export interface EventRecorderOptions {
  /** Who records: `source.component` and `reportingComponent` of every Event (e.g. `replicaset-controller`). */
  component: string;
  /** The node or host the recorder runs on: `source.host` and `reportingInstance`. */
  host?: string;
  /**
   * A repeat of an event (same object, type, reason, message and source) seen within this long of
   * its previous occurrence bumps `count` and `lastTimestamp` of the Event already written instead
   * of creating a new one. Default 600 000 ms (Kubernetes' 10-minute aggregation window).
   */
  dedupWindowMs?: number;
  /** How many distinct events are remembered for deduplication, least recently seen dropped first. Default 4 096 (Kubernetes' LRU size). */
  maxTracked?: number;
  /** Told about failed writes (events are best-effort: failures never reach the caller). Default: `console.warn`. */
  logger?: Pick<ReconcileLogger, 'error'>;
  /** The clock, in epoch milliseconds (tests). Default `Date.now`. */
  now?: () => number;
  /** At most this many Event writes in flight at once; more wait their turn. Default 16. */
  maxInFlight?: number;
  /**
   * At most this many events waiting for a write slot; beyond it new events are dropped (counted
   * in `dropped`), as Kubernetes' event broadcaster drops when its queue of 1 000 is full, so a
   * storm of events never holds unbounded memory or slows the controller. Default 1 000.
   */
  maxQueued?: number;
}

/** One remembered event: where it was written and how often it happened. */
interface Tracked {
  name: string;
  namespace: string;
  count: number;
  lastSeenMs: number;
}

/** Kubernetes caps an event message at 1 KiB (the events API refuses longer ones). */
const MAX_MESSAGE_LENGTH = 1024;

/** RFC 3339 with seconds, as Kubernetes writes `metav1.Time`. */
function rfc3339(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function truncate(message: string): string {
  return message.length <= MAX_MESSAGE_LENGTH ? message : `${message.slice(0, MAX_MESSAGE_LENGTH - 3)}...`;
}

const consoleLogger: Pick<ReconcileLogger, 'error'> = {
  error: (message, fields) => console.warn(`[events] ${message}`, fields ?? {}),
};

/**
 * Records core v1 Events about objects, the way Kubernetes' `record.EventRecorder` with its
 * `EventCorrelator` does.
 *
 * - Each new event becomes an Event named `<object name>.<hex timestamp>` in the object's
 *   namespace (`default` for cluster-scoped objects), with `involvedObject` (kind, namespace,
 *   name, uid, apiVersion, resourceVersion), `source.component`/`source.host`,
 *   `reportingComponent`/`reportingInstance`, `firstTimestamp`, `lastTimestamp` and `count: 1`.
 * - A repeat (same involved object, type, reason, message and source) within `dedupWindowMs` of
 *   the previous occurrence is deduplicated: the Event already written gets `count + 1` and a new
 *   `lastTimestamp` (a merge patch) instead of a new Event. If that Event has disappeared (deleted,
 *   expired), a new one is created. The recorder remembers the last `maxTracked` distinct events
 *   (an LRU) and forgets everything on restart, as Kubernetes does.
 * - Writes for the same event are serialized, so concurrent repeats never create two Events. At
 *   most `maxInFlight` writes run at once; when `maxQueued` more are waiting, new events are
 *   dropped and counted in `dropped`.
 *
 * Contract: `record` never rejects and never throws: a failed write is logged to
 * `options.logger` and dropped (events are best-effort). It must not be relied on for anything
 * but telling humans what happened.
 */
export class EventRecorder {
  private readonly component: string;
  private readonly host: string | undefined;
  private readonly windowMs: number;
  private readonly maxTracked: number;
  private readonly logger: Pick<ReconcileLogger, 'error'>;
  private readonly now: () => number;
  /** Remembered events by correlation key, least recently seen first. */
  private readonly tracked = new Map<string, Tracked>();
  /** The tail of the write chain of each key with writes in flight. */
  private readonly chains = new Map<string, Promise<void>>();
  private seq = 0;
  private inFlight = 0;
  /** Events accepted and not yet written (in flight or waiting). */
  private pending = 0;
  private readonly waiting: (() => void)[] = [];
  private readonly maxInFlight: number;
  private readonly maxQueued: number;
  /** Events dropped because the queue was full. */
  dropped = 0;

  constructor(
    private readonly client: Client,
    options: EventRecorderOptions,
  ) {
    this.component = options.component;
    this.host = options.host;
    this.windowMs = options.dedupWindowMs ?? 600_000;
    this.maxTracked = Math.max(1, options.maxTracked ?? 4096);
    this.logger = options.logger ?? consoleLogger;
    this.now = options.now ?? Date.now;
    this.maxInFlight = Math.max(1, options.maxInFlight ?? 16);
    this.maxQueued = Math.max(0, options.maxQueued ?? 1000);
  }

  /**
   * Records that `reason` happened to `object` (e.g. `'Normal', 'SuccessfulCreate', 'Created pod:
   * web-x7k2p'`). Resolves once the Event is written (or the write has failed and been logged);
   * never rejects.
   */
  record(object: ObjectBase, type: EventType, reason: string, message: string): Promise<void> {
    let key: string;
    try {
      key = this.correlationKey(object, type, reason, message);
    } catch (err) {
      this.logFailure(object, reason, err);
      return Promise.resolve();
    }
    if (this.pending >= this.maxInFlight + this.maxQueued) {
      this.dropped++;
      return Promise.resolve();
    }
    this.pending++;
    const previous = this.chains.get(key) ?? Promise.resolve();
    const next = previous
      .then(() => this.slot())
      .then(() => this.write(key, object, type, reason, message).finally(() => this.release()))
      .catch((err: unknown) => this.logFailure(object, reason, err))
      .finally(() => this.pending--);
    this.chains.set(key, next);
    void next.then(() => {
      if (this.chains.get(key) === next) this.chains.delete(key);
    });
    return next;
  }

  /**
   * Fire-and-forget `record` (the shape of the scheduler handle's event recorder): records in the
   * background and returns at once.
   */
  event(object: ObjectBase, type: EventType, reason: string, message: string): void {
    void this.record(object, type, reason, message);
  }

  /** Waits for a write slot (at most `maxInFlight` writes at once). */
  private slot(): Promise<void> {
    if (this.inFlight < this.maxInFlight) {
      this.inFlight++;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waiting.push(() => {
      this.inFlight++;
      resolve();
    }));
  }

  private release(): void {
    this.inFlight--;
    this.waiting.shift()?.();
  }

  /** Resolves once every write started so far has finished. */
  async flush(): Promise<void> {
    while (this.chains.size > 0) await Promise.all([...this.chains.values()]);
  }

  private correlationKey(object: ObjectBase, type: string, reason: string, message: string): string {
    const m = object.metadata;
    return JSON.stringify([object.apiVersion, object.kind, m.namespace ?? '', m.name ?? '', m.uid ?? '', type, reason, truncate(message), this.component, this.host ?? '']);
  }

  private async write(key: string, object: ObjectBase, type: EventType, reason: string, message: string): Promise<void> {
    const nowMs = this.now();
    const seen = this.tracked.get(key);
    if (seen && nowMs - seen.lastSeenMs <= this.windowMs) {
      this.touch(key, seen);
      seen.count++;
      seen.lastSeenMs = nowMs;
      try {
        await this.client.resource('v1', 'Event').patch(seen.name, { count: seen.count, lastTimestamp: rfc3339(nowMs) }, { namespace: seen.namespace });
        return;
      } catch (err) {
        if (!isApiError(err, 404)) throw err;
        // The Event is gone (deleted or expired): start a new one below.
      }
    }
    const created = await this.create(object, type, reason, message, nowMs);
    this.touch(key, { name: created.metadata.name ?? '', namespace: created.metadata.namespace ?? '', count: 1, lastSeenMs: nowMs });
  }

  /** Marks `key` most recently used, dropping the least recently used beyond `maxTracked`. */
  private touch(key: string, entry: Tracked): void {
    this.tracked.delete(key);
    this.tracked.set(key, entry);
    while (this.tracked.size > this.maxTracked) this.tracked.delete(this.tracked.keys().next().value!);
  }

  private async create(object: ObjectBase, type: EventType, reason: string, message: string, nowMs: number): Promise<Event> {
    const m = object.metadata;
    const namespace = m.namespace || 'default';
    const stamp = rfc3339(nowMs);
    // Kubernetes names events `<name>.<unix nanoseconds in hex>`; a per-recorder sequence keeps
    // names unique when two events share a millisecond.
    const nanos = BigInt(nowMs) * 1_000_000n + BigInt(this.seq++ % 1_000_000);
    const event: Event = {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: `${m.name ?? 'unknown'}.${nanos.toString(16)}`, namespace },
      involvedObject: {
        apiVersion: object.apiVersion,
        kind: object.kind,
        name: m.name ?? '',
        ...(m.namespace ? { namespace: m.namespace } : {}),
        ...(m.uid ? { uid: m.uid } : {}),
        ...(m.resourceVersion ? { resourceVersion: m.resourceVersion } : {}),
      },
      type,
      reason,
      message: truncate(message),
      source: { component: this.component, ...(this.host ? { host: this.host } : {}) },
      firstTimestamp: stamp,
      lastTimestamp: stamp,
      count: 1,
      reportingComponent: this.component,
      ...(this.host ? { reportingInstance: this.host } : {}),
    };
    try {
      return await this.client.resource('v1', 'Event').create(event);
    } catch (err) {
      if (!isApiError(err, 409)) throw err;
      // A name collision (another recorder, same nanosecond): once more with a fresh name.
      const retry = { ...event, metadata: { ...event.metadata, name: `${m.name ?? 'unknown'}.${(nanos + BigInt(1 + (this.seq++ % 1000))).toString(16)}` } };
      return await this.client.resource('v1', 'Event').create(retry);
    }
  }

  private logFailure(object: ObjectBase, reason: string, err: unknown): void {
    try {
      this.logger.error('could not record event', {
        component: this.component,
        object: `${object?.kind}/${object?.metadata?.namespace ?? ''}/${object?.metadata?.name ?? ''}`,
        reason,
        error: err instanceof Error ? err.message : String(err),
      });
    } catch {
      // A throwing logger: nowhere left to report.
    }
  }
}
