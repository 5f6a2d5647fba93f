// The reconcile contract: requests and results, rate limiters, the work queue, the controller
// runner, informers and their indexed cache.
export {
  TerminalError,
  isTerminalError,
  parseRequestKey,
  requestForObject,
  requestKey,
  type ReconcileContext,
  type ReconcileLogger,
  type ReconcileResult,
  type Reconciler,
  type Request,
} from './types.js';
export {
  defaultControllerRateLimiter,
  exponentialBackoff,
  maxOfRateLimiters,
  tokenBucket,
  type DefaultControllerRateLimiterOptions,
  type ExponentialBackoffOptions,
  type RateLimiter,
  type TokenBucketOptions,
} from './rate-limiter.js';
export { WorkQueue, type WorkQueueOptions } from './work-queue.js';
export { Controller, createController, type ControllerOptions } from './controller.js';
export {
  Indexer,
  NAMESPACE_INDEX,
  namespaceIndexFunc,
  objectKey,
  type CacheReader,
  type IndexFunc,
  type Indexers,
} from './indexer.js';
export {
  Informer,
  isNewerResourceVersion,
  type DeleteInfo,
  type EventHandler,
  type EventHandlerRegistration,
  type InformerOptions,
  type InformerWatchEvent,
  type ListerWatcher,
} from './informer.js';
export { enqueueRequestForObject, enqueueRequestsFromMapFunc, type RequestQueue } from './handlers.js';
