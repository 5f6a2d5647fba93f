/**
 * @skiff/plugin-controllers: the controller manager and Kubernetes' core controllers, built with
 * the SDK (`defineController`): each reads from shared informer caches, writes through the API and
 * reconciles level-triggered.
 */
export {
  replicaSetController,
  replicationControllerController,
  replicaController,
  REPLICA_SET,
  REPLICATION_CONTROLLER,
  REPLICA_WORKERS,
  BURST_REPLICAS,
  STATUS_BATCH_MS,
  MAX_STATUS_BATCH_MS,
  statusBatchMs,
  Expectations,
  EXPECTATIONS_TIMEOUT_MS,
  podsToDelete,
  podFromTemplate,
  type ReplicaControllerState,
  type ReplicaKind,
  type ReplicaOwner,
  type ReplicaOwnerStatus,
} from './replicaset/index.js';
export {
  deploymentController,
  DEPLOYMENT_WORKERS,
  DEPLOYMENT_ANNOTATIONS,
  DEPLOYMENT_CONDITIONS,
  DEPLOYMENT_REASONS,
  POD_TEMPLATE_HASH_LABEL,
  podTemplateHash,
  resolveFenceposts,
  equalIgnoreHash,
} from './deployment/index.js';
export { controllerManager, controllerManagerOf, selectControllers, CONTROLLERS, type ControllerEntry } from './manager.js';
export { ControllerManager, CONTROLLER_MANAGER_LEASE, type ControllerManagerDeps } from './shared/controller-manager.js';
export { CONTROLLER_MANAGER_OPTIONS_SCHEMA, type ControllerManagerConfig, type ControllerManagerOptions, type ManagerLeaderElection } from './options.js';
export { clusterView } from './shared/cluster-view.js';
