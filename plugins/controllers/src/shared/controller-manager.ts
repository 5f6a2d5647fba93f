import type { Component, Plugin, ReconcileLogger } from '@skiff/core';
import { LeaderElector, SharedInformers, controllerDefinitionOf, leaderElectorSettings, leaderIdentity, startController, type Client, type RunningController } from '@skiff/sdk';
import type { ManagerLeaderElection } from '../options.js';

/** The Lease the controller managers of a cluster compete for (Kubernetes: `kube-system/kube-controller-manager`). */
export const CONTROLLER_MANAGER_LEASE = 'skiff-controller-manager';

export interface ControllerManagerDeps {
  /** How controllers reach the API. */
  client: Client;
  /** The controllers: plugins made by `defineController` factories run on `client` with shared informers. */
  controllers: Plugin<any>[];
  /**
   * Components of plugin-shaped controllers (captured from their `apply`): started when this
   * manager becomes the leader, stopped when it stops leading. They must be restartable.
   */
  components?: Component[];
  leaderElection?: ManagerLeaderElection;
  logger?: ReconcileLogger;
}

/**
 * Runs a set of controllers behind leader election (Kubernetes' kube-controller-manager): every
 * manager campaigns for one Lease; only the holder runs its controllers, over one set of shared
 * informers. When leadership is lost the controllers stop (in-flight reconciles drain) and the
 * informers close; if it is won again, they start afresh (new caches, new expectations).
 * Leadership changes are applied one at a time, in order.
 */
export class ControllerManager {
  readonly identity: string;
  private readonly elector: LeaderElector | undefined;
  private running: RunningController[] = [];
  private startedComponents: Component[] = [];
  private informers: SharedInformers | undefined;
  private chain: Promise<void> = Promise.resolve();
  private termAbort: AbortController | undefined;
  private stopped = false;

  constructor(private readonly deps: ControllerManagerDeps) {
    const le = deps.leaderElection ?? {};
    this.identity = leaderIdentity(le);
    if (le.leaderElect !== false) {
      this.elector = new LeaderElector({
        ...leaderElectorSettings(le, deps.client, CONTROLLER_MANAGER_LEASE, this.identity),
        onStartedLeading: () => this.enqueue(() => this.startControllers()),
        onStoppedLeading: () => {
          this.termAbort?.abort(); // a start still waiting for caches gives up at once
          this.enqueue(() => this.stopControllers());
        },
        onError: (err) => this.log('leader election error', err),
      });
    }
  }

  /** True while this manager's controllers run (it holds the Lease, or leader election is off). */
  isLeader(): boolean {
    return this.elector ? this.elector.isLeader() : !this.stopped;
  }

  /** Names of the controllers running now. */
  runningControllers(): string[] {
    return [...this.running.map((r) => r.name), ...this.startedComponents.map((c) => c.name)];
  }

  /** Resolves once every leadership change seen so far has been applied. */
  settled(): Promise<void> {
    return this.chain;
  }

  /** Starts campaigning (or, without leader election, starts the controllers and waits for their caches). */
  async start(): Promise<void> {
    if (this.elector) this.elector.start();
    else {
      this.enqueue(() => this.startControllers());
      await this.chain;
    }
  }

  /** Stops campaigning (a leader releases the Lease) and stops every controller. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.termAbort?.abort();
    await this.elector?.stop();
    this.enqueue(() => this.stopControllers());
    await this.chain;
  }

  private enqueue(step: () => Promise<void>): void {
    this.chain = this.chain.then(step).catch((err: unknown) => this.log('controller manager transition failed', err));
  }

  private async startControllers(): Promise<void> {
    if (this.stopped || (this.elector && !this.elector.isLeader()) || this.informers) return;
    const abort = new AbortController();
    this.termAbort = abort;
    const informers = new SharedInformers(this.deps.client);
    this.informers = informers;
    const started = await Promise.allSettled(
      this.deps.controllers.flatMap((plugin) => {
        const definition = controllerDefinitionOf(plugin);
        if (!definition) return [];
        return [startController(definition, { client: this.deps.client, options: plugin.options, informers, signal: abort.signal, host: this.identity, ...(this.deps.logger ? { logger: this.deps.logger } : {}) })];
      }),
    );
    for (const r of started) {
      if (r.status === 'fulfilled') this.running.push(r.value);
      else if (!abort.signal.aborted) this.log('a controller failed to start', r.reason);
    }
    for (const component of this.deps.components ?? []) {
      if (abort.signal.aborted) break;
      try {
        await component.start();
        this.startedComponents.push(component);
      } catch (err) {
        this.log(`controller ${component.name} failed to start`, err);
      }
    }
  }

  private async stopControllers(): Promise<void> {
    this.termAbort?.abort();
    this.termAbort = undefined;
    const running = this.running;
    const components = this.startedComponents;
    this.running = [];
    this.startedComponents = [];
    await Promise.all(running.map((r) => r.stop()));
    for (const c of components.reverse()) {
      try {
        await c.stop();
      } catch (err) {
        this.log(`controller ${c.name} failed to stop`, err);
      }
    }
    this.informers?.stop();
    this.informers = undefined;
  }

  private log(message: string, err: unknown): void {
    try {
      this.deps.logger?.error(message, { identity: this.identity, error: err instanceof Error ? err.message : String(err) });
    } catch {
      // nowhere to report
    }
  }
}
