import type { KubeObject } from '@skiff/core';

/** The RBAC API group. */
export const RBAC_GROUP = 'rbac.authorization.k8s.io';
/** The RBAC apiVersion. */
export const RBAC_API_VERSION = `${RBAC_GROUP}/v1`;

/** One RBAC rule (Kubernetes `PolicyRule`). */
export interface PolicyRule {
  verbs: string[];
  apiGroups?: string[];
  resources?: string[];
  resourceNames?: string[];
  nonResourceURLs?: string[];
}

/** Who a binding grants to (Kubernetes `Subject`). */
export interface Subject {
  kind: 'User' | 'Group' | 'ServiceAccount' | string;
  name: string;
  namespace?: string;
  apiGroup?: string;
}

/** The role a binding grants (Kubernetes `RoleRef`). */
export interface RoleRef {
  apiGroup: string;
  kind: 'Role' | 'ClusterRole' | string;
  name: string;
}

/** Role (namespaced) or ClusterRole. */
export interface RbacRole extends KubeObject {
  rules?: PolicyRule[] | null;
}

/** RoleBinding (namespaced) or ClusterRoleBinding. */
export interface RbacBinding extends KubeObject {
  roleRef: RoleRef;
  subjects?: Subject[] | null;
}
