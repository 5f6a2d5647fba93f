import { CORE_VERSION, createCluster, definePlugin, isApiError, isSkiffError, type Cluster, type KubeObject, type UserInfo } from '@skiff/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createRbacAuthorizer,
  DISCOVERY_CLUSTER_ROLE,
  NODE_CLUSTER_ROLE,
  ensureDefaultRbac,
  forbiddenError,
  registerRbacKinds,
  RBAC_API_VERSION,
  type AuthorizationAttributes,
  type PolicyRule,
  type RbacAuthorizer,
} from '../../src/auth/index.js';
import { eventually } from './helpers.js';

const rbacKinds = definePlugin({ name: 'RbacKindsForTest', core: `^${CORE_VERSION}`, apply: (cluster) => registerRbacKinds(cluster) });

let cluster: Cluster;
let authz: RbacAuthorizer;

const user = (username: string, ...groups: string[]): UserInfo => ({ username, groups: [...groups, 'system:authenticated'] });

async function create(obj: KubeObject): Promise<KubeObject> {
  const res = cluster.resources.require(obj.apiVersion, obj.kind);
  return cluster.api.create(res, obj.metadata.namespace, obj);
}
async function remove(apiVersion: string, kind: string, namespace: string | undefined, name: string): Promise<void> {
  await cluster.api.delete(cluster.resources.require(apiVersion, kind), namespace, name);
}

const role = (kind: 'Role' | 'ClusterRole', name: string, rules: PolicyRule[], namespace?: string): KubeObject => ({
  apiVersion: RBAC_API_VERSION,
  kind,
  metadata: { name, ...(namespace ? { namespace } : {}) },
  rules,
});

type SubjectSpec = { kind: 'User' | 'Group' | 'ServiceAccount'; name: string; namespace?: string };
const binding = (kind: 'RoleBinding' | 'ClusterRoleBinding', name: string, roleRef: { kind: 'Role' | 'ClusterRole'; name: string }, subjects: SubjectSpec[], namespace?: string): KubeObject => ({
  apiVersion: RBAC_API_VERSION,
  kind,
  metadata: { name, ...(namespace ? { namespace } : {}) },
  roleRef: { apiGroup: 'rbac.authorization.k8s.io', ...roleRef },
  subjects: subjects.map((s) => (s.kind === 'ServiceAccount' ? { apiGroup: '', ...s } : { apiGroup: 'rbac.authorization.k8s.io', ...s })),
});

const can = (u: UserInfo, verb: string, resource: string, namespace?: string, extra: Partial<AuthorizationAttributes> = {}): boolean => {
  const [res, sub] = resource.split('/');
  return authz.authorize({ user: u, verb, apiGroup: '', resource: res!, ...(sub ? { subresource: sub } : {}), ...(namespace ? { namespace } : {}), ...extra }).allowed;
};

/** Waits until the authorizer's answer for a request becomes `expected` (informers are asynchronous). */
const until = (expected: boolean, check: () => boolean, what: string) => eventually(() => check() === expected, 5000, what);

beforeAll(async () => {
  cluster = await createCluster({ plugins: [rbacKinds()] });
  await cluster.start();
  for (const name of ['team', 'other']) await create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  authz = createRbacAuthorizer(cluster);
  await authz.start();
  expect(authz.hasSynced()).toBe(true);
});

afterAll(async () => {
  authz?.stop();
  await cluster?.stop();
});

