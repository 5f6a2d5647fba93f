import {
  createController,
  definePlugin,
  enqueueRequestForObject,
  enqueueRequestsFromMapFunc,
  type CacheReader,
  type Controller,
  type Informer,
  type ObjectBase,
  type PluginFactory,
  type ReconcileContext,
  type ReconcileResult,
  type Request,
} from '@skiff/core';
import { Client } from '../client/client.js';
import { inProcessTransport } from '../client/in-process.js';

/** A kind, as a controller names what it watches. */
export interface KindRef {
  apiVersion: string;
  kind: string;
}

/** What a reconcile receives beside the request: a client, informer caches, and the plugin's options. */
export interface ControllerContext<Options> extends ReconcileContext {
  /** Writes go through the API (admission and validation apply). */
  readonly client: Client;
  /** The informer cache of a watched kind (`for`, `owns` or `watches`); read from it, copy before changing. */
  cache<T extends ObjectBase = ObjectBase>(ref: KindRef): CacheReader<T>;
  readonly options: Options;
}

export interface ControllerDefinition<Options = void> {
  /** PascalCase name, also the plugin's name. */
  name: string;
  /** The primary kind: every change to one of these enqueues its own key. */
  for: KindRef;
  /** Kinds this controller creates: a change enqueues the controlling owner (ownerReference with `controller: true`) of `for`'s kind. */
  owns?: KindRef[];
  /** Other kinds whose changes map to requests through `map`. */
  watches?: (KindRef & { map(object: ObjectBase): Request[] })[];
  /** How many keys reconcile at once (never one key twice). Default 1. */
  maxConcurrentReconciles?: number;
  /** JSON Schema for the options, checked before the cluster applies the plugin. */
  optionsSchema?: object;
  /** The semver range of @skiff/core supported; default: the SDK's own. */
  core?: string;
  /**
   * Drive the actual state toward the desired state for one key, level-triggered and idempotent.
   * Return nothing when done, `{ requeueAfterMs }` to look again later, throw to retry with
   * backoff, or throw a `TerminalError` to record the failure without retrying.
   */
  reconcile(ctx: ControllerContext<Options>, req: Request): Promise<ReconcileResult> | ReconcileResult;
}

const refKey = (ref: KindRef) => `${ref.apiVersion}/${ref.kind}`;

/**
 * Defines a controller as a plugin: the returned factory makes a plugin that, when the cluster
 * starts, opens informers for the watched kinds, waits for their caches to sync, then runs the
 * reconcile loop; it stops (draining in-flight reconciles) when the cluster stops.
 */
export function defineController<Options = void>(definition: ControllerDefinition<Options>): PluginFactory<Options> {
  return definePlugin<Options>({
    name: definition.name,
    core: definition.core ?? '^0.1.0',
    ...(definition.optionsSchema ? { optionsSchema: definition.optionsSchema } : {}),
    apply(cluster, options) {
      let controller: Controller | undefined;
      const informers = new Map<string, Informer<ObjectBase>>();
      cluster.addComponent({
        name: `controller:${definition.name}`,
        async start() {
          const client = new Client(inProcessTransport(cluster));
          const informerFor = (ref: KindRef) => {
            let inf = informers.get(refKey(ref));
            if (!inf) {
              inf = client.resource(ref.apiVersion, ref.kind).informer() as unknown as Informer<ObjectBase>;
              informers.set(refKey(ref), inf);
            }
            return inf;
          };
          const ctl = createController({
            name: definition.name,
            maxConcurrentReconciles: definition.maxConcurrentReconciles ?? 1,
            reconcile: (ctx, req) =>
              definition.reconcile(
                {
                  ...ctx,
                  signal: ctx.signal,
                  attempt: ctx.attempt,
                  client,
                  options,
                  cache: <T extends ObjectBase>(ref: KindRef) => {
                    const inf = informers.get(refKey(ref));
                    if (!inf) throw new Error(`${definition.name} does not watch ${refKey(ref)}; add it to for, owns or watches`);
                    return inf as unknown as CacheReader<T>;
                  },
                },
                req,
              ),
          });
          controller = ctl;
          informerFor(definition.for).addEventHandler(enqueueRequestForObject(ctl));
          for (const owned of definition.owns ?? []) {
            informerFor(owned).addEventHandler(
              enqueueRequestsFromMapFunc(ctl, (obj) => {
                const owner = (obj.metadata.ownerReferences ?? []).find(
                  (o) => o.controller && o.kind === definition.for.kind && o.apiVersion === definition.for.apiVersion,
                );
                return owner ? [{ name: owner.name, ...(obj.metadata.namespace ? { namespace: obj.metadata.namespace } : {}) }] : [];
              }),
            );
          }
          for (const watched of definition.watches ?? []) {
            informerFor(watched).addEventHandler(enqueueRequestsFromMapFunc(ctl, (obj) => watched.map(obj)));
          }
          for (const inf of informers.values()) inf.start();
          await Promise.all([...informers.values()].map((inf) => inf.waitForSync()));
          ctl.start();
        },
        async stop() {
          for (const inf of informers.values()) inf.stop();
          await controller?.stop();
        },
      });
    },
  });
}
