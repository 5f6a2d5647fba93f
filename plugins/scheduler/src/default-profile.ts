import type { ExtensionPoint } from '@skiff/sdk';

/** The name of the default profile (`spec.schedulerName` defaults to it). */
export const DEFAULT_SCHEDULER_NAME = 'default-scheduler';

/** A plugin enabled at an extension point; `weight` matters for Score only. */
export interface PluginRef {
  name: string;
  weight?: number;
}

/**
 * The default plugins at each extension point, in order — the one place the default profile is
 * defined. Score weights follow Kubernetes' defaults (TaintToleration 3, NodeAffinity 2,
 * PodTopologySpread 2, resources 1).
 */
export const DEFAULT_PLUGINS: Readonly<Record<ExtensionPoint, readonly PluginRef[]>> = Object.freeze({
  queueSort: [{ name: 'PrioritySort' }],
  preFilter: [{ name: 'NodeName' }, { name: 'NodeResourcesFit' }, { name: 'NodeAffinity' }, { name: 'PodTopologySpread' }],
  filter: [
    { name: 'NodeUnschedulable' },
    { name: 'NodeName' },
    { name: 'TaintToleration' },
    { name: 'NodeAffinity' },
    { name: 'NodeResourcesFit' },
    { name: 'PodTopologySpread' },
  ],
  postFilter: [],
  preScore: [{ name: 'TaintToleration' }, { name: 'NodeAffinity' }, { name: 'PodTopologySpread' }],
  score: [
    { name: 'NodeResourcesBalancedAllocation', weight: 1 },
    { name: 'NodeResourcesLeastAllocated', weight: 1 },
    { name: 'NodeAffinity', weight: 2 },
    { name: 'PodTopologySpread', weight: 2 },
    { name: 'TaintToleration', weight: 3 },
  ],
  reserve: [],
  permit: [],
  preBind: [],
  bind: [{ name: 'DefaultBinder' }],
  postBind: [],
});
