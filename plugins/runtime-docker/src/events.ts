import type Docker from 'dockerode';
import { RUNTIME_LABELS, type ContainerEvent, type ContainerEventListener, type ContainerEventType } from '@skiff/sdk';
import { DOCKER_LABELS, RUNTIME_NAME } from './labels.js';

/** Where a container belongs, for its events. */
export interface EventTarget {
  sandboxId: string;
  podUid: string;
}

const ORDER: Record<ContainerEventType, number> = { created: 0, started: 1, stopped: 2, deleted: 3 };
const ENGINE_ACTIONS: Record<string, ContainerEventType | undefined> = { create: 'created', start: 'started', die: 'stopped', destroy: 'deleted' };
/** How many deleted containers are remembered, so late duplicates of their events are dropped. */
const DELETED_MEMORY = 4096;
const RECONNECT_MS = 500;

/** The target of a container from its labels (or an engine event's attributes, which carry them). */
export function targetOf(labels: Readonly<Record<string, string>> | undefined): EventTarget {
  return { sandboxId: labels?.[DOCKER_LABELS.sandboxId] ?? '', podUid: labels?.[RUNTIME_LABELS.podUid] ?? '' };
}

/** One engine event as the runtime reads it. */
interface EngineEvent {
  Type?: string;
  Action?: string;
  status?: string;
  id?: string;
  Actor?: { ID?: string; Attributes?: Record<string, string> };
  time?: number;
  timeNano?: number;
}

/**
 * The container events of one node (see `ContainerRuntime.subscribeContainerEvents`). One engine
 * event stream (`type=container`, the node's label), opened on the first subscriber (replaying from
 * the subscription time, so nothing made meanwhile is missed) and reopened if it ends while someone
 * listens. The runtime also reports what its own calls did, at once. Per container each type is
 * delivered at most once, in lifecycle order: an earlier type arriving late is dropped, and
 * `deleted` of a container seen running is preceded by `stopped`.
 */
export class EventHub {
  private readonly listeners = new Set<ContainerEventListener>();
  private readonly last = new Map<string, ContainerEventType>();
  private readonly targets = new Map<string, EventTarget>();
  private readonly deleted = new Set<string>();
  private stream: NodeJS.ReadableStream | undefined;
  private opening = false;
  private closed = false;
  private reconnectTimer: NodeJS.Timeout | undefined;
  /** Engine time (seconds, fractional) to replay from when (re)opening. */
  private since = 0;

  constructor(
    private readonly docker: Docker,
    private readonly nodeName: string,
  ) {}

  subscribe(listener: ContainerEventListener): () => void {
    this.listeners.add(listener);
    if (!this.stream && !this.opening) {
      this.since = Date.now() / 1000 - 0.05;
      this.open();
    }
    return () => {
      this.listeners.delete(listener);
      // Nobody listens: drop the engine stream (it would keep the process alive); reopened on demand.
      if (this.listeners.size === 0) this.disconnect();
    };
  }

  /** Remembers where a container belongs (its labels are gone from the engine once destroyed). */
  remember(containerId: string, target: EventTarget): void {
    if (!this.deleted.has(containerId)) this.targets.set(containerId, target);
  }

  /** Delivers `type` for a container unless it (or a later type) was delivered already. */
  emit(type: ContainerEventType, containerId: string, target?: EventTarget, at: Date = new Date()): void {
    if (this.closed || this.deleted.has(containerId)) return;
    const where = target && target.sandboxId ? target : (this.targets.get(containerId) ?? target ?? { sandboxId: '', podUid: '' });
    this.targets.set(containerId, where);
    const last = this.last.get(containerId);
    if (last !== undefined && ORDER[last] >= ORDER[type]) return;
    if (type === 'deleted' && last === 'started') this.deliver('stopped', containerId, where, at);
    this.deliver(type, containerId, where, at);
    if (type === 'deleted') {
      this.last.delete(containerId);
      this.targets.delete(containerId);
      this.deleted.add(containerId);
      if (this.deleted.size > DELETED_MEMORY) this.deleted.delete(this.deleted.values().next().value!);
    } else {
      this.last.set(containerId, type);
    }
  }

  /** Stops the engine stream; no more events are delivered. */
  close(): void {
    this.closed = true;
    this.listeners.clear();
    this.disconnect();
  }

  private disconnect(): void {
    clearTimeout(this.reconnectTimer);
    this.reconnectTimer = undefined;
    const stream = this.stream as (NodeJS.ReadableStream & { destroy?: () => void }) | undefined;
    this.stream = undefined;
    stream?.destroy?.();
  }

  private deliver(type: ContainerEventType, containerId: string, target: EventTarget, at: Date): void {
    const event: ContainerEvent = { type, containerId, sandboxId: target.sandboxId, podUid: target.podUid, at };
    for (const listener of [...this.listeners]) {
      try {
        listener(event);
      } catch {
        // listeners must not throw; one that does loses only its own event
      }
    }
  }

  private open(): void {
    if (this.closed) return;
    this.opening = true;
    const filters = { type: ['container'], label: [`${DOCKER_LABELS.node}=${this.nodeName}`, `${DOCKER_LABELS.runtime}=${RUNTIME_NAME}`] };
    this.docker
      .getEvents({ since: this.since.toFixed(3) as unknown as number, filters: JSON.stringify(filters) as unknown as Record<string, string[]> })
      .then((stream) => {
        this.opening = false;
        if (this.closed || this.listeners.size === 0) {
          (stream as NodeJS.ReadableStream & { destroy?: () => void }).destroy?.();
          return;
        }
        this.stream = stream;
        let buffer = '';
        stream.on('data', (chunk: Buffer) => {
          buffer += chunk.toString('utf8');
          let newline: number;
          while ((newline = buffer.indexOf('\n')) >= 0) {
            const line = buffer.slice(0, newline).trim();
            buffer = buffer.slice(newline + 1);
            if (line) this.onLine(line);
          }
        });
        const ended = () => {
          if (this.stream !== stream) return;
          this.stream = undefined;
          this.reconnect();
        };
        stream.on('end', ended);
        stream.on('close', ended);
        stream.on('error', ended);
      })
      .catch(() => {
        this.opening = false;
        this.reconnect();
      });
  }

  private reconnect(): void {
    if (this.closed || this.reconnectTimer || this.listeners.size === 0) return;
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      if (!this.closed && !this.stream && !this.opening && this.listeners.size > 0) this.open();
    }, RECONNECT_MS);
    this.reconnectTimer.unref();
  }

  private onLine(line: string): void {
    let event: EngineEvent;
    try {
      event = JSON.parse(line) as EngineEvent;
    } catch {
      return;
    }
    const type = ENGINE_ACTIONS[event.Action ?? event.status ?? ''];
    const id = event.Actor?.ID ?? event.id;
    if (!type || !id || (event.Type && event.Type !== 'container')) return;
    const attributes = event.Actor?.Attributes ?? {};
    if (attributes[DOCKER_LABELS.sandbox] === 'true') return;
    const at = event.timeNano ? new Date(Math.floor(event.timeNano / 1e6)) : event.time ? new Date(event.time * 1000) : new Date();
    if (event.timeNano) this.since = Math.max(this.since, event.timeNano / 1e9 - 1);
    this.emit(type, id, attributes[DOCKER_LABELS.sandboxId] ? targetOf(attributes) : undefined, at);
  }
}
