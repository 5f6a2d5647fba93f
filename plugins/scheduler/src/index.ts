/**
 * @skiff/plugin-scheduler: Kubernetes' scheduling framework. `scheduler(options)` runs a scheduler
 * that binds pending pods to nodes through the API, with profiles of plugins at Kubernetes'
 * extension points (the contract is in `@skiff/sdk`: `defineSchedulerPlugin`), a scheduling queue
 * with backoff, assumed pods (no overcommit), adaptive node sampling and Lease leader election.
 */
export { scheduler, schedulerOf } from './plugin.js';
export { Scheduler, numFeasibleNodesToFind, ERR_NO_NODES_AVAILABLE, type SchedulerDeps } from './scheduler.js';
export { SCHEDULER_OPTIONS_SCHEMA, type SchedulerOptions, type SchedulerConfig, type ProfileConfig, type PluginSet, type LeaderElectionConfig } from './options.js';
export { DEFAULT_PLUGINS, DEFAULT_SCHEDULER_NAME, type PluginRef } from './default-profile.js';
export { SchedulingQueue, QueuedPod, type SchedulingQueueOptions, type QueueName } from './queue.js';
export { SchedulerCache, podKey } from './cache.js';
export { FitError } from './fit-error.js';
export { quantityMilli, quantityValue } from '@skiff/core';
export { podRequests, nodeAllocatable, emptyResources } from './resources.js';
export { IN_TREE_PLUGINS } from './plugins/registry.js';
export { nodeResourcesFit } from './plugins/node-resources-fit.js';
export { nodeName, ERR_REASON_NODE_NAME } from './plugins/node-name.js';
export { nodeUnschedulable, ERR_REASON_UNSCHEDULABLE } from './plugins/node-unschedulable.js';
export { nodeAffinity, ERR_REASON_AFFINITY, termMatches, requirementMatches } from './plugins/node-affinity.js';
export { taintToleration } from './plugins/taint-toleration.js';
export { nodeResourcesLeastAllocated } from './plugins/least-allocated.js';
export { nodeResourcesBalancedAllocation } from './plugins/balanced-allocation.js';
export { podTopologySpread, ERR_REASON_CONSTRAINTS_NOT_MATCH } from './plugins/pod-topology-spread.js';
export { prioritySort } from './plugins/priority-sort.js';
export { defaultBinder } from './plugins/default-binder.js';
