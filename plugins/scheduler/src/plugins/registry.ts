import type { SchedulerPluginDefinition } from '@skiff/sdk';
import { nodeResourcesBalancedAllocation } from './balanced-allocation.js';
import { defaultBinder } from './default-binder.js';
import { nodeResourcesLeastAllocated } from './least-allocated.js';
import { nodeAffinity } from './node-affinity.js';
import { nodeName } from './node-name.js';
import { nodeResourcesFit } from './node-resources-fit.js';
import { nodeUnschedulable } from './node-unschedulable.js';
import { podTopologySpread } from './pod-topology-spread.js';
import { prioritySort } from './priority-sort.js';
import { taintToleration } from './taint-toleration.js';

/** The in-tree scheduler plugins, by name. */
export const IN_TREE_PLUGINS: readonly SchedulerPluginDefinition<any>[] = Object.freeze([
  prioritySort,
  nodeName,
  nodeUnschedulable,
  nodeAffinity,
  taintToleration,
  nodeResourcesFit,
  nodeResourcesLeastAllocated,
  nodeResourcesBalancedAllocation,
  podTopologySpread,
  defaultBinder,
]);
