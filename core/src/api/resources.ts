import { SkiffError } from '../errors.js';

/** How the API serves one kind: its group/version, plural resource name, scope and subresources. */
export interface ResourceInfo {
  group: string;
  version: string;
  kind: string;
  /** Plural, lowercase: `pods`, `deployments`. */
  plural: string;
  singular: string;
  namespaced: boolean;
  shortNames: string[];
  categories: string[];
  /** Whether `status` is a subresource (main-resource writes then ignore status changes). */
  statusSubresource: boolean;
  /** Whether `scale` is served (autoscaling/v1 Scale over `spec.replicas`). */
  scaleSubresource: boolean;
  /**
   * How object names are checked: `dns-subdomain` (the default), `dns-label` (Namespace, Service),
   * or `path-segment` (anything but `.`, `..`, `/` and `%`, as for RBAC objects like `system:node`).
   */
  nameValidation?: 'dns-subdomain' | 'dns-label' | 'path-segment';
}

/** `group/version`, or just `version` for the core group. */
export function apiVersionOf(r: Pick<ResourceInfo, 'group' | 'version'>): string {
  return r.group ? `${r.group}/${r.version}` : r.version;
}

/** Splits an apiVersion into group and version (`v1` → core group ''). */
export function parseApiVersion(apiVersion: string): { group: string; version: string } {
  const slash = apiVersion.lastIndexOf('/');
  return slash < 0 ? { group: '', version: apiVersion } : { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1) };
}

function r(
  group: string,
  kind: string,
  plural: string,
  opts: { namespaced?: boolean; short?: string[]; all?: boolean; status?: boolean; scale?: boolean } = {},
): ResourceInfo {
  return {
    group,
    version: 'v1',
    kind,
    plural,
    singular: kind.toLowerCase(),
    namespaced: opts.namespaced ?? true,
    shortNames: opts.short ?? [],
    categories: opts.all ? ['all'] : [],
    statusSubresource: opts.status ?? false,
    scaleSubresource: opts.scale ?? false,
  };
}

/** The kinds Skiff serves out of the box, with Kubernetes' names, short names and categories. */
export const builtinResources: readonly ResourceInfo[] = Object.freeze([
  { ...r('', 'Namespace', 'namespaces', { namespaced: false, short: ['ns'], status: true }), nameValidation: 'dns-label' },
  r('', 'Pod', 'pods', { short: ['po'], all: true, status: true }),
  r('', 'Node', 'nodes', { namespaced: false, short: ['no'], status: true }),
  { ...r('', 'Service', 'services', { short: ['svc'], all: true, status: true }), nameValidation: 'dns-label' },
  r('', 'Endpoints', 'endpoints', { short: ['ep'] }),
  r('', 'ReplicationController', 'replicationcontrollers', { short: ['rc'], all: true, status: true, scale: true }),
  r('', 'Event', 'events', { short: ['ev'] }),
  r('', 'ConfigMap', 'configmaps', { short: ['cm'] }),
  r('', 'Secret', 'secrets'),
  r('apps', 'ReplicaSet', 'replicasets', { short: ['rs'], all: true, status: true, scale: true }),
  r('apps', 'Deployment', 'deployments', { short: ['deploy'], all: true, status: true, scale: true }),
  r('apps', 'DaemonSet', 'daemonsets', { short: ['ds'], all: true, status: true }),
  r('batch', 'Job', 'jobs', { all: true, status: true }),
  r('coordination.k8s.io', 'Lease', 'leases'),
]);

/**
 * The kinds the API serves, looked up by apiVersion+kind or by group+plural (or short name).
 * Custom resources are added with `add` when their definition is created.
 */
export class ResourceRegistry {
  private readonly byKind = new Map<string, ResourceInfo>();
  private readonly byPlural = new Map<string, ResourceInfo>();
  private generationValue = 0;

  /** Goes up on every add and remove, so derived documents (discovery, OpenAPI) know to rebuild. */
  get generation(): number {
    return this.generationValue;
  }

  constructor(resources: readonly ResourceInfo[] = builtinResources) {
    for (const res of resources) this.add(res);
  }

  add(res: ResourceInfo): void {
    const kindKey = `${apiVersionOf(res)}/${res.kind}`;
    if (this.byKind.has(kindKey)) throw new SkiffError('SKIFF_ERR_REGISTRY_DUPLICATE', `${kindKey} is already served`, { kind: kindKey });
    this.byKind.set(kindKey, Object.freeze({ ...res }));
    this.byPlural.set(`${res.group}/${res.version}/${res.plural}`, this.byKind.get(kindKey)!);
    this.generationValue++;
  }

  remove(apiVersion: string, kind: string): void {
    const res = this.byKind.get(`${apiVersion}/${kind}`);
    if (!res) return;
    this.byKind.delete(`${apiVersion}/${kind}`);
    this.byPlural.delete(`${res.group}/${res.version}/${res.plural}`);
    this.generationValue++;
  }

  /** The resource for an object's apiVersion and kind, or undefined. */
  forKind(apiVersion: string, kind: string): ResourceInfo | undefined {
    return this.byKind.get(`${apiVersion}/${kind}`);
  }

  /** The resource for a group, version and plural name (or short name), or undefined. */
  forResource(group: string, version: string, name: string): ResourceInfo | undefined {
    const exact = this.byPlural.get(`${group}/${version}/${name}`);
    if (exact) return exact;
    return this.all().find((res) => res.group === group && res.version === version && (res.shortNames.includes(name) || res.singular === name));
  }

  /** Like {@link forKind}, but fails with a 404 ApiError-compatible coded error. */
  require(apiVersion: string, kind: string): ResourceInfo {
    const res = this.forKind(apiVersion, kind);
    if (!res) {
      throw new SkiffError('SKIFF_ERR_API_UNKNOWN_RESOURCE', `no kind "${kind}" is registered for version "${apiVersion}"`, { apiVersion, kind });
    }
    return res;
  }

  all(): ResourceInfo[] {
    return [...this.byKind.values()];
  }
}

/** The store key of an object: `/registry/<group|core>/<plural>/[<namespace>/]<name>`. */
export function storeKey(res: ResourceInfo, namespace: string | undefined, name: string): string {
  return `${storePrefix(res, namespace)}${name}`;
}

/** The store prefix holding a resource's objects, in one namespace or (namespace undefined) in all. */
export function storePrefix(res: ResourceInfo, namespace?: string): string {
  const base = `/registry/${res.group || 'core'}/${res.plural}/`;
  return res.namespaced && namespace ? `${base}${namespace}/` : base;
}
