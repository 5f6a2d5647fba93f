/** The garbage collector: ownerReferences across every resource, with background, foreground and orphan deletion. */
export { garbageCollector, GarbageCollector, ORPHAN_FINALIZER, FOREGROUND_FINALIZER, type GarbageCollectorOptions } from './garbage-collector.js';
export { OwnershipGraph, type GraphNode, type ResourceKey } from './graph.js';

/** The plugin name of the garbage collector. */
export const GARBAGE_COLLECTOR_CONTROLLER = 'GarbageCollector';
