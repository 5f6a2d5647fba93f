export {
  definePlugin,
  createCluster,
  serviceKey,
  TerminalError,
  ApiError,
  isApiError,
  AdmissionStage,
  ALL_KINDS,
  type Cluster,
  type Plugin,
  type PluginDefinition,
  type PluginFactory,
  type PluginInput,
  type Request,
  type ReconcileResult,
} from '@skiff/core';
export { Client, ResourceClient, type ObjectFor, type ClientWatch, type ClientWatchEvent, type ListOptions, type WatchOptions, type PatchOptions, type DeleteOptions, type ScopeOptions, type TypedList } from './client/client.js';
export { inProcessTransport } from './client/in-process.js';
export { httpTransport, type HttpTransportOptions } from './client/http.js';
export type { Transport } from './client/transport.js';
export { defineController, type ControllerDefinition, type ControllerContext, type KindRef } from './controller/define-controller.js';
export { SDK_VERSION } from './version.js';
export {
  defineRuntime,
  RUNTIME_REGISTRY,
  RUNTIME_LABELS,
  MOCK_ANNOTATIONS,
  restartCountOf,
  labelsMatch,
  runtimeError,
  runtimeErrorCode,
  isRuntimeError,
  withDeadline,
  selectPastLines,
  shapeLogLines,
  type RuntimeContext,
  type RuntimeDefinition,
  type RuntimeFactory,
  type RuntimeErrorCode,
  type ContainerRuntime,
  type ContainerConfig,
  type ContainerEvent,
  type ContainerEventListener,
  type ContainerEventType,
  type ContainerFilter,
  type ContainerMount,
  type ContainerPort,
  type ContainerResources,
  type ContainerState,
  type ContainerStats,
  type ContainerStatus,
  type EnvVar,
  type ImageErrorReason,
  type ImagePullPolicy,
  type ExecOptions,
  type ExecResult,
  type LogLine,
  type LogOptions,
  type PodSandboxConfig,
  type PodSandboxFilter,
  type PodSandboxState,
  type PodSandboxStatus,
  type RuntimeVersion,
} from './runtime/index.js';
export * from './scheduler/index.js';
export { LeaderElector, LEADER_ELECTION_SCHEMA, leaderElectorSettings, leaderIdentity, type LeaderElectionConfig, type LeaderElectorOptions } from './leader/index.js';
export { EventRecorder, type EventRecorderOptions, type EventType } from './events/index.js';
export { startController, defaultComponent, SharedInformers, kindKey, type ControllerFactory, type ControllerBaseContext, type ControllerSetupContext, type RunningController, type StartControllerOptions } from './controller/index.js';
export { controllerDefinitionOf } from './controller/index.js';
