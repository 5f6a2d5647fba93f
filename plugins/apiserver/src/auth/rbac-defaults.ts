import { isApiError, type Cluster } from '@skiff/core';
import { RBAC_API_VERSION, RBAC_GROUP, type PolicyRule, type RbacBinding, type RbacRole } from './rbac-types.js';

const BOOTSTRAP_META = {
  labels: { 'kubernetes.io/bootstrapping': 'rbac-defaults' },
  annotations: { 'rbac.authorization.kubernetes.io/autoupdate': 'true' },
};

const READ = ['get', 'list', 'watch'];
const WRITE = ['create', 'update', 'patch', 'delete'];

/** Rules for node agents, approximately Kubernetes' `system:node` (plus the node-authorizer grants). */
const NODE_RULES: PolicyRule[] = [
  { apiGroups: [''], resources: ['nodes'], verbs: [...READ, ...WRITE] },
  { apiGroups: [''], resources: ['nodes/status'], verbs: ['get', 'update', 'patch'] },
  { apiGroups: [''], resources: ['pods'], verbs: [...READ, 'create', 'delete'] },
  { apiGroups: [''], resources: ['pods/status'], verbs: ['get', 'update', 'patch'] },
  { apiGroups: [''], resources: ['pods/eviction'], verbs: ['create'] },
  { apiGroups: ['', 'events.k8s.io'], resources: ['events'], verbs: [...READ, 'create', 'update', 'patch'] },
  { apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: [...READ, ...WRITE] },
  { apiGroups: [''], resources: ['services', 'endpoints', 'configmaps', 'secrets', 'namespaces'], verbs: READ },
];

const DISCOVERY_URLS = ['/api', '/api/*', '/apis', '/apis/*', '/healthz', '/livez', '/readyz', '/openapi', '/openapi/*', '/version', '/version/'];

/** The node agents' ClusterRole (and its binding to group `system:nodes`), named as Kubernetes names it. */
export const NODE_CLUSTER_ROLE = 'system:node';
/** Discovery access for every authenticated user; Kubernetes' `system:discovery` (see {@link NODE_CLUSTER_ROLE}). */
export const DISCOVERY_CLUSTER_ROLE = 'system:discovery';

const clusterRole = (name: string, rules: PolicyRule[]): RbacRole => ({
  apiVersion: RBAC_API_VERSION,
  kind: 'ClusterRole',
  metadata: { name, ...structuredClone(BOOTSTRAP_META) },
  rules,
});

const groupBinding = (name: string, role: string, group: string): RbacBinding => ({
  apiVersion: RBAC_API_VERSION,
  kind: 'ClusterRoleBinding',
  metadata: { name, ...structuredClone(BOOTSTRAP_META) },
  roleRef: { apiGroup: RBAC_GROUP, kind: 'ClusterRole', name: role },
  subjects: [{ kind: 'Group', apiGroup: RBAC_GROUP, name: group }],
});

/**
 * The ClusterRoles Skiff bootstraps: `cluster-admin` (every verb on every resource and URL),
 * {@link NODE_CLUSTER_ROLE} (what node agents need, after Kubernetes' `system:node`) and
 * {@link DISCOVERY_CLUSTER_ROLE} (Kubernetes' `system:discovery`:
 * GET on discovery, version and health paths).
 */
export function defaultClusterRoles(): RbacRole[] {
  return [
    clusterRole('cluster-admin', [
      { apiGroups: ['*'], resources: ['*'], verbs: ['*'] },
      { nonResourceURLs: ['*'], verbs: ['*'] },
    ]),
    clusterRole(NODE_CLUSTER_ROLE, NODE_RULES.map((r) => structuredClone(r))),
    clusterRole(DISCOVERY_CLUSTER_ROLE, [{ nonResourceURLs: [...DISCOVERY_URLS], verbs: ['get'] }]),
  ];
}

/**
 * The bootstrap ClusterRoleBindings (named after their roles): `cluster-admin` to group
 * `system:masters`, the node role to group `system:nodes`, the discovery role to group
 * `system:authenticated`.
 */
export function defaultClusterRoleBindings(): RbacBinding[] {
  return [
    groupBinding('cluster-admin', 'cluster-admin', 'system:masters'),
    groupBinding(NODE_CLUSTER_ROLE, NODE_CLUSTER_ROLE, 'system:nodes'),
    groupBinding(DISCOVERY_CLUSTER_ROLE, DISCOVERY_CLUSTER_ROLE, 'system:authenticated'),
  ];
}

/**
 * Creates the default ClusterRoles and ClusterRoleBindings through `cluster.api` (so admission
 * and validation apply). Idempotent: objects that already exist are left as they are (an
 * administrator's edits win). Requires a running cluster with the RBAC kinds registered.
 * Returns the names it created.
 */
export async function ensureDefaultRbac(cluster: Cluster): Promise<string[]> {
  const created: string[] = [];
  const objects = [...defaultClusterRoles(), ...defaultClusterRoleBindings()];
  for (const obj of objects) {
    const res = cluster.resources.require(obj.apiVersion, obj.kind);
    try {
      await cluster.api.create(res, undefined, obj);
      created.push(`${obj.kind}/${obj.metadata.name}`);
    } catch (err) {
      if (!isApiError(err, 409)) throw err;
    }
  }
  return created;
}
