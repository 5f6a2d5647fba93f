/** The container runtime contract (CRI-shaped) and the helpers runtime plugins share. */
export type {
  ContainerConfig,
  ContainerEvent,
  ContainerEventListener,
  ContainerEventType,
  ContainerFilter,
  ContainerMount,
  ContainerPort,
  ContainerResources,
  ContainerRuntime,
  ContainerState,
  ContainerStats,
  ContainerStatus,
  EnvVar,
  ImageErrorReason,
  ImagePullPolicy,
  ExecOptions,
  ExecResult,
  LogLine,
  LogOptions,
  PodSandboxConfig,
  PodSandboxFilter,
  PodSandboxState,
  PodSandboxStatus,
  RuntimeVersion,
} from './types.js';
export { RUNTIME_LABELS, restartCountOf, labelsMatch } from './labels.js';
export { runtimeError, runtimeErrorCode, isRuntimeError, type RuntimeErrorCode } from './errors.js';
export { MOCK_ANNOTATIONS } from './mock-annotations.js';
export { withDeadline } from './deadline.js';
export { selectPastLines, shapeLogLines } from './logs.js';
export { defineRuntime, RUNTIME_REGISTRY, type RuntimeContext, type RuntimeDefinition, type RuntimeFactory } from './define-runtime.js';
