import { AsyncParallelHook, AsyncSeriesHook, AsyncSeriesWaterfallHook, HookMap, SyncBailHook, SyncHook } from 'tapable';
import type { KubeObject } from '../objects/types.js';
import type { Cluster } from './cluster.js';

/** Who is making a request. The in-process transport and the API server fill it in. */
export interface UserInfo {
  username: string;
  groups: string[];
  uid?: string;
}

/** What admission hooks are told about the request they judge. */
export interface AdmissionRequest {
  operation: 'CREATE' | 'UPDATE' | 'DELETE';
  /** API group ('' for core), version, kind and plural resource of the object. */
  group: string;
  version: string;
  kind: string;
  resource: string;
  /** Set for writes to a subresource such as `status`. */
  subresource?: string;
  namespace?: string;
  name?: string;
  /** The stored object before this request (UPDATE and DELETE). */
  oldObject?: KubeObject;
  user: UserInfo;
  dryRun: boolean;
}

/** A write that reached the store, told to `objectChanged` taps after it is durable. */
export interface ObjectChangedEvent {
  type: 'ADDED' | 'MODIFIED' | 'DELETED';
  object: KubeObject;
  oldObject?: KubeObject;
  resource: string;
  group: string;
}

/**
 * Stages for admission taps (tapable's `stage` option): lower runs first. Mutating admission runs
 * DEFAULTING taps (fill in defaults), then MUTATING (ordinary changes), then LATE (taps that must
 * see every other change, such as computing hashes). Validating admission runs POLICY taps, then
 * QUOTA. Tap with `{ name, stage: AdmissionStage.DEFAULTING }`.
 */
export const AdmissionStage = {
  DEFAULTING: -100,
  MUTATING: 0,
  LATE: 100,
  POLICY: 0,
  QUOTA: 100,
} as const;

/** The key under which admission taps apply to every kind: `hooks.mutatingAdmission.for(ALL_KINDS)`. */
export const ALL_KINDS = '*';

/**
 * The core's hooks. Taps never replace the kernel's behaviour; they take part in it.
 *
 * Lifecycle (in order): `pluginsApplied` once all plugins' `apply` ran; `beforeStart` (series;
 * a throw aborts the start and everything started is stopped); `start` (series, after the store
 * and API are open and components started); `ready` (parallel notification); on stop
 * `beforeShutdown` (series), components stop in reverse order, then `shutdown` (series).
 *
 * Object path, per kind (HookMap key: the kind, e.g. `'Pod'`; `ALL_KINDS` for every kind):
 * - `mutatingAdmission`: a waterfall. Each tap receives the object and the request and MUST return
 *   the (possibly changed) object. It may throw an `ApiError` to refuse the request; nothing is
 *   written. Runs before schema validation, so its output is validated.
 * - `validatingAdmission`: a series. Each tap receives the final object and the request and throws
 *   an `ApiError` to refuse it. It must not change the object.
 * - `objectChanged`: a notification after a write is stored. Taps must not throw or block.
 * - `gracefulDeletion`: a bail hook asked on DELETE how many seconds the object stays terminating
 *   before it is removed (Kubernetes' graceful deletion, e.g. a pod bound to a node). The first tap
 *   returning a number decides; `undefined` or no tap means no grace. A positive grace marks the
 *   object with `deletionTimestamp` (now + grace) and `deletionGracePeriodSeconds`; whoever runs it
 *   (the node agent) deletes it again with grace 0 once it has stopped. Taps must be pure.
 */
export interface CoreHooks {
  pluginsApplied: SyncHook<[Cluster]>;
  beforeStart: AsyncSeriesHook<[Cluster]>;
  start: AsyncSeriesHook<[Cluster]>;
  ready: AsyncParallelHook<[Cluster]>;
  beforeShutdown: AsyncSeriesHook<[Cluster]>;
  shutdown: AsyncSeriesHook<[Cluster]>;
  mutatingAdmission: HookMap<AsyncSeriesWaterfallHook<[KubeObject, AdmissionRequest]>>;
  validatingAdmission: HookMap<AsyncSeriesHook<[KubeObject, AdmissionRequest]>>;
  objectChanged: SyncHook<[ObjectChangedEvent]>;
  gracefulDeletion: HookMap<SyncBailHook<[KubeObject, { gracePeriodSeconds?: number }], number | undefined>>;
}

/** Creates a fresh, frozen set of core hooks. */
export function createCoreHooks(): Readonly<CoreHooks> {
  return Object.freeze({
    pluginsApplied: new SyncHook<[Cluster]>(['cluster']),
    beforeStart: new AsyncSeriesHook<[Cluster]>(['cluster']),
    start: new AsyncSeriesHook<[Cluster]>(['cluster']),
    ready: new AsyncParallelHook<[Cluster]>(['cluster']),
    beforeShutdown: new AsyncSeriesHook<[Cluster]>(['cluster']),
    shutdown: new AsyncSeriesHook<[Cluster]>(['cluster']),
    mutatingAdmission: new HookMap(() => new AsyncSeriesWaterfallHook<[KubeObject, AdmissionRequest]>(['object', 'request'])),
    validatingAdmission: new HookMap(() => new AsyncSeriesHook<[KubeObject, AdmissionRequest]>(['object', 'request'])),
    objectChanged: new SyncHook<[ObjectChangedEvent]>(['event']),
    gracefulDeletion: new HookMap(() => new SyncBailHook<[KubeObject, { gracePeriodSeconds?: number }], number | undefined>(['object', 'options'])),
  });
}

/** What an interceptor sees: the hook's name (with the HookMap key, e.g. `mutatingAdmission[Pod]`). */
export interface HookTrace {
  /** Called when a hook is called, with its arguments. */
  call?(hook: string, args: unknown[]): void;
  /** Called before each tap runs. */
  tap?(hook: string, tapName: string): void;
}

type AnyHook = { intercept(i: object): void };
type AnyHookMap = { intercept(i: { factory?: (key: unknown, hook: AnyHook) => AnyHook }): void };

/**
 * Adds an interceptor to every hook of a hooks object (HookMaps included, for hooks created later
 * too), so tracing and metrics need no cooperation from plugins.
 */
export function interceptHooks(hooks: object, trace: HookTrace): void {
  const attach = (name: string, hook: AnyHook) =>
    hook.intercept({
      call: (...args: unknown[]) => trace.call?.(name, args),
      tap: (tap: { name: string }) => trace.tap?.(name, tap.name),
    });
  for (const [name, value] of Object.entries(hooks)) {
    if (value instanceof HookMap) {
      const map = value as unknown as AnyHookMap & { _map: Map<unknown, AnyHook> };
      for (const [key, hook] of map._map) attach(`${name}[${String(key)}]`, hook);
      map.intercept({
        factory: (key, hook) => {
          attach(`${name}[${String(key)}]`, hook);
          return hook;
        },
      });
    } else if (value && typeof (value as AnyHook).intercept === 'function') {
      attach(name, value as AnyHook);
    }
  }
}
