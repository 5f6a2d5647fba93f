import { selectorFromLabelSelector, selectorFromSet, type LabelSelectorLike, type ObjectBase, type PodTemplateSpec, type Selector } from '@skiff/core';
import type { KindRef } from '@skiff/sdk';

/** The fields the replica controller reads from a ReplicaSet or ReplicationController. */
export interface ReplicaOwner extends ObjectBase {
  spec?: {
    replicas?: number;
    minReadySeconds?: number;
    selector?: LabelSelectorLike | Record<string, string>;
    template?: PodTemplateSpec;
  };
  status?: ReplicaOwnerStatus;
}

/** `status` of a ReplicaSet or ReplicationController. */
export interface ReplicaOwnerStatus {
  replicas: number;
  fullyLabeledReplicas?: number;
  readyReplicas?: number;
  availableReplicas?: number;
  observedGeneration?: number;
  conditions?: { type: string; status: string; lastTransitionTime?: string; reason?: string; message?: string }[];
}

/** What differs between the ReplicaSet and the ReplicationController controllers. */
export interface ReplicaKind {
  /** The controller's (and plugin's) name. */
  name: string;
  /** The Event source, as Kubernetes names it. */
  component: string;
  ref: KindRef;
  /** The pods the object selects. @throws SkiffError for an invalid selector. */
  selector(owner: ReplicaOwner): Selector;
}

export const REPLICA_SET: ReplicaKind = {
  name: 'ReplicaSet',
  component: 'replicaset-controller',
  ref: { apiVersion: 'apps/v1', kind: 'ReplicaSet' },
  selector: (rs) => selectorFromLabelSelector(rs.spec?.selector as LabelSelectorLike | undefined),
};

export const REPLICATION_CONTROLLER: ReplicaKind = {
  name: 'ReplicationController',
  component: 'replication-controller',
  ref: { apiVersion: 'v1', kind: 'ReplicationController' },
  // An RC's selector is an equality map; a missing or empty one selects nothing here (the API
  // defaults it to the template's labels, so it is never empty in practice).
  selector: (rc) => {
    const set = (rc.spec?.selector ?? {}) as Record<string, string>;
    return Object.keys(set).length === 0 ? selectorFromLabelSelector(undefined) : selectorFromSet(set);
  },
};

export const POD_REF: KindRef = { apiVersion: 'v1', kind: 'Pod' };