describe('RBAC authorizer over a running cluster', () => {
  it('a namespace read-only Role allows get/list/watch there and nothing else', async () => {
    const alice = user('alice');
    await create(role('Role', 'pod-reader', [{ apiGroups: [''], resources: ['pods'], verbs: ['get', 'list', 'watch'] }], 'team'));
    await create(binding('RoleBinding', 'alice-reads-pods', { kind: 'Role', name: 'pod-reader' }, [{ kind: 'User', name: 'alice' }], 'team'));
    await until(true, () => can(alice, 'list', 'pods', 'team'), 'alice to list pods');
    const decision = authz.authorize({ user: alice, verb: 'get', apiGroup: '', resource: 'pods', namespace: 'team', name: 'p' });
    expect(decision).toEqual({ allowed: true, reason: 'RBAC: allowed by RoleBinding "alice-reads-pods/team" of Role "pod-reader" to User "alice"' });
    expect(can(alice, 'watch', 'pods', 'team')).toBe(true);
    expect(can(alice, 'create', 'pods', 'team')).toBe(false);
    expect(can(alice, 'delete', 'pods', 'team')).toBe(false);
    expect(can(alice, 'list', 'pods', 'other')).toBe(false);
    expect(can(alice, 'list', 'pods')).toBe(false);
    expect(can(alice, 'get', 'secrets', 'team')).toBe(false);
    expect(can(alice, 'get', 'pods', 'team', { apiGroup: 'apps' })).toBe(false);
    expect(authz.authorize({ user: alice, verb: 'list', apiGroup: '', resource: 'pods', namespace: 'other' })).toEqual({ allowed: false, reason: '' });
  });

  it('a Role in another namespace is not granted by a RoleBinding that names it', async () => {
    const amy = user('amy');
    await create(role('Role', 'other-reader', [{ apiGroups: [''], resources: ['pods'], verbs: ['get'] }], 'other'));
    await create(binding('RoleBinding', 'amy', { kind: 'Role', name: 'other-reader' }, [{ kind: 'User', name: 'amy' }], 'team'));
    await create(binding('RoleBinding', 'amy-control', { kind: 'Role', name: 'pod-reader' }, [{ kind: 'User', name: 'amy' }], 'team'));
    await until(true, () => can(amy, 'list', 'pods', 'team'), 'the control binding');
    expect(can(amy, 'get', 'pods', 'other')).toBe(false);
  });

  it('a ClusterRoleBinding grants a ClusterRole everywhere, including cluster-scoped resources', async () => {
    const bob = user('bob');
    await create(role('ClusterRole', 'node-and-pod-reader', [{ apiGroups: [''], resources: ['nodes', 'pods'], verbs: ['get', 'list'] }]));
    await create(binding('ClusterRoleBinding', 'bob-reads', { kind: 'ClusterRole', name: 'node-and-pod-reader' }, [{ kind: 'User', name: 'bob' }]));
    await until(true, () => can(bob, 'get', 'nodes'), 'bob to get nodes');
    expect(authz.authorize({ user: bob, verb: 'list', apiGroup: '', resource: 'nodes' }).reason).toBe(
      'RBAC: allowed by ClusterRoleBinding "bob-reads" of ClusterRole "node-and-pod-reader" to User "bob"',
    );
    expect(can(bob, 'list', 'pods', 'team')).toBe(true);
    expect(can(bob, 'list', 'pods', 'other')).toBe(true);
    expect(can(bob, 'list', 'pods')).toBe(true);
    expect(can(bob, 'delete', 'nodes')).toBe(false);
  });

  it('a RoleBinding to a ClusterRole grants it only in the binding namespace', async () => {
    const carol = user('carol');
    await create(role('ClusterRole', 'secret-reader', [{ apiGroups: [''], resources: ['secrets'], verbs: ['get'] }]));
    await create(binding('RoleBinding', 'carol-secrets', { kind: 'ClusterRole', name: 'secret-reader' }, [{ kind: 'User', name: 'carol' }], 'team'));
    await until(true, () => can(carol, 'get', 'secrets', 'team'), 'carol to read secrets in team');
    expect(can(carol, 'get', 'secrets', 'other')).toBe(false);
    expect(can(carol, 'get', 'secrets')).toBe(false);
  });

  it('wildcards in apiGroups, resources and verbs', async () => {
    const dave = user('dave');
    await create(role('ClusterRole', 'apps-admin', [{ apiGroups: ['apps'], resources: ['*'], verbs: ['*'] }]));
    await create(binding('ClusterRoleBinding', 'dave-apps', { kind: 'ClusterRole', name: 'apps-admin' }, [{ kind: 'User', name: 'dave' }]));
    await until(true, () => can(dave, 'create', 'deployments', 'other', { apiGroup: 'apps' }), 'dave to create deployments');
    expect(can(dave, 'deletecollection', 'replicasets', 'team', { apiGroup: 'apps' })).toBe(true);
    expect(can(dave, 'update', 'deployments/scale', 'team', { apiGroup: 'apps' })).toBe(true);
    expect(can(dave, 'get', 'pods', 'team')).toBe(false);
    expect(can(dave, 'get', 'jobs', 'team', { apiGroup: 'batch' })).toBe(false);
  });

  it('subresources are matched as resource/subresource', async () => {
    const erin = user('erin');
    await create(role('Role', 'log-reader', [{ apiGroups: [''], resources: ['pods/log'], verbs: ['get'] }], 'team'));
    await create(binding('RoleBinding', 'erin-logs', { kind: 'Role', name: 'log-reader' }, [{ kind: 'User', name: 'erin' }], 'team'));
    await until(true, () => can(erin, 'get', 'pods/log', 'team'), 'erin to read logs');
    expect(can(erin, 'get', 'pods', 'team')).toBe(false);
    expect(can(erin, 'get', 'pods/exec', 'team')).toBe(false);
    expect(can(erin, 'get', 'pods/log', 'other')).toBe(false);
  });

  it('resourceNames restrict a rule to named objects', async () => {
    const frank = user('frank');
    await create(role('Role', 'one-config', [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get', 'update'], resourceNames: ['app-config'] }], 'team'));
    await create(binding('RoleBinding', 'frank-config', { kind: 'Role', name: 'one-config' }, [{ kind: 'User', name: 'frank' }], 'team'));
    await until(true, () => can(frank, 'get', 'configmaps', 'team', { name: 'app-config' }), 'frank to read app-config');
    expect(can(frank, 'update', 'configmaps', 'team', { name: 'app-config' })).toBe(true);
    expect(can(frank, 'get', 'configmaps', 'team', { name: 'other-config' })).toBe(false);
    expect(can(frank, 'list', 'configmaps', 'team')).toBe(false);
  });

  it('group and service-account subjects', async () => {
    await create(role('ClusterRole', 'event-reader', [{ apiGroups: [''], resources: ['events'], verbs: ['list'] }]));
    await create(binding('ClusterRoleBinding', 'auditors', { kind: 'ClusterRole', name: 'event-reader' }, [{ kind: 'Group', name: 'auditors' }]));
    await create(binding('RoleBinding', 'builder', { kind: 'ClusterRole', name: 'event-reader' }, [{ kind: 'ServiceAccount', name: 'builder' }], 'team'));
    await until(true, () => can(user('gina', 'auditors'), 'list', 'events', 'other'), 'group auditors');
    expect(authz.authorize({ user: user('gina', 'auditors'), verb: 'list', apiGroup: '', resource: 'events' }).reason).toContain('to Group "auditors"');
    expect(can(user('gina'), 'list', 'events', 'other')).toBe(false);
    const sa = { username: 'system:serviceaccount:team:builder', groups: ['system:serviceaccounts', 'system:serviceaccounts:team'] };
    await until(true, () => can(sa, 'list', 'events', 'team'), 'the service account');
    expect(can(sa, 'list', 'events', 'other')).toBe(false);
    expect(can({ username: 'system:serviceaccount:other:builder', groups: [] }, 'list', 'events', 'team')).toBe(false);
  });

  it('system:masters is always allowed, even without bindings or a started authorizer', () => {
    const root = user('root', 'system:masters');
    expect(can(root, 'delete', 'nodes')).toBe(true);
    expect(authz.authorize({ user: root, verb: 'get', apiGroup: '', resource: '', nonResourcePath: '/metrics' }).allowed).toBe(true);
    const idle = createRbacAuthorizer(cluster);
    expect(idle.authorize({ user: root, verb: 'create', apiGroup: 'apps', resource: 'deployments', namespace: 'team' }).allowed).toBe(true);
    expect(idle.authorize({ user: user('bob'), verb: 'get', apiGroup: '', resource: 'nodes' }).allowed).toBe(false);
  });

  it('non-resource URLs are granted by ClusterRoleBindings only', async () => {
    const hal = user('hal');
    await create(role('ClusterRole', 'health', [{ nonResourceURLs: ['/healthz', '/apis/*'], verbs: ['get'] }]));
    await create(binding('RoleBinding', 'hal-health', { kind: 'ClusterRole', name: 'health' }, [{ kind: 'User', name: 'hal' }], 'team'));
    await create(binding('ClusterRoleBinding', 'hal-control', { kind: 'ClusterRole', name: 'node-and-pod-reader' }, [{ kind: 'User', name: 'hal' }]));
    const path = (p: string, extra: Partial<AuthorizationAttributes> = {}) => authz.authorize({ user: hal, verb: 'get', apiGroup: '', resource: '', nonResourcePath: p, ...extra }).allowed;
    await until(true, () => can(hal, 'get', 'nodes'), 'the control binding');
    expect(path('/healthz')).toBe(false);
    expect(path('/healthz', { namespace: 'team' })).toBe(false);
    await create(binding('ClusterRoleBinding', 'hal-health', { kind: 'ClusterRole', name: 'health' }, [{ kind: 'User', name: 'hal' }]));
    await until(true, () => path('/healthz'), 'hal to get /healthz');
    expect(path('/apis/apps/v1')).toBe(true);
    expect(path('/api/v1')).toBe(false);
  });

  it('changes to roles and bindings take effect', async () => {
    const ivy = user('ivy');
    expect(can(ivy, 'get', 'services', 'team')).toBe(false);
    // The binding first: it grants nothing until its role exists.
    await create(binding('RoleBinding', 'ivy', { kind: 'Role', name: 'svc' }, [{ kind: 'User', name: 'ivy' }], 'team'));
    await create(role('Role', 'svc', [{ apiGroups: [''], resources: ['services'], verbs: ['get', 'delete'] }], 'team'));
    await until(true, () => can(ivy, 'delete', 'services', 'team'), 'the role to be created');
    // Narrow the role.
    const roles = cluster.resources.require(RBAC_API_VERSION, 'Role');
    const current = await cluster.api.get(roles, 'team', 'svc');
    await cluster.api.update(roles, 'team', 'svc', { ...current, rules: [{ apiGroups: [''], resources: ['services'], verbs: ['get'] }] } as KubeObject);
    await until(false, () => can(ivy, 'delete', 'services', 'team'), 'the role update');
    expect(can(ivy, 'get', 'services', 'team')).toBe(true);
    // Remove the binding.
    await remove(RBAC_API_VERSION, 'RoleBinding', 'team', 'ivy');
    await until(false, () => can(ivy, 'get', 'services', 'team'), 'the binding deletion');
    // A cluster-wide grant, then its removal.
    await create(binding('ClusterRoleBinding', 'ivy', { kind: 'ClusterRole', name: 'secret-reader' }, [{ kind: 'User', name: 'ivy' }]));
    await until(true, () => can(ivy, 'get', 'secrets', 'other'), 'the cluster role binding');
    await remove(RBAC_API_VERSION, 'ClusterRole', undefined, 'secret-reader');
    await until(false, () => can(ivy, 'get', 'secrets', 'other'), 'the cluster role deletion');
  });

  it('validates RBAC objects and keeps roleRef immutable', async () => {
    const invalid = async (obj: KubeObject) => {
      const err = await create(obj).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(isApiError(err, 422)).toBe(true);
    };
    await invalid(binding('ClusterRoleBinding', 'bad-ref', { kind: 'Role', name: 'x' }, [{ kind: 'User', name: 'a' }]));
    await invalid(role('ClusterRole', 'no-verbs', [{ apiGroups: [''], resources: ['pods'] } as unknown as PolicyRule]));
    await invalid(binding('ClusterRoleBinding', 'bad-subject', { kind: 'ClusterRole', name: 'x' }, [{ kind: 'Robot' as 'User', name: 'a' }]));
    const crbs = cluster.resources.require(RBAC_API_VERSION, 'ClusterRoleBinding');
    const current = await cluster.api.get(crbs, undefined, 'bob-reads');
    const err = await cluster.api
      .update(crbs, undefined, 'bob-reads', { ...current, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'apps-admin' } } as KubeObject)
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(isApiError(err, 422)).toBe(true);
    // Subjects may change.
    await cluster.api.update(crbs, undefined, 'bob-reads', { ...current, subjects: [{ kind: 'User', apiGroup: 'rbac.authorization.k8s.io', name: 'bobby' }] } as KubeObject);
    await until(true, () => can(user('bobby'), 'get', 'nodes'), 'the subject change');
    expect(can(user('bob'), 'get', 'nodes')).toBe(false);
  });

  it('ensureDefaultRbac creates cluster-admin, the node role and the discovery role idempotently', async () => {
    const created = await ensureDefaultRbac(cluster);
    expect(created.sort()).toEqual(
      ['ClusterRole/cluster-admin', 'ClusterRole/system:node', 'ClusterRole/system:discovery', 'ClusterRoleBinding/cluster-admin', 'ClusterRoleBinding/system:node', 'ClusterRoleBinding/system:discovery'].sort(),
    );
    expect([NODE_CLUSTER_ROLE, DISCOVERY_CLUSTER_ROLE]).toEqual(['system:node', 'system:discovery']);
    expect(await ensureDefaultRbac(cluster)).toEqual([]);
    const node = user('system:node-bootstrap', 'system:nodes');
    await until(true, () => can(node, 'update', 'nodes/status'), 'the node role');
    expect(can(node, 'create', 'leases', 'kube-node-lease', { apiGroup: 'coordination.k8s.io' })).toBe(true);
    expect(can(node, 'create', 'events', 'team')).toBe(true);
    expect(can(node, 'list', 'pods')).toBe(true);
    expect(can(node, 'delete', 'secrets', 'team')).toBe(false);
    expect(can(node, 'create', 'deployments', 'team', { apiGroup: 'apps' })).toBe(false);
    const anyone = user('nobody');
    expect(authz.authorize({ user: anyone, verb: 'get', apiGroup: '', resource: '', nonResourcePath: '/apis/apps/v1' }).allowed).toBe(true);
    expect(authz.authorize({ user: anyone, verb: 'get', apiGroup: '', resource: '', nonResourcePath: '/metrics' }).allowed).toBe(false);
    // cluster-admin bound to a user grants everything.
    await create(binding('ClusterRoleBinding', 'jo-admin', { kind: 'ClusterRole', name: 'cluster-admin' }, [{ kind: 'User', name: 'jo' }]));
    await until(true, () => can(user('jo'), 'deletecollection', 'jobs', 'other', { apiGroup: 'batch' }), 'cluster-admin');
    expect(authz.authorize({ user: user('jo'), verb: 'post', apiGroup: '', resource: '', nonResourcePath: '/anything' }).allowed).toBe(true);
  });
});

describe('RBAC names', () => {
  // Kubernetes validates RBAC object names as path segments (`system:node` is valid); the core
  // still applies DNS-subdomain rules. This flips to a failure (remove `.fails`) once it is fixed.
  it('accepts Kubernetes-style names with a colon', async () => {
    await create(role('ClusterRole', 'system:example', [{ nonResourceURLs: ['/x'], verbs: ['get'] }]));
  });
});

describe('forbiddenError', () => {
  it('has Kubernetes messages', () => {
    const u = user('alice');
    expect(forbiddenError({ user: u, verb: 'list', apiGroup: '', resource: 'pods', namespace: 'default' }).status).toMatchObject({
      code: 403,
      reason: 'Forbidden',
      message: 'pods is forbidden: User "alice" cannot list resource "pods" in API group "" in the namespace "default"',
      details: { kind: 'pods' },
    });
    expect(forbiddenError({ user: u, verb: 'get', apiGroup: 'apps', resource: 'deployments', subresource: 'scale', namespace: 'ns', name: 'web' }).message).toBe(
      'deployments.apps "web" is forbidden: User "alice" cannot get resource "deployments/scale" in API group "apps" in the namespace "ns"',
    );
    expect(forbiddenError({ user: u, verb: 'get', apiGroup: '', resource: 'nodes' }).message).toBe(
      'nodes is forbidden: User "alice" cannot get resource "nodes" in API group "" at the cluster scope',
    );
    expect(forbiddenError({ user: u, verb: 'get', apiGroup: '', resource: '', nonResourcePath: '/metrics' }).message).toBe('forbidden: User "alice" cannot get path "/metrics"');
  });
});

describe('createRbacAuthorizer without the RBAC kinds', () => {
  it('fails to start with a coded error', async () => {
    const bare = await createCluster();
    await bare.start();
    try {
      const err = await createRbacAuthorizer(bare).start().then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(isSkiffError(err, 'SKIFF_ERR_API_UNKNOWN_RESOURCE')).toBe(true);
    } finally {
      await bare.stop();
    }
  });

  it('start rejects when stopped before the caches sync, and cannot start twice', async () => {
    const c = await createCluster({ plugins: [rbacKinds()] });
    await c.start();
    try {
      const a = createRbacAuthorizer(c);
      const started = a.start();
      a.stop();
      expect(isSkiffError(await started.then(() => undefined, (e: unknown) => e), 'SKIFF_ERR_CLUSTER_STATE')).toBe(true);
      expect(a.hasSynced()).toBe(false);
      const b = createRbacAuthorizer(c);
      await b.start();
      expect(isSkiffError(await b.start().then(() => undefined, (e: unknown) => e), 'SKIFF_ERR_CLUSTER_STATE')).toBe(true);
      b.stop();
      expect(b.hasSynced()).toBe(false);
    } finally {
      await c.stop();
    }
  });

  it('fails to start before the cluster runs', async () => {
    const idle = await createCluster({ plugins: [rbacKinds()] });
    const err = await createRbacAuthorizer(idle).start().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isSkiffError(err, 'SKIFF_ERR_CLUSTER_STATE')).toBe(true);
  });
});
