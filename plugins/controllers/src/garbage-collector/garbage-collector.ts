import {
  apiVersionOf,
  createController,
  definePlugin,
  isApiError,
  type Cluster,
  type Controller,
  type Informer,
  type ObjectBase,
  type OwnerReferenceLike,
  type Plugin,
  type ResourceInfo,
} from '@skiff/core';
import { Client, inProcessTransport } from '@skiff/sdk';
import { OwnershipGraph, type GraphNode, type ResourceKey } from './graph.js';

/** Options of {@link garbageCollector}. */
export interface GarbageCollectorOptions {
  /** How often the served resources are looked at again, to watch kinds added later (custom resources). Default 1 000 ms. */
  discoveryIntervalMs?: number;
  /** How many objects are processed at once. Default 4. */
  workers?: number;
  /** Resources (`<group>/<plural>`, core group as `''`, e.g. `/events`) never watched. Default: Events, as Kubernetes ignores them. */
  ignoredResources?: string[];
}

/** The finalizer of an owner deleted with `propagationPolicy: Orphan`. */
export const ORPHAN_FINALIZER = 'orphan';
/** The finalizer of an owner deleted with `propagationPolicy: Foreground`. */
export const FOREGROUND_FINALIZER = 'foregroundDeletion';

const DEFAULT_IGNORED = ['/events', 'events.k8s.io/events'];

const resourceKey = (res: Pick<ResourceInfo, 'group' | 'plural'>): ResourceKey => `${res.group}/${res.plural}`;
const cacheKey = (node: Pick<GraphNode, 'namespace' | 'name'>) => (node.namespace ? `${node.namespace}/${node.name}` : node.name);

/** What an owner reference points at, as seen from its dependent. */
type OwnerState = 'solid' | 'dangling' | 'waiting';

/** The plugin behind {@link garbageCollector}. */
const garbageCollectorPlugin = definePlugin<GarbageCollectorOptions>({
  name: 'GarbageCollector',
  core: '^0.1.0',
  optionsSchema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      discoveryIntervalMs: { type: 'integer', minimum: 10 },
      workers: { type: 'integer', minimum: 1 },
      ignoredResources: { type: 'array', items: { type: 'string' } },
    },
  },
  apply(cluster, options) {
    let gc: GarbageCollector | undefined;
    cluster.addComponent({
      name: 'controller:GarbageCollector',
      async start() {
        gc = new GarbageCollector(cluster, options ?? {});
        await gc.start();
      },
      async stop() {
        await gc?.stop();
      },
    });
  },
});

/**
 * The garbage collector: keeps a graph of `ownerReferences` across every resource the API serves
 * (one informer per resource, custom resources included as they appear) and acts as Kubernetes'
 * garbage collector does:
 *
 * - **Background**: an object all of whose owners are gone (an owner counts as gone when no
 *   object of its kind and name exists with the referenced uid — checked against the API when the
 *   graph does not know it) is deleted with `propagationPolicy: Background` (and a uid
 *   precondition). An object with some owner still present only loses the references to the gone
 *   ones.
 * - **Foreground**: an owner being deleted with the `foregroundDeletion` finalizer gets its
 *   dependents deleted (dependents with their own dependents in foreground); once none of those
 *   whose reference has `blockOwnerDeletion: true` remain, the finalizer is removed and the API
 *   finishes the deletion.
 * - **Orphan**: an owner being deleted with the `orphan` finalizer has its reference removed from
 *   every dependent (matched by uid), then the finalizer removed.
 *
 * Events are not watched (as in Kubernetes). Level-triggered: every decision re-reads the graph
 * and, for owners it does not know, the API; writes go through the API with uid or
 * resourceVersion preconditions, and conflicts are retried with backoff.
 */
export function garbageCollector(options: GarbageCollectorOptions = {}): Plugin<GarbageCollectorOptions> {
  return garbageCollectorPlugin(options);
}

/** The running collector of one cluster (see {@link garbageCollector}). */
export class GarbageCollector {
  readonly graph = new OwnershipGraph();
  private readonly client: Client;
  private readonly informers = new Map<ResourceKey, { res: ResourceInfo; informer: Informer<ObjectBase> }>();
  private readonly ignored: Set<string>;
  private readonly controller: Controller;
  private timer: NodeJS.Timeout | undefined;
  private seenGeneration = -1;

  constructor(
    private readonly cluster: Cluster,
    private readonly options: GarbageCollectorOptions,
  ) {
    this.client = new Client(inProcessTransport(cluster));
    this.ignored = new Set(options.ignoredResources ?? DEFAULT_IGNORED);
    this.controller = createController({
      name: 'GarbageCollector',
      maxConcurrentReconciles: options.workers ?? 4,
      reconcile: (_ctx, req) => this.process(req.name),
    });
  }

