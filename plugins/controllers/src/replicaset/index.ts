import { replicaController } from './controller.js';
import { REPLICA_SET, REPLICATION_CONTROLLER } from './kinds.js';

/** The ReplicaSet controller: keeps `spec.replicas` pods matching each ReplicaSet's selector. */
export const replicaSetController = replicaController(REPLICA_SET);
/** The ReplicationController controller: the same, for ReplicationControllers (equality selectors). */
export const replicationControllerController = replicaController(REPLICATION_CONTROLLER);

export { replicaController, REPLICA_WORKERS, type ReplicaControllerState } from './controller.js';
export { REPLICA_SET, REPLICATION_CONTROLLER, type ReplicaKind, type ReplicaOwner, type ReplicaOwnerStatus } from './kinds.js';
export { Expectations, EXPECTATIONS_TIMEOUT_MS } from '../shared/expectations.js';
export { podsToDelete, podFromTemplate, BURST_REPLICAS } from './manage.js';
export { STATUS_BATCH_MS, MAX_STATUS_BATCH_MS, statusBatchMs } from './pod-handlers.js';
