import type { ResourceInfo } from '@skiff/core';

/** The `/openapi/v3` key of a group-version: `api/v1` for the core group, else `apis/<group>/<version>`. */
export function groupVersionPath(gv: { group: string; version: string }): string {
  return gv.group ? `apis/${gv.group}/${gv.version}` : `api/${gv.version}`;
}

/** Parses an `/openapi/v3` key (`api/v1`, `apis/apps/v1`; leading `/` allowed); undefined when malformed. */
export function parseGroupVersionPath(path: string): { group: string; version: string } | undefined {
  const parts = path.replace(/^\/+/, '').replace(/\/+$/, '').split('/');
  if (parts.length === 2 && parts[0] === 'api' && parts[1]) return { group: '', version: parts[1] };
  if (parts.length === 3 && parts[0] === 'apis' && parts[1] && parts[2]) return { group: parts[1], version: parts[2] };
  return undefined;
}

/** The URL prefix of a group-version: `/api/v1` or `/apis/<group>/<version>`. */
export function urlPrefix(gv: { group: string; version: string }): string {
  return `/${groupVersionPath(gv)}`;
}

/**
 * The schema-name package of a group-version, as Kubernetes names its definitions:
 * core → `io.k8s.api.core.v1`, `apps` → `io.k8s.api.apps.v1`, `<name>.k8s.io` →
 * `io.k8s.api.<name>.v1`, any other group reversed (`stable.example.com` → `com.example.stable.v1`,
 * as for custom resources).
 */
export function schemaPackage(gv: { group: string; version: string }): string {
  const { group, version } = gv;
  if (group === '') return `io.k8s.api.core.${version}`;
  if (!group.includes('.')) return `io.k8s.api.${group}.${version}`;
  if (group.endsWith('.k8s.io')) return `io.k8s.api.${group.slice(0, -'.k8s.io'.length).replace(/\./g, '_')}.${version}`;
  return `${group.split('.').reverse().join('.')}.${version}`;
}

/** The package of apimachinery's `meta/v1` types (ObjectMeta, ListMeta, Status, DeleteOptions…). */
export const META_V1 = 'io.k8s.apimachinery.pkg.apis.meta.v1';

/** Shared schema documents (by `title`) that Kubernetes names outside `io.k8s.api.core.v1`. */
export const SHARED_PACKAGES: Readonly<Record<string, string>> = {
  ObjectMeta: META_V1,
  ListMeta: META_V1,
  List: META_V1,
  LabelSelector: META_V1,
  OwnerReference: META_V1,
  Condition: META_V1,
  Status: META_V1,
  Quantity: 'io.k8s.apimachinery.pkg.api.resource',
};

const camel = (s: string): string =>
  s
    .split(/[.\-_]/)
    .filter(Boolean)
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join('');

/** The `CoreV1` / `AppsV1` / `CoordinationV1` / `ExampleComV1` part of Kubernetes operation ids. */
export function operationGroup(res: Pick<ResourceInfo, 'group' | 'version'>): string {
  const group = res.group === '' ? 'core' : res.group.endsWith('.k8s.io') ? res.group.slice(0, -'.k8s.io'.length) : res.group;
  return `${camel(group)}${camel(res.version)}`;
}

/** The tag Kubernetes gives a group-version's operations: `core_v1`, `apps_v1`, `coordination_v1`. */
export function operationTag(res: Pick<ResourceInfo, 'group' | 'version'>): string {
  const group = res.group === '' ? 'core' : res.group.endsWith('.k8s.io') ? res.group.slice(0, -'.k8s.io'.length) : res.group;
  return `${group.replace(/[.\-]/g, '_')}_${res.version}`;
}

/** How a schema document and its `definitions` are named: `<pkg>.<DefinitionKey>`, the root `rootName`. */
export interface DocumentNamingArgs {
  pkg: string;
  rootName: string;
}
