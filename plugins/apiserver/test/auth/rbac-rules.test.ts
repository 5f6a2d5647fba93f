import { describe, expect, it } from 'vitest';
import { nonResourceUrlMatches, resourceMatches, resourceNameMatches, ruleAllows, subjectMatches, type AuthorizationAttributes, type PolicyRule } from '../../src/auth/index.js';

const alice = { username: 'alice', groups: ['dev', 'system:authenticated'] };
const attrs = (a: Partial<AuthorizationAttributes>): AuthorizationAttributes => ({ user: alice, verb: 'get', apiGroup: '', resource: 'pods', namespace: 'default', ...a });

describe('rule matching', () => {
  it.each<[string, PolicyRule, Partial<AuthorizationAttributes>, boolean]>([
    ['exact', { apiGroups: [''], resources: ['pods'], verbs: ['get'] }, {}, true],
    ['other verb', { apiGroups: [''], resources: ['pods'], verbs: ['get'] }, { verb: 'delete' }, false],
    ['verb wildcard', { apiGroups: [''], resources: ['pods'], verbs: ['*'] }, { verb: 'deletecollection' }, true],
    ['other group', { apiGroups: ['apps'], resources: ['pods'], verbs: ['get'] }, {}, false],
    ['group wildcard', { apiGroups: ['*'], resources: ['deployments'], verbs: ['get'] }, { apiGroup: 'apps', resource: 'deployments' }, true],
    ['no apiGroups', { resources: ['pods'], verbs: ['get'] }, {}, false],
    ['resource wildcard', { apiGroups: [''], resources: ['*'], verbs: ['get'] }, { resource: 'secrets' }, true],
    ['resource wildcard covers subresources', { apiGroups: [''], resources: ['*'], verbs: ['get'] }, { subresource: 'log' }, true],
    ['resource does not cover its subresource', { apiGroups: [''], resources: ['pods'], verbs: ['get'] }, { subresource: 'log' }, false],
    ['subresource', { apiGroups: [''], resources: ['pods/log'], verbs: ['get'] }, { subresource: 'log' }, true],
    ['subresource does not cover the resource', { apiGroups: [''], resources: ['pods/log'], verbs: ['get'] }, {}, false],
    ['*/subresource', { apiGroups: ['*'], resources: ['*/scale'], verbs: ['update'] }, { verb: 'update', apiGroup: 'apps', resource: 'deployments', subresource: 'scale' }, true],
    ['*/subresource other', { apiGroups: ['*'], resources: ['*/scale'], verbs: ['update'] }, { verb: 'update', subresource: 'status' }, false],
    ['resourceNames match', { apiGroups: [''], resources: ['pods'], verbs: ['get'], resourceNames: ['a'] }, { name: 'a' }, true],
    ['resourceNames other', { apiGroups: [''], resources: ['pods'], verbs: ['get'], resourceNames: ['a'] }, { name: 'b' }, false],
    ['resourceNames without a name (list)', { apiGroups: [''], resources: ['pods'], verbs: ['list'], resourceNames: ['a'] }, { verb: 'list' }, false],
    ['non-resource exact', { nonResourceURLs: ['/healthz'], verbs: ['get'] }, { resource: '', apiGroup: '', nonResourcePath: '/healthz' }, true],
    ['non-resource prefix *', { nonResourceURLs: ['/apis/*'], verbs: ['get'] }, { resource: '', nonResourcePath: '/apis/apps/v1' }, true],
    ['non-resource prefix * no match', { nonResourceURLs: ['/apis/*'], verbs: ['get'] }, { resource: '', nonResourcePath: '/api/v1' }, false],
    ['non-resource *', { nonResourceURLs: ['*'], verbs: ['*'] }, { verb: 'post', resource: '', nonResourcePath: '/anything' }, true],
    ['non-resource rule does not grant resources', { nonResourceURLs: ['*'], verbs: ['*'] }, {}, false],
    ['resource rule does not grant non-resource', { apiGroups: ['*'], resources: ['*'], verbs: ['*'] }, { resource: '', nonResourcePath: '/healthz' }, false],
  ])('%s', (_name, rule, request, expected) => {
    expect(ruleAllows(attrs(request), rule)).toBe(expected);
  });

  it('helpers', () => {
    expect(resourceMatches({ verbs: [], resources: ['pods/*'] }, 'pods', 'log')).toBe(false); // Kubernetes has no pods/* form
    expect(resourceNameMatches({ verbs: [] }, undefined)).toBe(true);
    expect(nonResourceUrlMatches({ verbs: [], nonResourceURLs: ['/version/'] }, '/version')).toBe(false);
  });

  it.each<[string, { kind: string; name: string; namespace?: string }, string, boolean]>([
    ['user', { kind: 'User', name: 'alice' }, '', true],
    ['other user', { kind: 'User', name: 'bob' }, '', false],
    ['group', { kind: 'Group', name: 'dev' }, '', true],
    ['other group', { kind: 'Group', name: 'ops' }, '', false],
    ['unknown kind', { kind: 'Robot', name: 'alice' }, '', false],
  ])('subject %s', (_name, subject, ns, expected) => {
    expect(subjectMatches(alice, subject, ns)).toBe(expected);
  });

  it('service account subjects default to the binding namespace', () => {
    const sa = { username: 'system:serviceaccount:team:builder', groups: ['system:serviceaccounts'] };
    expect(subjectMatches(sa, { kind: 'ServiceAccount', name: 'builder', namespace: 'team' }, '')).toBe(true);
    expect(subjectMatches(sa, { kind: 'ServiceAccount', name: 'builder' }, 'team')).toBe(true);
    expect(subjectMatches(sa, { kind: 'ServiceAccount', name: 'builder' }, '')).toBe(false);
    expect(subjectMatches(sa, { kind: 'ServiceAccount', name: 'builder' }, 'other')).toBe(false);
  });
});
