import {
  apiVersionOf,
  createController,
  definePlugin,
  enqueueRequestForObject,
  isApiError,
  NAMESPACE_FINALIZER,
  namespaceSpecFinalizers,
  type Cluster,
  type Controller,
  type Informer,
  type KubeObject,
  type Namespace,
  type NamespaceCondition,
  type Plugin,
  type ResourceInfo,
} from '@skiff/core';
import { Client, inProcessTransport } from '@skiff/sdk';

/** Options of {@link namespaceController}. */
export interface NamespaceControllerOptions {
  /** How soon a terminating namespace that still holds objects is looked at again. Default 1 000 ms. */
  recheckIntervalMs?: number;
  /** How many namespaces are emptied at once. Default 2. */
  workers?: number;
}

/** The conditions Kubernetes' namespace controller reports on a terminating namespace. */
export const NAMESPACE_CONDITIONS = {
  discoveryFailure: 'NamespaceDeletionDiscoveryFailure',
  contentFailure: 'NamespaceDeletionContentFailure',
  contentRemaining: 'NamespaceContentRemaining',
  finalizersRemaining: 'NamespaceFinalizersRemaining',
} as const;

/** What one pass over a terminating namespace found. */
interface Sweep {
  /** Objects still there, by resource (`<plural>.<group>`). */
  remaining: Map<string, number>;
  /** Finalizers still holding objects, with how many objects each holds. */
  finalizers: Map<string, number>;
  /** Errors from listing or deleting, one message per resource. */
  errors: string[];
}

/** The plugin behind {@link namespaceController}. */
const namespaceControllerPlugin = definePlugin<NamespaceControllerOptions>({
  name: 'Namespace',
  core: '^0.1.0',
  optionsSchema: {
    type: 'object',
    additionalProperties: false,
    properties: { recheckIntervalMs: { type: 'integer', minimum: 1 }, workers: { type: 'integer', minimum: 1 } },
  },
  apply(cluster, options) {
    let informer: Informer<Namespace> | undefined;
    let controller: Controller | undefined;
    cluster.addComponent({
      name: 'controller:Namespace',
      async start() {
        const client = new Client(inProcessTransport(cluster));
        const inf = client.resource('v1', 'Namespace').informer();
        informer = inf;
        const ctl = createController({
          name: 'Namespace',
          maxConcurrentReconciles: options?.workers ?? 2,
          reconcile: async (_ctx, req) => {
            const ns = inf.get(req.name);
            if (!ns?.metadata.deletionTimestamp || !namespaceSpecFinalizers(ns as unknown as KubeObject).includes(NAMESPACE_FINALIZER)) return;
            const done = await emptyNamespace(cluster, client, ns);
            return done ? undefined : { requeueAfterMs: options?.recheckIntervalMs ?? 1_000 };
          },
        });
        controller = ctl;
        inf.addEventHandler(enqueueRequestForObject(ctl));
        inf.start();
        await inf.waitForSync();
        ctl.start();
      },
      async stop() {
        informer?.stop();
        await controller?.stop();
      },
    });
  },
});

/**
 * The namespace controller: when a namespace is being deleted (the API marks it `Terminating`
 * while its `spec.finalizers` hold `kubernetes`), deletes every namespaced object in it — every
 * resource the API serves, custom resources included — with background propagation, waits until
 * none remain (objects held by finalizers are waited for), then removes `kubernetes` through the
 * `finalize` subresource so the API deletes the namespace. While it waits, or when listing or
 * deleting fails, it reports Kubernetes' conditions (`NamespaceContentRemaining`,
 * `NamespaceFinalizersRemaining`, `NamespaceDeletionContentFailure`,
 * `NamespaceDeletionDiscoveryFailure`) on the namespace's status. Idempotent: each pass lists
 * afresh through the API.
 */
export function namespaceController(options: NamespaceControllerOptions = {}): Plugin<NamespaceControllerOptions> {
  return namespaceControllerPlugin(options);
}

/** The namespaced resources to empty: one version of each `<group>/<plural>`. */
function namespacedResources(cluster: Cluster): ResourceInfo[] {
  const seen = new Map<string, ResourceInfo>();
  for (const res of cluster.resources.all()) {
    const key = `${res.group}/${res.plural}`;
    if (res.namespaced && !seen.has(key)) seen.set(key, res);
  }
  return [...seen.values()];
}

/** One pass: delete what is left, report conditions, finalize when empty. True once finalized. */
async function emptyNamespace(cluster: Cluster, client: Client, ns: Namespace): Promise<boolean> {
  const name = ns.metadata.name!;
  const sweep: Sweep = { remaining: new Map(), finalizers: new Map(), errors: [] };
  for (const res of namespacedResources(cluster)) await sweepResource(client, res, name, sweep);
  await reportConditions(client, name, sweep);
  if (sweep.errors.length > 0) throw new Error(`namespace ${name}: ${sweep.errors.join('; ')}`);
  if (sweep.remaining.size > 0) return false;
  await finalize(client, name);
  return true;
}

