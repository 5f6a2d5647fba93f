import type { KubeObject, ObjectBase } from '../objects/types.js';
import type { EventHandler } from './informer.js';
import { requestForObject, type Request } from './types.js';

/** Anything requests can be enqueued into, such as a `Controller`. */
export interface RequestQueue {
  enqueue(req: Request): void;
}

/**
 * An informer event handler that enqueues the request of the object every add, update and
 * delete is about (controller-runtime `EnqueueRequestForObject`). Objects without a name are
 * skipped.
 */
export function enqueueRequestForObject<T extends ObjectBase = KubeObject>(target: RequestQueue): EventHandler<T> {
  return enqueueRequestsFromMapFunc<T>(target, (obj) => [requestForObject(obj)]);
}

/**
 * An informer event handler that enqueues the requests `map` returns for the object of every
 * add, update (both the old and the new object) and delete (controller-runtime
 * `EnqueueRequestsFromMapFunc`), e.g. to reconcile an owner when a child changes. `map` must not
 * mutate the object; duplicates are harmless (the queue deduplicates).
 */
export function enqueueRequestsFromMapFunc<T extends ObjectBase = KubeObject>(
  target: RequestQueue,
  map: (obj: T) => Request[],
): EventHandler<T> {
  const enqueueAll = (obj: T) => {
    for (const req of map(obj)) target.enqueue(req);
  };
  return {
    add: enqueueAll,
    update: (oldObj, newObj) => {
      enqueueAll(oldObj);
      enqueueAll(newObj);
    },
    delete: enqueueAll,
  };
}
