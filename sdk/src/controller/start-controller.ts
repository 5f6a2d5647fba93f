import {
  SkiffError,
  createController,
  enqueueRequestForObject,
  enqueueRequestsFromMapFunc,
  type CacheReader,
  type Controller,
  type EventHandler,
  type EventHandlerRegistration,
  type Indexers,
  type ObjectBase,
  type ReconcileLogger,
  type Request,
} from '@skiff/core';
import type { Client } from '../client/client.js';
import { EventRecorder } from '../events/event-recorder.js';
import { SharedInformers, kindKey, type KindRef } from './shared-informers.js';
import type { ControllerBaseContext, ControllerDefinition } from './types.js';

export interface StartControllerOptions<Options> {
  /** How the controller reaches the API. */
  client: Client;
  /** The controller's options (`ctx.options`). */
  options: Options;
  /**
   * Informers shared with other controllers. The caller owns them: it starts them (they are
   * started here too, idempotently) and stops them after stopping the controllers. Default: the
   * controller makes its own and stops them when it stops.
   */
  informers?: SharedInformers;
  /** Passed to reconciles as `ctx.logger`; failures are logged to it. */
  logger?: ReconcileLogger;
  /** Aborting it while the caches sync makes `startController` reject (the controller never runs). */
  signal?: AbortSignal;
  /** The Event recorder's `host` (`source.host`). */
  host?: string;
}

/** A controller started with {@link startController}. */
export interface RunningController {
  readonly name: string;
  /** The reconcile loop (for its `terminalErrors`). */
  readonly controller: Controller;
  /** Removes its informer handlers, stops the reconcile loop (draining in-flight reconciles) and, when it owns them, its informers. Idempotent. */
  stop(): Promise<void>;
}

/** `ReplicaSet` → `replicaset-controller`, `NodeLifecycle` → `node-lifecycle-controller`. */
export function defaultComponent(name: string): string {
  return `${name.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase()}-controller`;
}

/**
 * Runs a controller definition against an API client, outside any plugin: the lower-level way
 * `defineController`'s plugin and the controller manager (behind leader election) start
 * controllers. It calls `setup`, registers handlers for `for`, `owns` and `watches` on the
 * (shared) informers, starts them, waits until they have synced, then starts the reconcile loop.
 *
 * @throws SkiffError `SKIFF_ERR_QUEUE_SHUT_DOWN` (rejects) when `signal` aborts or the informers
 *   stop before the caches have synced; nothing keeps running then.
 */
export async function startController<Options, State>(
  definition: ControllerDefinition<Options, State>,
  opts: StartControllerOptions<Options>,
): Promise<RunningController> {
  const owned = !opts.informers;
  const informers = opts.informers ?? new SharedInformers(opts.client);
  const watched = new Set<string>();
  const registrations: EventHandlerRegistration[] = [];
  const events = new EventRecorder(opts.client, { component: definition.component ?? defaultComponent(definition.name), ...(opts.host ? { host: opts.host } : {}), ...(opts.logger ? { logger: opts.logger } : {}) });
  let controllerRef: Controller | undefined;
  const enqueue = (req: Request) => controllerRef?.enqueue(req);
  const enqueueAfter = (req: Request, ms: number) => controllerRef?.enqueueAfter(req, ms);

  const cache = <T extends ObjectBase>(ref: KindRef): CacheReader<T> => {
    if (!watched.has(kindKey(ref))) throw new Error(`${definition.name} does not watch ${kindKey(ref)}; add it to for, owns or watches, or register it in setup`);
    return informers.informer<T>(ref);
  };
  const base: ControllerBaseContext<Options> = { client: opts.client, cache, events, enqueue, enqueueAfter, options: opts.options };
  const pending: (() => void)[] = [];
  const watch = <T extends ObjectBase>(ref: KindRef, handler?: EventHandler<T>) => {
    watched.add(kindKey(ref));
    const inf = informers.informer<T>(ref);
    if (handler) pending.push(() => registrations.push(inf.addEventHandler(handler)));
  };

  const state = definition.setup
    ? definition.setup({
        ...base,
        on: (ref, handler) => watch(ref, handler),
        addIndexers: <T extends ObjectBase>(ref: KindRef, indexers: Indexers<T>) => {
          watched.add(kindKey(ref));
          informers.addIndexers(ref, indexers);
        },
      })
    : (undefined as State);

  const ctl = createController({
    name: definition.name,
    maxConcurrentReconciles: definition.maxConcurrentReconciles ?? 1,
    ...(opts.logger ? { logger: opts.logger } : {}),
    reconcile: (ctx, req) => definition.reconcile({ ...base, signal: ctx.signal, attempt: ctx.attempt, ...(ctx.logger ? { logger: ctx.logger } : {}), state }, req),
  });
  controllerRef = ctl;

  watch(definition.for, enqueueRequestForObject(ctl));
  for (const ownedRef of definition.owns ?? []) {
    watch(
      ownedRef,
      enqueueRequestsFromMapFunc(ctl, (obj) => {
        const owner = (obj.metadata.ownerReferences ?? []).find((o) => o.controller && o.kind === definition.for.kind && o.apiVersion === definition.for.apiVersion);
        return owner ? [{ name: owner.name, ...(obj.metadata.namespace ? { namespace: obj.metadata.namespace } : {}) }] : [];
      }),
    );
  }
  for (const w of definition.watches ?? []) watch(w, enqueueRequestsFromMapFunc(ctl, (obj) => w.map(obj, { cache })));
  for (const register of pending) register();

  let stopPromise: Promise<void> | undefined;
  const stop = () => {
    stopPromise ??= (async () => {
      for (const r of registrations) r.remove();
      if (owned) informers.stop();
      await ctl.stop();
      await events.flush();
    })();
    return stopPromise;
  };

  informers.start();
  const synced = await informers.waitForSync(opts.signal);
  if (!synced) {
    await stop();
    throw new SkiffError('SKIFF_ERR_QUEUE_SHUT_DOWN', `controller ${definition.name} stopped before its caches synced`, { controller: definition.name });
  }
  ctl.start();
  return { name: definition.name, controller: ctl, stop };
}
