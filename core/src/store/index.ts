export type * from './types.js';
export { Channel } from './channel.js';
export { MemoryStore, memoryStore } from './memory-store.js';
export { MAX_VALUE_BYTES, encodeContinue, decodeContinue, parseRevision, encodeValue, type ContinueToken } from './keys.js';
export { toWatchEvent, underPrefix, type RawChange } from './watch-filter.js';
export {
  stripRevision,
  existsError,
  notFoundError,
  conflictError,
  goneError,
  listStart,
  matchesListSelectors,
  deliverChange,
  watchHandle,
  type StoreWatcher,
} from './shared.js';
