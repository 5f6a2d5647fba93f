import { Informer, NAMESPACE_INDEX, SkiffError, type Cluster, type ResourceInfo } from '@skiff/core';
import { apiListerWatcher } from './lister-watcher.js';
import { ruleAllows, subjectMatches, type AuthorizationAttributes, type AuthorizationDecision } from './rbac-rules.js';
import { RBAC_API_VERSION, type PolicyRule, type RbacBinding, type RbacRole, type Subject } from './rbac-types.js';

export { registerRbacKinds, rbacResources, rbacSchemas } from './rbac-kinds.js';
export * from './rbac-rules.js';
export * from './rbac-types.js';
export { installRbacEscalationCheck, uncoveredRules } from './rbac-escalation.js';
export { ensureDefaultRbac, defaultClusterRoles, defaultClusterRoleBindings, NODE_CLUSTER_ROLE, DISCOVERY_CLUSTER_ROLE } from './rbac-defaults.js';

/** The group whose members every request is allowed for (Kubernetes' superuser group). */
export const SYSTEM_MASTERS = 'system:masters';

export interface RbacAuthorizer {
  /**
   * Starts informers over the four RBAC kinds and resolves once all have synced. The cluster must
   * be running and the kinds registered ({@link registerRbacKinds}); otherwise it fails with
   * `SKIFF_ERR_API_UNKNOWN_RESOURCE` / `SKIFF_ERR_CLUSTER_STATE`. Rejects with
   * `SKIFF_ERR_CLUSTER_STATE` if `stop()` is called before the sync.
   */
  start(): Promise<void>;
  /** Stops the informers; afterwards only `system:masters` is allowed. Idempotent. */
  stop(): void;
  /** True once started and synced (and not stopped). */
  hasSynced(): boolean;
  /**
   * Kubernetes RBAC over the cached objects; synchronous and side-effect free.
   * - Members of `system:masters` are always allowed.
   * - A ClusterRoleBinding grants its ClusterRole's rules everywhere (resources in every namespace,
   *   cluster-scoped resources and non-resource URLs).
   * - A RoleBinding grants the rules of its Role (in the binding's namespace) or ClusterRole only
   *   for requests in the binding's namespace; it never grants cluster-scoped or non-resource
   *   requests.
   * - A binding whose role does not exist grants nothing. Aggregated ClusterRoles are not expanded.
   * Before the sync (or after `stop`) everyone but `system:masters` is denied.
   */
  authorize(attrs: AuthorizationAttributes): AuthorizationDecision;
}

interface Informers {
  roles: Informer<RbacRole>;
  clusterRoles: Informer<RbacRole>;
  roleBindings: Informer<RbacBinding>;
  clusterRoleBindings: Informer<RbacBinding>;
}

const DENY: AuthorizationDecision = Object.freeze({ allowed: false, reason: '' });

function describe(subject: Subject): string {
  return `${subject.kind} "${subject.name}"`;
}

function rulesAllow(attrs: AuthorizationAttributes, rules: readonly PolicyRule[] | null | undefined): boolean {
  return (rules ?? []).some((rule) => ruleAllows(attrs, rule));
}

/** An RBAC authorizer for `cluster`, kept in sync with the RBAC objects by informers. */
export function createRbacAuthorizer(cluster: Cluster, options: { onError?(err: unknown): void } = {}): RbacAuthorizer {
  let informers: Informers | undefined;
  let synced = false;
  let stopped = false;

  const resource = (kind: string): ResourceInfo => {
    const res = cluster.resources.forKind(RBAC_API_VERSION, kind);
    if (!res) throw new SkiffError('SKIFF_ERR_API_UNKNOWN_RESOURCE', `${RBAC_API_VERSION} ${kind} is not served: call registerRbacKinds(cluster) before the cluster starts`, { kind });
    return res;
  };

  const authorize = (attrs: AuthorizationAttributes): AuthorizationDecision => {
    if (attrs.user.groups.includes(SYSTEM_MASTERS)) return { allowed: true, reason: `allowed: the user is in group "${SYSTEM_MASTERS}"` };
    if (!informers || !synced || stopped) return DENY;
    const { roles, clusterRoles, roleBindings, clusterRoleBindings } = informers;
    for (const binding of clusterRoleBindings.list()) {
      if (binding.roleRef?.kind !== 'ClusterRole') continue;
      const subject = (binding.subjects ?? []).find((s) => subjectMatches(attrs.user, s, ''));
      if (!subject) continue;
      const role = clusterRoles.get(binding.roleRef.name);
      if (role && rulesAllow(attrs, role.rules)) {
        return { allowed: true, reason: `RBAC: allowed by ClusterRoleBinding "${binding.metadata.name}" of ClusterRole "${binding.roleRef.name}" to ${describe(subject)}` };
      }
    }
    const ns = attrs.namespace;
    if (!ns || (attrs.nonResourcePath !== undefined && !attrs.resource)) return DENY;
    for (const binding of roleBindings.byIndex(NAMESPACE_INDEX, ns)) {
      const subject = (binding.subjects ?? []).find((s) => subjectMatches(attrs.user, s, ns));
      if (!subject) continue;
      const ref = binding.roleRef;
      const role = ref?.kind === 'Role' ? roles.get(`${ns}/${ref.name}`) : ref?.kind === 'ClusterRole' ? clusterRoles.get(ref.name) : undefined;
      if (role && rulesAllow(attrs, role.rules)) {
        return { allowed: true, reason: `RBAC: allowed by RoleBinding "${binding.metadata.name}/${ns}" of ${ref.kind} "${ref.name}" to ${describe(subject)}` };
      }
    }
    return DENY;
  };

  return {
    async start() {
      if (informers) throw new SkiffError('SKIFF_ERR_CLUSTER_STATE', 'the RBAC authorizer is already started');
      void cluster.api; // fails with SKIFF_ERR_CLUSTER_STATE unless the cluster runs
      const make = <T extends RbacRole | RbacBinding>(kind: string) =>
        new Informer<T>(apiListerWatcher<T>(cluster, resource(kind)), options.onError ? { onError: options.onError } : {});
      const created: Informers = {
        roles: make<RbacRole>('Role'),
        clusterRoles: make<RbacRole>('ClusterRole'),
        roleBindings: make<RbacBinding>('RoleBinding'),
        clusterRoleBindings: make<RbacBinding>('ClusterRoleBinding'),
      };
      informers = created;
      const all = Object.values(created) as Informer<RbacRole | RbacBinding>[];
      for (const informer of all) informer.start();
      const results = await Promise.all(all.map((i) => i.waitForSync()));
      if (results.some((ok) => !ok)) throw new SkiffError('SKIFF_ERR_CLUSTER_STATE', 'the RBAC authorizer was stopped before its caches synced');
      synced = true;
    },
    stop() {
      stopped = true;
      if (informers) for (const informer of Object.values(informers) as Informer<RbacRole | RbacBinding>[]) informer.stop();
    },
    hasSynced: () => synced && !stopped,
    authorize,
  };
}
