import type { ContainerConfig, PodSandboxConfig } from '@skiff/sdk';
import type { MockBehaviour } from './behaviour.js';

/** How and when a simulated container exits (or exited). */
export interface MockExit {
  /** Epoch ms at which the container is (or will be) exited. */
  at: number;
  code: number;
  reason: string;
  message?: string;
}

/** One simulated pod sandbox. */
export interface MockSandbox {
  readonly id: string;
  readonly config: PodSandboxConfig;
  readonly createdAt: number;
  ready: boolean;
  readonly containerIds: Set<string>;
}

/**
 * One simulated container. Its state is not stored but derived from times (see `timeline.ts`), so
 * a container that runs or exits on schedule costs no timer.
 */
export interface MockContainer {
  readonly id: string;
  readonly sandboxId: string;
  readonly config: ContainerConfig;
  readonly behaviour: MockBehaviour;
  readonly createdAt: number;
  /** Epoch ms the process started; undefined while `created`. */
  startedAt?: number;
  /** True while `startContainer` waits out the start delay. */
  starting: boolean;
  /** An exit forced by the runtime (start failure, SIGTERM, SIGKILL); the earlier of this and the natural exit wins. */
  forcedExit?: MockExit;
  /** Callbacks waiting for the container to change (log followers, stoppers); created on demand. */
  waiters?: Set<() => void>;
}

/**
 * The state a set of `MockRuntime` instances share: a simulated node's sandboxes and containers.
 * A new runtime instance over the same world adopts everything in it, as a restarted node agent
 * adopts the containers on its host.
 */
export class MockWorld {
  /** Sandboxes by id. */
  readonly sandboxes = new Map<string, MockSandbox>();
  /** Containers by id. */
  readonly containers = new Map<string, MockContainer>();
  private nextId = 1;

  /** A fresh id with the given prefix, unique in this world. */
  newId(prefix: string): string {
    const n = this.nextId++;
    return `${prefix}-${n.toString(16).padStart(8, '0')}`;
  }

  /** Wakes everything waiting on the container (it started, was asked to stop, or was removed). */
  notify(container: MockContainer): void {
    if (!container.waiters) return;
    for (const wake of [...container.waiters]) wake();
  }
}
