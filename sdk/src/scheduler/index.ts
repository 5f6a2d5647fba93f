export { StatusCode, Statuses, isSuccess, isUnschedulable, asStatus, type Status, type StatusLike } from './status.js';
export { CycleState, stateKey, type StateKey } from './cycle-state.js';
export type { NodeInfo, PodInfo, Resources, Snapshot } from './node-info.js';
export {
  MAX_NODE_SCORE,
  EXTENSION_POINTS,
  EXTENSION_POINT_METHOD,
  type ExtensionPoint,
  type QueuedPodInfo,
  type NodeScore,
  type QueueSortPlugin,
  type PreFilterPlugin,
  type FilterPlugin,
  type PostFilterPlugin,
  type PreScorePlugin,
  type ScorePlugin,
  type ReservePlugin,
  type PermitPlugin,
  type PermitResult,
  type PreBindPlugin,
  type BindPlugin,
  type PostBindPlugin,
  type SchedulerPlugin,
} from './extension-points.js';
export type { EventRecorder, EventRecorder as SchedulerEventRecorder, SchedulerHandle, WaitingPod } from './handle.js';
export { defineSchedulerPlugin, resolveSchedulerPluginArgs, type SchedulerPluginDefinition } from './define.js';
