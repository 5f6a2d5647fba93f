import { AdmissionStage, apiErrors, type AdmissionRequest, type Cluster, type KubeObject } from '@skiff/core';
import type { AuthorizationAttributes, AuthorizationDecision } from './rbac-rules.js';
import { RBAC_GROUP, type PolicyRule, type RbacBinding, type RbacRole } from './rbac-types.js';

type Authorize = (attrs: AuthorizationAttributes) => AuthorizationDecision;

const list = (values: readonly string[] | undefined): string[] => (values && values.length > 0 ? [...values] : []);

/**
 * The rules of `rules` that `authorize` does not cover for `user` in `namespace` (undefined =
 * cluster-wide). Each rule is broken into single requests (verb × apiGroup × resource × name, or
 * verb × URL); a wildcard is checked literally, so `*` is covered only by a `*` the user holds —
 * an approximation of Kubernetes' `ConfirmNoEscalation`.
 */
export function uncoveredRules(authorize: Authorize, user: AuthorizationAttributes['user'], rules: readonly PolicyRule[], namespace?: string): PolicyRule[] {
  const missing: PolicyRule[] = [];
  for (const rule of rules) {
    const asks: AuthorizationAttributes[] = [];
    for (const verb of list(rule.verbs)) {
      for (const url of list(rule.nonResourceURLs)) asks.push({ user, verb, apiGroup: '', resource: '', nonResourcePath: url });
      for (const apiGroup of list(rule.apiGroups)) {
        for (const combined of list(rule.resources)) {
          const slash = combined.indexOf('/');
          const resource = slash < 0 ? combined : combined.slice(0, slash);
          const subresource = slash < 0 ? undefined : combined.slice(slash + 1);
          const names = rule.resourceNames && rule.resourceNames.length > 0 ? rule.resourceNames : [undefined];
          for (const name of names) {
            asks.push({ user, verb, apiGroup, resource, ...(subresource ? { subresource } : {}), ...(namespace ? { namespace } : {}), ...(name ? { name } : {}) });
          }
        }
      }
    }
    if (asks.some((a) => !authorize(a).allowed)) missing.push(rule);
  }
  return missing;
}

function forbid(req: AdmissionRequest, obj: KubeObject, why: string): never {
  throw apiErrors.forbidden({ group: RBAC_GROUP, kind: req.kind, resource: req.resource, ...(obj.metadata.name ? { name: obj.metadata.name } : {}) }, why);
}

const describeUser = (req: AdmissionRequest) => `user "${req.user.username}" (groups=${JSON.stringify(req.user.groups)})`;
const describeRules = (rules: PolicyRule[]) => rules.map((r) => JSON.stringify(r)).join('\n');

/**
 * Kubernetes' RBAC escalation prevention, as validating admission on the four RBAC kinds:
 * - creating or updating a Role/ClusterRole is allowed when the user holds the `escalate` verb on
 *   it, or already holds every permission it grants (in its namespace for a Role, cluster-wide for
 *   a ClusterRole);
 * - creating or updating a RoleBinding/ClusterRoleBinding is allowed when the user holds `bind`
 *   on the referenced role, or already holds every permission of that role (in the binding's
 *   namespace for a RoleBinding); a binding to a missing role then is forbidden.
 * Refusals are 403 Forbidden. `authorize` is normally `createRbacAuthorizer(cluster).authorize`,
 * so in-process components acting as `system:masters` pass. Call once, before or after start.
 */
export function installRbacEscalationCheck(cluster: Cluster, authorize: Authorize): void {
  const tap = { name: 'apiserver:RbacEscalation', stage: AdmissionStage.POLICY };
  for (const kind of ['Role', 'ClusterRole']) {
    cluster.hooks.validatingAdmission.for(kind).tapPromise(tap, async (obj, req) => {
      if (req.group !== RBAC_GROUP || req.operation === 'DELETE') return;
      const ns = kind === 'Role' ? req.namespace : undefined;
      const escalate = authorize({ user: req.user, verb: 'escalate', apiGroup: RBAC_GROUP, resource: req.resource, ...(ns ? { namespace: ns } : {}), ...(obj.metadata.name ? { name: obj.metadata.name } : {}) });
      if (escalate.allowed) return;
      const missing = uncoveredRules(authorize, req.user, (obj as RbacRole).rules ?? [], ns);
      if (missing.length > 0) forbid(req, obj, `${describeUser(req)} is attempting to grant RBAC permissions not currently held:\n${describeRules(missing)}`);
    });
  }
  for (const kind of ['RoleBinding', 'ClusterRoleBinding']) {
    cluster.hooks.validatingAdmission.for(kind).tapPromise(tap, async (obj, req) => {
      if (req.group !== RBAC_GROUP || req.operation === 'DELETE') return;
      const ref = (obj as RbacBinding).roleRef;
      const ns = kind === 'RoleBinding' ? req.namespace : undefined;
      const roleResource = ref.kind === 'Role' ? 'roles' : 'clusterroles';
      const bind = authorize({ user: req.user, verb: 'bind', apiGroup: RBAC_GROUP, resource: roleResource, name: ref.name, ...(ns ? { namespace: ns } : {}) });
      if (bind.allowed) return;
      const res = cluster.resources.require(`${RBAC_GROUP}/v1`, ref.kind);
      const role = (await cluster.api.get(res, ref.kind === 'Role' ? ns : undefined, ref.name).catch(() => undefined)) as RbacRole | undefined;
      if (!role) forbid(req, obj, `${describeUser(req)} cannot bind ${ref.kind} "${ref.name}": it does not exist and the user may not bind it`);
      const missing = uncoveredRules(authorize, req.user, role.rules ?? [], ns);
      if (missing.length > 0) forbid(req, obj, `${describeUser(req)} is attempting to grant RBAC permissions not currently held:\n${describeRules(missing)}`);
    });
  }
}
