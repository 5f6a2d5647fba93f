export { runStoreConformance, configMap, cmKey, takeEvents, type StoreConformanceOptions } from './store-conformance.js';
export { checkWatchModel } from './store-model.js';
