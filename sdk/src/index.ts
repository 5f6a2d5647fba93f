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
