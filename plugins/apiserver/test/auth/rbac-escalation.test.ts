import { CORE_VERSION, createCluster, definePlugin, isApiError, type Cluster, type KubeObject, type UserInfo } from '@skiff/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRbacAuthorizer, installRbacEscalationCheck, RBAC_API_VERSION, registerRbacKinds, type PolicyRule, type RbacAuthorizer } from '../../src/auth/index.js';
import { eventually } from './helpers.js';

let cluster: Cluster;
let authz: RbacAuthorizer;
const lead: UserInfo = { username: 'lead', groups: ['system:authenticated'] };
const RBAC = 'rbac.authorization.k8s.io';

const rbacPlugin = definePlugin({
  name: 'RbacWithEscalationForTest',
  core: `^${CORE_VERSION}`,
  apply(c) {
    registerRbacKinds(c);
    // The authorizer needs the running API; its authorize is safe to call before that (it denies).
    const authorizer = createRbacAuthorizer(c);
    authz = authorizer;
    installRbacEscalationCheck(c, (attrs) => authorizer.authorize(attrs));
    c.addComponent({ name: 'rbac-authorizer', start: () => authorizer.start(), stop: () => authorizer.stop() });
  },
});

const role = (kind: 'Role' | 'ClusterRole', name: string, rules: PolicyRule[], namespace?: string): KubeObject => ({
  apiVersion: RBAC_API_VERSION,
  kind,
  metadata: { name, ...(namespace ? { namespace } : {}) },
  rules,
});
const binding = (kind: 'RoleBinding' | 'ClusterRoleBinding', name: string, ref: { kind: string; name: string }, subject: string, namespace?: string): KubeObject => ({
  apiVersion: RBAC_API_VERSION,
  kind,
  metadata: { name, ...(namespace ? { namespace } : {}) },
  roleRef: { apiGroup: RBAC, ...ref },
  subjects: [{ kind: 'User', apiGroup: RBAC, name: subject }],
});

const create = (obj: KubeObject, user?: UserInfo) =>
  cluster.api.create(cluster.resources.require(obj.apiVersion, obj.kind), obj.metadata.namespace, obj, user ? { user } : {});
const outcome = (p: Promise<unknown>) =>
  p.then(
    () => 'ok',
    (e: unknown) => (isApiError(e) ? e.httpCode : e),
  );

beforeAll(async () => {
  cluster = await createCluster({ plugins: [rbacPlugin()] });
  await cluster.start();
  await create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team' } });
  // Admin (system:masters, the in-process default user) sets up what `lead` holds.
  await create(
    role('Role', 'team-lead', [
      { apiGroups: [''], resources: ['pods'], verbs: ['get', 'list'] },
      { apiGroups: [RBAC], resources: ['roles', 'rolebindings'], verbs: ['create', 'update', 'get'] },
    ], 'team'),
  );
  await create(binding('RoleBinding', 'lead', { kind: 'Role', name: 'team-lead' }, 'lead', 'team'));
  await create(role('ClusterRole', 'secret-reader', [{ apiGroups: [''], resources: ['secrets'], verbs: ['get'] }]));
  await create(role('ClusterRole', 'pod-lister', [{ apiGroups: [''], resources: ['pods'], verbs: ['list'] }]));
  await eventually(() => authz.authorize({ user: lead, verb: 'get', apiGroup: '', resource: 'pods', namespace: 'team' }).allowed, 5000, 'lead permissions');
});

afterAll(async () => {
  await cluster?.stop();
});

describe('RBAC escalation prevention', () => {
  it('lets a user create roles within the permissions they hold, and no more', async () => {
    expect(await outcome(create(role('Role', 'pod-get', [{ apiGroups: [''], resources: ['pods'], verbs: ['get'] }], 'team'), lead))).toBe('ok');
    expect(await outcome(create(role('Role', 'pod-delete', [{ apiGroups: [''], resources: ['pods'], verbs: ['delete'] }], 'team'), lead))).toBe(403);
    expect(await outcome(create(role('Role', 'pod-all', [{ apiGroups: [''], resources: ['pods'], verbs: ['*'] }], 'team'), lead))).toBe(403);
    expect(await outcome(create(role('Role', 'pod-log', [{ apiGroups: [''], resources: ['pods/log'], verbs: ['get'] }], 'team'), lead))).toBe(403);
    expect(await outcome(create(role('ClusterRole', 'cluster-pod-get', [{ apiGroups: [''], resources: ['pods'], verbs: ['get'] }]), lead))).toBe(403);
  });

  it('lets a user bind roles whose permissions they hold, or that they may bind', async () => {
    expect(await outcome(create(binding('RoleBinding', 'pod-lister', { kind: 'ClusterRole', name: 'pod-lister' }, 'dev', 'team'), lead))).toBe('ok');
    expect(await outcome(create(binding('RoleBinding', 'secrets', { kind: 'ClusterRole', name: 'secret-reader' }, 'dev', 'team'), lead))).toBe(403);
    expect(await outcome(create(binding('RoleBinding', 'ghost', { kind: 'Role', name: 'does-not-exist' }, 'dev', 'team'), lead))).toBe(403);
    // Grant `bind` on exactly secret-reader.
    await create(role('Role', 'bind-secret-reader', [{ apiGroups: [RBAC], resources: ['clusterroles'], verbs: ['bind'], resourceNames: ['secret-reader'] }], 'team'));
    await create(binding('RoleBinding', 'lead-bind', { kind: 'Role', name: 'bind-secret-reader' }, 'lead', 'team'));
    await eventually(
      () => authz.authorize({ user: lead, verb: 'bind', apiGroup: RBAC, resource: 'clusterroles', name: 'secret-reader', namespace: 'team' }).allowed,
      5000,
      'the bind grant',
    );
    expect(await outcome(create(binding('RoleBinding', 'secrets', { kind: 'ClusterRole', name: 'secret-reader' }, 'dev', 'team'), lead))).toBe('ok');
  });

  it('escalate lets a user write roles beyond their permissions; masters always may', async () => {
    await create(role('Role', 'escalator', [{ apiGroups: [RBAC], resources: ['roles'], verbs: ['escalate'] }], 'team'));
    await create(binding('RoleBinding', 'lead-escalate', { kind: 'Role', name: 'escalator' }, 'lead', 'team'));
    await eventually(() => authz.authorize({ user: lead, verb: 'escalate', apiGroup: RBAC, resource: 'roles', namespace: 'team' }).allowed, 5000, 'the escalate grant');
    expect(await outcome(create(role('Role', 'pod-delete', [{ apiGroups: [''], resources: ['pods'], verbs: ['delete'] }], 'team'), lead))).toBe('ok');
    expect(await outcome(create(role('ClusterRole', 'anything', [{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }])))).toBe('ok');
  });
});
