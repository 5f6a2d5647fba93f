import { apiVersionOf, type ResourceInfo, type ResourceRegistry } from '@skiff/core';

/** The Kubernetes version Skiff reports. The minor must be one kubectl's dispatcher bundles (1.27–1.33). */
export const KUBERNETES_VERSION = { major: '1', minor: '32', gitVersion: 'v1.32.0-skiff' } as const;

/** `/version`. */
export function versionInfo(): Record<string, string> {
  return {
    ...KUBERNETES_VERSION,
    gitCommit: '0000000000000000000000000000000000000000',
    gitTreeState: 'clean',
    buildDate: '2026-01-01T00:00:00Z',
    goVersion: 'go1.23.0',
    compiler: 'gc',
    platform: `${process.platform}/${process.arch === 'x64' ? 'amd64' : process.arch}`,
  };
}

/** `/api`: the legacy core group's versions. */
export function apiVersions(serverAddress: string): object {
  return {
    kind: 'APIVersions',
    apiVersion: 'v1',
    versions: ['v1'],
    serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }],
  };
}

function groupVersions(resources: ResourceRegistry): Map<string, string[]> {
  const groups = new Map<string, string[]>();
  for (const r of resources.all()) {
    if (r.group === '') continue;
    const versions = groups.get(r.group) ?? [];
    if (!versions.includes(r.version)) versions.push(r.version);
    groups.set(r.group, versions);
  }
  return groups;
}

function apiGroup(name: string, versions: string[]): object {
  const list = versions.map((version) => ({ groupVersion: `${name}/${version}`, version }));
  return { name, versions: list, preferredVersion: list[0] };
}

/** `/apis`: every named group (legacy discovery; aggregated discovery is not served). */
export function apiGroupList(resources: ResourceRegistry): object {
  const groups = [...groupVersions(resources)].sort(([a], [b]) => a.localeCompare(b)).map(([name, versions]) => apiGroup(name, versions));
  return { kind: 'APIGroupList', apiVersion: 'v1', groups };
}

/** `/apis/<group>`. */
export function apiGroupDocument(resources: ResourceRegistry, group: string): object {
  return { kind: 'APIGroup', apiVersion: 'v1', ...apiGroup(group, groupVersions(resources).get(group) ?? []) };
}

const MAIN_VERBS = ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'];
const SUB_VERBS = ['get', 'patch', 'update'];

/** The discovery entries for one resource: the resource itself and its subresources. */
export function resourceEntries(r: ResourceInfo): object[] {
  const main: Record<string, unknown> = { name: r.plural, singularName: r.singular, namespaced: r.namespaced, kind: r.kind, verbs: MAIN_VERBS };
  if (r.shortNames.length > 0) main['shortNames'] = r.shortNames;
  if (r.categories.length > 0) main['categories'] = r.categories;
  const out: object[] = [main];
  if (r.statusSubresource) out.push({ name: `${r.plural}/status`, singularName: '', namespaced: r.namespaced, kind: r.kind, verbs: SUB_VERBS });
  if (r.scaleSubresource) {
    out.push({ name: `${r.plural}/scale`, singularName: '', namespaced: r.namespaced, group: 'autoscaling', version: 'v1', kind: 'Scale', verbs: SUB_VERBS });
  }
  if (r.group === '' && r.plural === 'pods') {
    out.push({ name: 'pods/binding', singularName: '', namespaced: true, kind: 'Binding', verbs: ['create'] });
    out.push({ name: 'pods/log', singularName: '', namespaced: true, kind: 'Pod', verbs: ['get'] });
  }
  return out;
}

/** `/api/v1` and `/apis/<group>/<version>`: an APIResourceList. */
export function apiResourceList(resources: ResourceRegistry, group: string, version: string): object {
  const served = resources
    .all()
    .filter((r) => r.group === group && r.version === version)
    .sort((a, b) => a.plural.localeCompare(b.plural));
  return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: apiVersionOf({ group, version }), resources: served.flatMap(resourceEntries) };
}