  async start(): Promise<void> {
    this.discover();
    await Promise.all([...this.informers.values()].map(({ informer }) => informer.waitForSync()));
    this.controller.start();
    this.timer = setInterval(() => this.discover(), this.options.discoveryIntervalMs ?? 1_000);
    this.timer.unref?.();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    for (const { informer } of this.informers.values()) informer.stop();
    await this.controller.stop();
  }

  /** Starts informers for resources served since the last look, stops those no longer served. */
  private discover(): void {
    const generation = this.cluster.resources.generation;
    if (generation === this.seenGeneration) return;
    this.seenGeneration = generation;
    const served = new Map<ResourceKey, ResourceInfo>();
    for (const res of this.cluster.resources.all()) {
      const key = resourceKey(res);
      if (!this.ignored.has(key) && !served.has(key)) served.set(key, res);
    }
    for (const [key, { informer }] of this.informers) {
      if (served.has(key)) continue;
      informer.stop();
      this.informers.delete(key);
      for (const node of this.graph.ofResource(key)) this.onDelete(node.uid);
    }
    for (const [key, res] of served) {
      if (this.informers.has(key)) continue;
      const informer = this.client.resource(apiVersionOf(res), res.kind).informer() as unknown as Informer<ObjectBase>;
      informer.addEventHandler({
        add: (obj) => this.onUpsert(obj, key),
        update: (_old, obj) => this.onUpsert(obj, key),
        delete: (obj) => {
          if (obj.metadata.uid) this.onDelete(obj.metadata.uid);
        },
      });
      this.informers.set(key, { res, informer });
      informer.start();
    }
  }

  private enqueue(uid: string): void {
    this.controller.enqueue({ name: uid });
  }

  private onUpsert(obj: ObjectBase, resource: ResourceKey): void {
    const uid = obj.metadata.uid;
    if (!uid) return;
    const previous = this.graph.upsert(obj, resource);
    const node = this.graph.get(uid)!;
    const finalizers = node.finalizers;
    if (node.deleting && (finalizers.includes(ORPHAN_FINALIZER) || finalizers.includes(FOREGROUND_FINALIZER))) this.enqueue(uid);
    // A dependent whose owner is unknown or waiting for its dependents needs a decision.
    for (const ref of node.owners) {
      const owner = this.graph.get(ref.uid);
      if (!owner || (owner.deleting && owner.finalizers.includes(FOREGROUND_FINALIZER))) {
        this.enqueue(uid);
        break;
      }
    }
    // Owners waiting for their dependents look again when one changes (deleted, or its reference dropped).
    for (const ref of [...(previous?.owners ?? []), ...node.owners]) {
      if (this.graph.get(ref.uid)?.deleting) this.enqueue(ref.uid);
    }
  }

  private onDelete(uid: string): void {
    const node = this.graph.remove(uid);
    for (const dependent of this.graph.dependents(uid)) this.enqueue(dependent);
    for (const ref of node?.owners ?? []) {
      if (this.graph.get(ref.uid)?.deleting) this.enqueue(ref.uid);
    }
  }

  /** The cached object of a graph node (undefined when gone or replaced by another uid). */
  private cached(node: GraphNode): ObjectBase | undefined {
    const obj = this.informers.get(node.resource)?.informer.get(cacheKey(node));
    return obj && obj.metadata.uid === node.uid ? obj : undefined;
  }

  private async process(uid: string): Promise<void> {
    const node = this.graph.get(uid);
    if (!node) return;
    const obj = this.cached(node);
    if (!obj) return;
    if (obj.metadata.deletionTimestamp) {
      const finalizers = obj.metadata.finalizers ?? [];
      if (finalizers.includes(ORPHAN_FINALIZER)) return this.orphanDependents(node);
      if (finalizers.includes(FOREGROUND_FINALIZER)) return this.deleteDependentsFirst(node);
      return;
    }
    if (node.owners.length > 0) await this.attemptToDelete(node);
  }

  /** Orphan: drop the owner's reference from each dependent, then the `orphan` finalizer. */
  private async orphanDependents(owner: GraphNode): Promise<void> {
    for (const uid of this.graph.dependents(owner.uid)) {
      const dependent = this.graph.get(uid);
      if (dependent) await this.removeOwnerReferences(dependent, new Set([owner.uid]));
    }
    await this.removeFinalizer(owner, ORPHAN_FINALIZER);
  }

  /** Foreground: delete the dependents; remove `foregroundDeletion` once no blocking dependent remains. */
  private async deleteDependentsFirst(owner: GraphNode): Promise<void> {
    let blocking = 0;
    for (const uid of this.graph.dependents(owner.uid)) {
      const dependent = this.graph.get(uid);
      if (!dependent) continue;
      const ref = dependent.owners.find((o) => o.uid === owner.uid);
      if (ref?.blockOwnerDeletion) blocking++;
      if (!dependent.deleting) this.enqueue(uid);
    }
    if (blocking === 0) await this.removeFinalizer(owner, FOREGROUND_FINALIZER);
  }

