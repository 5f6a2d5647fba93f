export { Cluster, createCluster, type ClusterOptions, type ClusterState, type CoreRegistries, type StoreFactory } from './cluster.js';
export {
  AdmissionStage,
  ALL_KINDS,
  createCoreHooks,
  interceptHooks,
  type AdmissionRequest,
  type CoreHooks,
  type HookTrace,
  type ObjectChangedEvent,
  type UserInfo,
} from './hooks.js';
export { definePlugin, flattenPlugins, checkPlugins, type Plugin, type PluginDefinition, type PluginFactory, type PluginInput } from './plugin.js';
export { Registry } from './registry.js';
export { serviceKey, type Component, type ServiceKey } from './services.js';
export { CORE_VERSION } from './version.js';
export { POD_LOGS_REGISTRY, podLogOptionsFromQuery, podLogQuery, type PodLogOptions, type PodLogSource } from './pod-logs.js';
export { storeCompaction, type StoreCompactionOptions } from './store-compaction.js';
