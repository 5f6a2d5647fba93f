import type { ContainerEvent, ContainerEventListener, ContainerEventType } from '@skiff/sdk';

/** Where a container belongs, for its events. */
export interface EventTarget {
  sandboxId: string;
  podUid: string;
}

/**
 * Container events of one state directory, shared by every runtime instance over it in this
 * process (see `ContainerRuntime.subscribeContainerEvents`). Instances emit `created`, `started`,
 * `deleted` (and `stopped` for the stops they make) as they act; exits nobody asked for are found
 * by looking at the running containers every `intervalMs` while someone listens: a cheap look
 * (has the shim written the exit?) each time, and a thorough one (is the process still there, in
 * case its shim died) every `thoroughEvery` looks. Each type is delivered at most once per container.
 */
export class EventHub {
  private readonly listeners = new Set<ContainerEventListener>();
  private readonly emitted = new Map<string, Set<ContainerEventType>>();
  private readonly watched = new Map<string, EventTarget>();
  private timer: NodeJS.Timeout | undefined;
  private ticks = 0;

  /** `finishedAt(id, thorough)`: when the container exited, undefined while it runs, `gone` once removed. */
  constructor(
    private readonly finishedAt: (id: string, thorough: boolean) => Date | 'gone' | undefined,
    private readonly intervalMs = 100,
    private readonly thoroughEvery = 20,
  ) {}

  /** True while someone listens. */
  get listening(): boolean {
    return this.listeners.size > 0;
  }

  subscribe(listener: ContainerEventListener): () => void {
    this.listeners.add(listener);
    this.schedule();
    return () => {
      this.listeners.delete(listener);
      this.schedule();
    };
  }

  /** Delivers one event (once per container and type). */
  emit(type: ContainerEventType, containerId: string, target: EventTarget, at: Date = new Date()): void {
    let types = this.emitted.get(containerId);
    if (types?.has(type)) return;
    if (type === 'deleted' || type === 'stopped') this.watched.delete(containerId);
    if (type === 'deleted') this.emitted.delete(containerId);
    else this.emitted.set(containerId, (types ??= new Set()).add(type));
    const event: ContainerEvent = { type, containerId, sandboxId: target.sandboxId, podUid: target.podUid, at };
    for (const listener of [...this.listeners]) {
      try {
        listener(event);
      } catch {
        // listeners must not throw; one that does loses only its own event
      }
    }
    this.schedule();
  }

  /** Looks out for the exit of a running container. */
  watch(containerId: string, target: EventTarget): void {
    if (this.emitted.get(containerId)?.has('stopped')) return;
    this.watched.set(containerId, target);
    this.schedule();
  }

  private schedule(): void {
    const wanted = this.listeners.size > 0 && this.watched.size > 0;
    if (wanted && !this.timer) {
      this.timer = setInterval(() => this.tick(), this.intervalMs);
      this.timer.unref();
    } else if (!wanted && this.timer) {
      clearInterval(this.timer);
      this.timer = undefined;
    }
  }

  private tick(): void {
    const thorough = ++this.ticks % this.thoroughEvery === 0;
    for (const [id, target] of [...this.watched]) {
      let finished: Date | 'gone' | undefined;
      try {
        finished = this.finishedAt(id, thorough);
      } catch {
        finished = undefined;
      }
      if (finished === 'gone') this.watched.delete(id);
      else if (finished) this.emit('stopped', id, target, finished);
    }
    this.schedule();
  }
}

const hubs = new Map<string, EventHub>();

/** The hub of a state directory (by its resolved path), made on first use. */
export function hubFor(stateDir: string, make: () => EventHub): EventHub {
  let hub = hubs.get(stateDir);
  if (!hub) hubs.set(stateDir, (hub = make()));
  return hub;
}
