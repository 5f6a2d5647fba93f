import type { CacheReader, EventHandler, Indexers, ObjectBase, ReconcileContext, ReconcileResult, Request } from '@skiff/core';
import type { Client } from '../client/client.js';
import type { EventRecorder } from '../events/event-recorder.js';
import type { KindRef } from './shared-informers.js';

/** What both `setup` and every reconcile can reach. */
export interface ControllerBaseContext<Options> {
  /** Writes go through the API (admission and validation apply). */
  readonly client: Client;
  /** The informer cache of a watched kind (`for`, `owns`, `watches` or registered in `setup`); read from it, copy before changing. */
  cache<T extends ObjectBase = ObjectBase>(ref: KindRef): CacheReader<T>;
  /** Records Events with `source.component` = the definition's `component`; never throws. */
  readonly events: EventRecorder;
  /** Asks for a key to be reconciled (deduplicated), e.g. from a custom event handler. */
  enqueue(req: Request): void;
  /** Asks for a key to be reconciled after `ms`. */
  enqueueAfter(req: Request, ms: number): void;
  readonly options: Options;
}

/** What a reconcile receives beside the request: a client, informer caches, and the plugin's options. */
export interface ControllerContext<Options = void, State = void> extends ReconcileContext, ControllerBaseContext<Options> {
  /** What `setup` returned for this run of the controller (fresh on every start). */
  readonly state: State;
}

/** What `setup` receives: the base context plus ways to add informer event handlers and indexes. */
export interface ControllerSetupContext<Options> extends ControllerBaseContext<Options> {
  /**
   * Adds an event handler to the shared informer of `ref` (which becomes a watched kind). The
   * handler follows the informer handler contract (synchronous, quick, never mutates objects) and
   * is removed when the controller stops.
   */
  on<T extends ObjectBase = ObjectBase>(ref: KindRef, handler: EventHandler<T>): void;
  /** Adds indexes to `ref`'s shared informer (a name already present is kept: same name, same function). */
  addIndexers<T extends ObjectBase = ObjectBase>(ref: KindRef, indexers: Indexers<T>): void;
}

export interface ControllerDefinition<Options = void, State = void> {
  /** PascalCase name, also the plugin's name. */
  name: string;
  /** The Event source (`source.component`) of `ctx.events`; default the name in kebab-case plus `-controller`. */
  component?: string;
  /** The primary kind: every change to one of these enqueues its own key. */
  for: KindRef;
  /** Kinds this controller creates: a change enqueues the controlling owner (ownerReference with `controller: true`) of `for`'s kind. */
  owns?: KindRef[];
  /**
   * Other kinds whose changes map to requests through `map` (called for the old and the new object
   * of an update). `map` gets the caches as second argument, e.g. to follow an owner chain; it
   * must be quick and must not mutate anything.
   */
  watches?: (KindRef & { map(object: ObjectBase, ctx: { cache: ControllerBaseContext<Options>['cache'] }): Request[] })[];
  /** How many keys reconcile at once (never one key twice). Default 1. */
  maxConcurrentReconciles?: number;
  /** JSON Schema for the options, checked before the cluster applies the plugin. */
  optionsSchema?: object;
  /** The semver range of @skiff/core supported; default: the SDK's own. */
  core?: string;
  /**
   * Called once each time the controller starts, before its informers are waited for: add event
   * handlers and indexes, and return per-run state (available as `ctx.state`), such as
   * expectations. It must not call the API. A controller that stops (e.g. loses leadership) and
   * starts again gets a fresh `setup`.
   */
  setup?(ctx: ControllerSetupContext<Options>): State;
  /**
   * Drive the actual state toward the desired state for one key, level-triggered and idempotent.
   * Return nothing when done, `{ requeueAfterMs }` to look again later, throw to retry with
   * backoff, or throw a `TerminalError` to record the failure without retrying.
   */
  reconcile(ctx: ControllerContext<Options, State>, req: Request): Promise<ReconcileResult> | ReconcileResult;
}