async function sweepResource(client: Client, res: ResourceInfo, namespace: string, sweep: Sweep): Promise<void> {
  const rc = client.resource(apiVersionOf(res), res.kind);
  const label = res.group ? `${res.plural}.${res.group}` : res.plural;
  let items: KubeObject[];
  try {
    items = (await rc.list({ namespace })).items as unknown as KubeObject[];
  } catch (err) {
    sweep.errors.push(`listing ${label}: ${(err as Error).message}`);
    return;
  }
  for (const item of items) {
    for (const f of item.metadata.finalizers ?? []) sweep.finalizers.set(f, (sweep.finalizers.get(f) ?? 0) + 1);
    if (item.metadata.deletionTimestamp) continue;
    try {
      await rc.delete(item.metadata.name!, { namespace, propagationPolicy: 'Background', preconditions: { uid: item.metadata.uid! } });
    } catch (err) {
      if (isApiError(err, 404) || isApiError(err, 409)) continue;
      sweep.errors.push(`deleting ${label} "${item.metadata.name}": ${(err as Error).message}`);
    }
  }
  if (items.length === 0) return;
  // Deleting may have removed them at once; count what is really left.
  try {
    const left = (await rc.list({ namespace })).items.length;
    if (left > 0) sweep.remaining.set(label, left);
  } catch (err) {
    sweep.errors.push(`listing ${label}: ${(err as Error).message}`);
  }
}

function condition(type: string, on: boolean, reason: string, message: string, previous: NamespaceCondition[]): NamespaceCondition {
  const status = on ? 'True' : 'False';
  const old = previous.find((c) => c.type === type);
  const lastTransitionTime = old && old.status === status && old.lastTransitionTime ? old.lastTransitionTime : new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
  return { type, status, lastTransitionTime, reason, message };
}

async function reportConditions(client: Client, name: string, sweep: Sweep): Promise<void> {
  const namespaces = client.resource('v1', 'Namespace');
  let ns: Namespace;
  try {
    ns = await namespaces.get(name);
  } catch (err) {
    if (isApiError(err, 404)) return;
    throw err;
  }
  const previous = ns.status?.conditions ?? [];
  const remaining = [...sweep.remaining].map(([res, n]) => `${res} has ${n} resource instances`).join(', ');
  const finalizers = [...sweep.finalizers].map(([f, n]) => `${f} in ${n} resource instances`).join(', ');
  const conditions = [
    condition(NAMESPACE_CONDITIONS.discoveryFailure, false, 'ResourcesDiscovered', 'All resources successfully discovered', previous),
    sweep.errors.length > 0
      ? condition(NAMESPACE_CONDITIONS.contentFailure, true, 'ContentDeletionFailed', `Failed to delete all resource types, ${sweep.errors.length} remaining: ${sweep.errors.join(', ')}`, previous)
      : condition(NAMESPACE_CONDITIONS.contentFailure, false, 'ContentDeleted', 'All content successfully deleted, may be waiting on finalization', previous),
    sweep.remaining.size > 0
      ? condition(NAMESPACE_CONDITIONS.contentRemaining, true, 'SomeResourcesRemain', `Some resources are remaining: ${remaining}`, previous)
      : condition(NAMESPACE_CONDITIONS.contentRemaining, false, 'ContentRemoved', 'All content successfully removed', previous),
    sweep.finalizers.size > 0 && sweep.remaining.size > 0
      ? condition(NAMESPACE_CONDITIONS.finalizersRemaining, true, 'SomeFinalizersRemain', `Some content in the namespace has finalizers remaining: ${finalizers}`, previous)
      : condition(NAMESPACE_CONDITIONS.finalizersRemaining, false, 'ContentHasNoFinalizers', 'All content-preserving finalizers finished', previous),
  ];
  const same = conditions.every((c) => previous.some((p) => p.type === c.type && p.status === c.status && p.reason === c.reason && p.message === c.message));
  if (same) return;
  const others = previous.filter((p) => !conditions.some((c) => c.type === p.type));
  try {
    await namespaces.updateStatus({ ...ns, status: { ...(ns.status ?? {}), conditions: [...others, ...conditions] } });
  } catch (err) {
    if (!isApiError(err, 404) && !isApiError(err, 409)) throw err;
  }
}

/** Removes `kubernetes` from spec.finalizers through the `finalize` subresource (the API then deletes the namespace). */
async function finalize(client: Client, name: string): Promise<void> {
  const namespaces = client.resource('v1', 'Namespace');
  try {
    const ns = await namespaces.get(name);
    const finalizers = namespaceSpecFinalizers(ns as unknown as KubeObject).filter((f) => f !== NAMESPACE_FINALIZER);
    const body = { ...ns, spec: { ...(ns.spec ?? {}), finalizers } } as unknown as KubeObject;
    // The SDK's Transport types only `status`; the API (in process and over HTTP) serves `finalize` for namespaces.
    const options = { subresource: 'finalize' } as unknown as { subresource: 'status' };
    await client.transport.update(await namespaces.info(), undefined, name, body, options);
  } catch (err) {
    if (!isApiError(err, 404)) throw err;
  }
}
