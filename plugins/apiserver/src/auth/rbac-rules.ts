import type { UserInfo } from '@skiff/core';
import type { PolicyRule, Subject } from './rbac-types.js';

/** What a request asks to do, as the authorizer sees it (Kubernetes `authorizer.Attributes`). */
export interface AuthorizationAttributes {
  user: UserInfo;
  /** `get list watch create update patch delete deletecollection`, or an HTTP verb for non-resource paths (`get`, `post`…). */
  verb: string;
  /** API group, '' for the core group. */
  apiGroup: string;
  /** Plural resource (`pods`); empty for non-resource requests. */
  resource: string;
  subresource?: string;
  namespace?: string;
  name?: string;
  /** Set (and `resource` empty) for non-resource requests such as `/healthz` or `/api`. */
  nonResourcePath?: string;
}

/** The authorizer's answer. `reason` explains an allow; a deny has an empty reason, as Kubernetes' RBAC. */
export interface AuthorizationDecision {
  allowed: boolean;
  reason: string;
}

const has = (list: readonly string[] | undefined, value: string): boolean => (list ?? []).some((v) => v === '*' || v === value);

/** True when a rule's verbs cover `verb` (`*` covers every verb). */
export function verbMatches(rule: PolicyRule, verb: string): boolean {
  return has(rule.verbs, verb);
}

/**
 * True when the rule's resources cover `resource[/subresource]`: `*`, the exact combined name
 * (`pods/log`), or `*\/<subresource>` for that subresource of any resource. `pods` does not cover
 * `pods/log`.
 */
export function resourceMatches(rule: PolicyRule, resource: string, subresource?: string): boolean {
  const combined = subresource ? `${resource}/${subresource}` : resource;
  return (rule.resources ?? []).some((r) => r === '*' || r === combined || (subresource !== undefined && subresource !== '' && r === `*/${subresource}`));
}

/** True when the rule has no resourceNames, or names `name` (a request without a name never matches a non-empty list). */
export function resourceNameMatches(rule: PolicyRule, name?: string): boolean {
  const names = rule.resourceNames ?? [];
  if (names.length === 0) return true;
  return name !== undefined && name !== '' && names.includes(name);
}

/** True when the rule's nonResourceURLs cover `path`: `*`, the exact path, or a prefix ending in `*`. */
export function nonResourceUrlMatches(rule: PolicyRule, path: string): boolean {
  return (rule.nonResourceURLs ?? []).some((u) => u === '*' || u === path || (u.endsWith('*') && path.startsWith(u.slice(0, -1))));
}

/** True when `rule` allows the request (Kubernetes `RuleAllows`). */
export function ruleAllows(attrs: AuthorizationAttributes, rule: PolicyRule): boolean {
  if (attrs.nonResourcePath !== undefined && !attrs.resource) {
    return verbMatches(rule, attrs.verb) && nonResourceUrlMatches(rule, attrs.nonResourcePath);
  }
  return (
    verbMatches(rule, attrs.verb) &&
    has(rule.apiGroups, attrs.apiGroup) &&
    resourceMatches(rule, attrs.resource, attrs.subresource) &&
    resourceNameMatches(rule, attrs.name)
  );
}

/** The username a service account authenticates as. */
export function serviceAccountUsername(namespace: string, name: string): string {
  return `system:serviceaccount:${namespace}:${name}`;
}

/**
 * True when `subject` names `user` (Kubernetes `appliesToUser`): a User by username, a Group by
 * any of the user's groups, a ServiceAccount by `system:serviceaccount:<ns>:<name>` where `ns`
 * defaults to the binding's namespace (`bindingNamespace`, '' for ClusterRoleBindings).
 */
export function subjectMatches(user: UserInfo, subject: Subject, bindingNamespace: string): boolean {
  switch (subject.kind) {
    case 'User':
      return user.username === subject.name;
    case 'Group':
      return user.groups.includes(subject.name);
    case 'ServiceAccount': {
      const ns = subject.namespace || bindingNamespace;
      return ns !== '' && user.username === serviceAccountUsername(ns, subject.name);
    }
    default:
      return false;
  }
}
