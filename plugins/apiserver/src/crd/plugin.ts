import { apiErrors, definePlugin, isApiError, type Cluster, type KubeObject, type ResourceInfo } from '@skiff/core';
import { crdProblems, servedVersions, type ServedVersion } from './crd-resources.js';
import { CRD_GROUP, crdResource, crdSchema } from './crd-kind.js';

/** The finalizer that holds a definition until every object of it is deleted, as in Kubernetes. */
export const CRD_CLEANUP_FINALIZER = 'customresourcecleanup.apiextensions.k8s.io';

const apiVersionOf = (r: Pick<ResourceInfo, 'group' | 'version'>) => (r.group ? `${r.group}/${r.version}` : r.version);

/**
 * Keeps the API serving what CustomResourceDefinitions define. A created definition is served at
 * once (its resources and `openAPIV3Schema` are registered synchronously when it is stored), gets
 * `Established` and `NamesAccepted` conditions, and on deletion its objects are deleted before
 * the definition goes. Definitions already stored are served again when the cluster starts.
 */
class CrdServer {
  private readonly applied = new Map<string, { key: string; served: ServedVersion[] }>();
  private readonly pending = new Set<Promise<unknown>>();
  private running = false;

  constructor(private readonly cluster: Cluster) {}

  /** Owner (definition name) of each served plural, to refuse two definitions claiming one. */
  owner(group: string, plural: string): string | undefined {
    for (const [name, entry] of this.applied) if (entry.served.some((s) => s.res.group === group && s.res.plural === plural)) return name;
    return undefined;
  }

  sync(crd: KubeObject): void {
    const name = crd.metadata.name!;
    const served = servedVersions(crd);
    const key = JSON.stringify(served);
    if (this.applied.get(name)?.key === key) return;
    this.forget(name);
    for (const { res, schema } of served) {
      this.cluster.resources.add(res);
      if (schema) this.cluster.schemas.register({ group: res.group, version: res.version, kind: res.kind }, schema);
    }
    this.applied.set(name, { key, served });
  }

  forget(name: string): void {
    for (const { res } of this.applied.get(name)?.served ?? []) {
      this.cluster.resources.remove(apiVersionOf(res), res.kind);
      this.cluster.schemas.unregister(apiVersionOf(res), res.kind);
    }
    this.applied.delete(name);
  }

  /** Runs follow-up writes in the background while the cluster runs; errors are reported, not thrown. */
  later(task: () => Promise<void>): void {
    if (!this.running) return;
    const p = task().catch((err: unknown) => {
      if (this.running && !isApiError(err, 404) && !isApiError(err, 409)) console.error(`skiff: CustomResourceDefinitions: ${(err as Error).message}`);
    });
    this.pending.add(p);
    void p.finally(() => this.pending.delete(p));
  }

  changed(type: 'ADDED' | 'MODIFIED' | 'DELETED', crd: KubeObject): void {
    if (type === 'DELETED') {
      this.forget(crd.metadata.name!);
      return;
    }
    this.sync(crd);
    if (crd.metadata.deletionTimestamp) this.later(() => this.cleanUp(crd));
    else if (!isEstablished(crd)) this.later(() => this.establish(crd.metadata.name!));
  }

  private async establish(name: string): Promise<void> {
    const current = await this.cluster.api.get(crdResource, undefined, name);
    if (isEstablished(current)) return;
    const spec = current['spec'] as { names: object; versions: { name: string; storage: boolean }[] };
    const now = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
    const status = {
      conditions: [
        { type: 'NamesAccepted', status: 'True', reason: 'NoConflicts', message: 'no conflicts found', lastTransitionTime: now },
        { type: 'Established', status: 'True', reason: 'InitialNamesAccepted', message: 'the initial names have been accepted', lastTransitionTime: now },
      ],
      acceptedNames: spec.names,
      storedVersions: spec.versions.filter((v) => v.storage).map((v) => v.name),
    };
    await this.cluster.api.update(crdResource, undefined, name, { ...current, status }, { subresource: 'status' });
  }

  private async cleanUp(crd: KubeObject): Promise<void> {
    for (const { res } of servedVersions(crd).slice(0, 1)) {
      const list = await this.cluster.api.list(res, undefined);
      for (const item of list.items) await this.cluster.api.delete(res, item.metadata.namespace, item.metadata.name!).catch(() => undefined);
    }
    const current = await this.cluster.api.get(crdResource, undefined, crd.metadata.name!);
    const finalizers = (current.metadata.finalizers ?? []).filter((f) => f !== CRD_CLEANUP_FINALIZER);
    await this.cluster.api.update(crdResource, undefined, crd.metadata.name!, { ...current, metadata: { ...current.metadata, finalizers } });
  }

  async start(): Promise<void> {
    this.running = true;
    const list = await this.cluster.api.list(crdResource, undefined);
    for (const crd of list.items) this.changed('MODIFIED', crd);
  }

  async stop(): Promise<void> {
    this.running = false;
    await Promise.allSettled([...this.pending]);
  }
}

function isEstablished(crd: KubeObject): boolean {
  const conditions = ((crd['status'] as { conditions?: { type: string; status: string }[] } | undefined)?.conditions ?? []);
  return conditions.some((c) => c.type === 'Established' && c.status === 'True');
}

/** Serves apiextensions.k8s.io/v1 CustomResourceDefinitions and the resources they define. */
export const customResourceDefinitions = definePlugin({
  name: 'CustomResourceDefinitions',
  core: '^0.1.0',
  apply(cluster) {
    cluster.resources.add(crdResource);
    cluster.schemas.register({ group: CRD_GROUP, version: 'v1', kind: 'CustomResourceDefinition' }, crdSchema as unknown as Record<string, unknown>);
    const server = new CrdServer(cluster);
    cluster.hooks.mutatingAdmission.for('CustomResourceDefinition').tap('CustomResourceDefinitions', (obj, req) => {
      if (req.operation !== 'CREATE' || req.group !== CRD_GROUP) return obj;
      const finalizers = obj.metadata.finalizers ?? [];
      return finalizers.includes(CRD_CLEANUP_FINALIZER) ? obj : { ...obj, metadata: { ...obj.metadata, finalizers: [...finalizers, CRD_CLEANUP_FINALIZER] } };
    });
    cluster.hooks.validatingAdmission.for('CustomResourceDefinition').tap('CustomResourceDefinitions', (obj, req) => {
      if (req.group !== CRD_GROUP || req.operation === 'DELETE') return;
      const causes = crdProblems(obj);
      const spec = obj['spec'] as { group: string; names: { plural: string } };
      const owner = server.owner(spec.group, spec.names.plural);
      const builtin = !owner && cluster.resources.all().some((r) => r.group === spec.group && r.plural === spec.names.plural);
      if ((owner && owner !== obj.metadata.name) || builtin) {
        causes.push({ field: 'spec.names.plural', reason: 'FieldValueInvalid', message: `Invalid value: ${JSON.stringify(spec.names.plural)}: is already served in group ${spec.group}` });
      }
      if (causes.length > 0) throw apiErrors.invalid({ group: CRD_GROUP, kind: 'CustomResourceDefinition', ...(obj.metadata.name ? { name: obj.metadata.name } : {}) }, causes);
    });
    cluster.hooks.objectChanged.tap('CustomResourceDefinitions', (event) => {
      if (event.group === CRD_GROUP && event.resource === crdResource.plural) server.changed(event.type, event.object);
    });
    cluster.addComponent({ name: 'CustomResourceDefinitions', start: () => server.start(), stop: () => server.stop() });
  },
});
