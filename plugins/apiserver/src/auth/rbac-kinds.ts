import { AdmissionStage, apiErrors, type Cluster, type ResourceInfo, type SchemaDocument } from '@skiff/core';
import { RBAC_GROUP } from './rbac-types.js';

const stringList = (description: string) => ({ description, type: 'array', items: { type: 'string' }, 'x-kubernetes-list-type': 'atomic' });

const policyRule = {
  description: 'PolicyRule holds information that describes a policy rule, but does not contain information about who the rule applies to or which namespace the rule applies to.',
  type: 'object',
  required: ['verbs'],
  properties: {
    verbs: stringList('Verbs is a list of verbs that apply to ALL the ResourceKinds contained in this rule. \'*\' represents all verbs.'),
    apiGroups: stringList('APIGroups is the name of the APIGroup that contains the resources. "" represents the core API group and "*" represents all API groups.'),
    resources: stringList('Resources is a list of resources this rule applies to. \'*\' represents all resources; "pods/log" names a subresource.'),
    resourceNames: stringList('ResourceNames is an optional white list of names that the rule applies to. An empty set means that everything is allowed.'),
    nonResourceURLs: stringList('NonResourceURLs is a set of partial urls that a user should have access to. *s are allowed, but only as the full, final step in the path.'),
  },
};

const rules = { description: 'Rules holds all the PolicyRules for this role.', type: 'array', items: policyRule, 'x-kubernetes-list-type': 'atomic' };

const subjects = {
  description: 'Subjects holds references to the objects the role applies to.',
  type: 'array',
  'x-kubernetes-list-type': 'atomic',
  items: {
    description: 'Subject contains a reference to the object or user identities a role binding applies to.',
    type: 'object',
    required: ['kind', 'name'],
    properties: {
      kind: { description: 'Kind of object being referenced.', type: 'string', enum: ['User', 'Group', 'ServiceAccount'] },
      name: { description: 'Name of the object being referenced.', type: 'string', minLength: 1 },
      namespace: { description: 'Namespace of the referenced object (ServiceAccount subjects).', type: 'string' },
      apiGroup: { description: 'APIGroup holds the API group of the referenced subject: "" for ServiceAccount, "rbac.authorization.k8s.io" for User and Group.', type: 'string' },
    },
  },
};

const roleRef = (kinds: string[]) => ({
  description: 'RoleRef can only reference a ClusterRole in the global namespace (or a Role in the binding\'s namespace). It cannot be changed once set.',
  type: 'object',
  required: ['apiGroup', 'kind', 'name'],
  properties: {
    apiGroup: { description: 'APIGroup is the group for the resource being referenced.', type: 'string', const: RBAC_GROUP },
    kind: { description: 'Kind is the type of resource being referenced.', type: 'string', enum: kinds },
    name: { description: 'Name is the name of resource being referenced.', type: 'string', minLength: 1 },
  },
  'x-kubernetes-map-type': 'atomic',
});

/** Faithful-subset JSON Schemas for the four RBAC kinds. */
export const rbacSchemas: Readonly<Record<'Role' | 'ClusterRole' | 'RoleBinding' | 'ClusterRoleBinding', SchemaDocument>> = Object.freeze({
  Role: { title: 'Role', description: 'Role is a namespaced, logical grouping of PolicyRules that can be referenced as a unit by a RoleBinding.', type: 'object', properties: { rules } },
  ClusterRole: {
    title: 'ClusterRole',
    description: 'ClusterRole is a cluster level, logical grouping of PolicyRules that can be referenced as a unit by a RoleBinding or ClusterRoleBinding.',
    type: 'object',
    properties: {
      rules,
      aggregationRule: {
        description: 'AggregationRule describes how to build the Rules for this ClusterRole (accepted, not yet acted on by Skiff).',
        type: 'object',
        properties: { clusterRoleSelectors: { type: 'array', items: { $ref: 'https://skiff.dev/schemas/label-selector.json' }, 'x-kubernetes-list-type': 'atomic' } },
      },
    },
  },
  RoleBinding: {
    title: 'RoleBinding',
    description: 'RoleBinding references a Role or ClusterRole and grants its rules to subjects within the binding\'s namespace.',
    type: 'object',
    required: ['roleRef'],
    properties: { subjects, roleRef: roleRef(['Role', 'ClusterRole']) },
  },
  ClusterRoleBinding: {
    title: 'ClusterRoleBinding',
    description: 'ClusterRoleBinding references a ClusterRole and grants its rules to subjects cluster-wide.',
    type: 'object',
    required: ['roleRef'],
    properties: { subjects, roleRef: roleRef(['ClusterRole']) },
  },
});

const resource = (kind: string, plural: string, namespaced: boolean): ResourceInfo => ({
  group: RBAC_GROUP,
  version: 'v1',
  kind,
  plural,
  singular: kind.toLowerCase(),
  namespaced,
  shortNames: [],
  categories: [],
  statusSubresource: false,
  scaleSubresource: false,
  // Kubernetes names RBAC objects like `system:node`: any path segment is allowed.
  nameValidation: 'path-segment',
});

/** The RBAC resources with Kubernetes' plural names and scopes. */
export const rbacResources: readonly ResourceInfo[] = Object.freeze([
  resource('Role', 'roles', true),
  resource('ClusterRole', 'clusterroles', false),
  resource('RoleBinding', 'rolebindings', true),
  resource('ClusterRoleBinding', 'clusterrolebindings', false),
]);

/**
 * Serves `rbac.authorization.k8s.io/v1` Role, ClusterRole, RoleBinding and ClusterRoleBinding:
 * adds the resources and their schemas, and (as Kubernetes) rejects updates that change a
 * binding's `roleRef`. Call once, before `cluster.start()` (from a plugin's `apply`); a second
 * call fails with `SKIFF_ERR_REGISTRY_DUPLICATE`.
 */
export function registerRbacKinds(cluster: Cluster): void {
  for (const res of rbacResources) {
    cluster.resources.add(res);
    cluster.schemas.register({ group: res.group, version: res.version, kind: res.kind }, rbacSchemas[res.kind as keyof typeof rbacSchemas]);
  }
  for (const kind of ['RoleBinding', 'ClusterRoleBinding']) {
    cluster.hooks.validatingAdmission.for(kind).tapPromise({ name: 'apiserver:RbacRoleRefImmutable', stage: AdmissionStage.POLICY }, async (obj, req) => {
      if (req.group !== RBAC_GROUP || req.operation !== 'UPDATE' || !req.oldObject) return;
      const before = JSON.stringify((req.oldObject as { roleRef?: unknown }).roleRef ?? null);
      const after = JSON.stringify((obj as { roleRef?: unknown }).roleRef ?? null);
      if (before !== after) {
        throw apiErrors.invalid({ group: RBAC_GROUP, kind, ...(obj.metadata.name ? { name: obj.metadata.name } : {}) }, [
          { field: 'roleRef', reason: 'FieldValueInvalid', message: 'cannot change roleRef' },
        ]);
      }
    });
  }
}