  /** Background: delete an object whose owners are all gone (or waiting for it); drop references to gone owners otherwise. */
  private async attemptToDelete(node: GraphNode): Promise<void> {
    const states = await Promise.all(node.owners.map(async (ref) => ({ ref, state: await this.ownerState(ref, node) })));
    const solid = states.filter((s) => s.state === 'solid');
    const stale = states.filter((s) => s.state !== 'solid');
    if (stale.length === 0) return;
    if (solid.length > 0) {
      await this.removeOwnerReferences(node, new Set(stale.map((s) => s.ref.uid)));
      return;
    }
    const waiting = states.some((s) => s.state === 'waiting');
    const finalizers = node.finalizers;
    const policy =
      waiting && this.graph.dependents(node.uid).length > 0
        ? 'Foreground'
        : finalizers.includes(ORPHAN_FINALIZER)
          ? 'Orphan'
          : finalizers.includes(FOREGROUND_FINALIZER)
            ? 'Foreground'
            : 'Background';
    await this.deleteObject(node, policy);
  }

  /** Whether an owner reference of `dependent` names a live owner, a gone one, or one deleting in foreground. */
  private async ownerState(ref: OwnerReferenceLike, dependent: GraphNode): Promise<OwnerState> {
    const known = this.graph.get(ref.uid);
    let owner: ObjectBase | undefined;
    if (known && (known.namespace === undefined || known.namespace === dependent.namespace)) {
      owner = this.cached(known);
    }
    if (!owner) {
      const res = this.cluster.resources.forKind(ref.apiVersion, ref.kind);
      // A kind the API does not serve cannot be verified: keep the dependent, as deleting on doubt loses data.
      if (!res) return 'solid';
      // A cluster-scoped dependent cannot have a namespaced owner: Kubernetes treats the reference as unresolvable and never collects it.
      if (res.namespaced && !dependent.namespace) return 'solid';
      try {
        owner = await this.client.resource(ref.apiVersion, ref.kind).get(ref.name, res.namespaced ? { namespace: dependent.namespace! } : {});
      } catch (err) {
        if (isApiError(err, 404)) return 'dangling';
        throw err;
      }
      if (owner.metadata.uid !== ref.uid) return 'dangling';
    }
    if (owner.metadata.deletionTimestamp && (owner.metadata.finalizers ?? []).includes(FOREGROUND_FINALIZER)) return 'waiting';
    return 'solid';
  }

  private scope(node: GraphNode): { namespace?: string } {
    return node.namespace ? { namespace: node.namespace } : {};
  }

  private async deleteObject(node: GraphNode, propagationPolicy: 'Background' | 'Foreground' | 'Orphan'): Promise<void> {
    try {
      await this.client.resource(node.apiVersion, node.kind).delete(node.name, { ...this.scope(node), propagationPolicy, preconditions: { uid: node.uid } });
    } catch (err) {
      if (isApiError(err, 404) || isApiError(err, 409)) return; // gone, or another object now has the name
      throw err;
    }
  }

  /** Removes references to `ownerUids` from the dependent's stored ownerReferences (resourceVersion precondition). */
  private async removeOwnerReferences(node: GraphNode, ownerUids: Set<string>): Promise<void> {
    await this.patchFresh(node, (obj) => {
      const refs = obj.metadata.ownerReferences ?? [];
      const kept = refs.filter((r) => !ownerUids.has(r.uid));
      return kept.length === refs.length ? undefined : { ownerReferences: kept.length > 0 ? kept : null };
    });
  }

  private async removeFinalizer(node: GraphNode, finalizer: string): Promise<void> {
    await this.patchFresh(node, (obj) => {
      const finalizers = obj.metadata.finalizers ?? [];
      if (!finalizers.includes(finalizer)) return undefined;
      const kept = finalizers.filter((f) => f !== finalizer);
      return { finalizers: kept.length > 0 ? kept : null };
    });
  }

  /** Reads the object, and merge-patches `metadata` with what `change` returns (nothing: no write), guarded by uid and resourceVersion. */
  private async patchFresh(node: GraphNode, change: (obj: ObjectBase) => Record<string, unknown> | undefined): Promise<void> {
    const rc = this.client.resource(node.apiVersion, node.kind);
    try {
      const obj = await rc.get(node.name, this.scope(node));
      if (obj.metadata.uid !== node.uid) return;
      const metadata = change(obj);
      if (!metadata) return;
      await rc.patch(node.name, { metadata: { ...metadata, uid: node.uid, resourceVersion: obj.metadata.resourceVersion } }, this.scope(node));
    } catch (err) {
      if (isApiError(err, 404)) return;
      throw err;
    }
  }
}
