export { runStoreConformance, configMap, cmKey, takeEvents, type StoreConformanceOptions } from './store-conformance.js';
export { checkWatchModel } from './store-model.js';
export { runScript, type ScriptChild } from './child-process.js';
export { parseAcks, fold, compareHistory, type HistoryEntry } from './crash-history.js';
