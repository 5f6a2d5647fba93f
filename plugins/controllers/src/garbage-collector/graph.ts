import type { ObjectBase, OwnerReferenceLike } from '@skiff/core';

/** Which API resource an object belongs to: `<group>/<plural>` (versions of one resource share it). */
export type ResourceKey = string;

/** One object in the ownership graph. */
export interface GraphNode {
  uid: string;
  apiVersion: string;
  kind: string;
  namespace?: string;
  name: string;
  resource: ResourceKey;
  owners: OwnerReferenceLike[];
  /** Being deleted (`deletionTimestamp` set). */
  deleting: boolean;
  finalizers: string[];
}

/**
 * The ownership graph: every object the collector watches, by uid, and for each owner uid the uids
 * of the objects whose `ownerReferences` name it (owners need not exist: a dependent of a vanished
 * owner is exactly what the collector looks for). Not thread-safe by design: it is fed from
 * informer handlers on the one event loop.
 */
export class OwnershipGraph {
  private readonly nodes = new Map<string, GraphNode>();
  private readonly dependentsOf = new Map<string, Set<string>>();

  get(uid: string): GraphNode | undefined {
    return this.nodes.get(uid);
  }

  /** Uids of the objects naming `ownerUid` in their ownerReferences. */
  dependents(ownerUid: string): string[] {
    return [...(this.dependentsOf.get(ownerUid) ?? [])];
  }

  /** Adds or replaces the node of `obj`; returns the previous node (if any). */
  upsert(obj: ObjectBase, resource: ResourceKey): GraphNode | undefined {
    const uid = obj.metadata.uid;
    if (!uid) return undefined;
    const previous = this.nodes.get(uid);
    if (previous) this.unlinkOwners(previous);
    const node: GraphNode = {
      uid,
      apiVersion: obj.apiVersion,
      kind: obj.kind,
      name: obj.metadata.name ?? '',
      resource,
      owners: [...(obj.metadata.ownerReferences ?? [])],
      deleting: Boolean(obj.metadata.deletionTimestamp),
      finalizers: [...(obj.metadata.finalizers ?? [])],
    };
    if (obj.metadata.namespace) node.namespace = obj.metadata.namespace;
    this.nodes.set(uid, node);
    for (const owner of node.owners) {
      let set = this.dependentsOf.get(owner.uid);
      if (!set) this.dependentsOf.set(owner.uid, (set = new Set()));
      set.add(uid);
    }
    return previous;
  }

  /** Removes the node of `uid`; returns it (if it was there). */
  remove(uid: string): GraphNode | undefined {
    const node = this.nodes.get(uid);
    if (!node) return undefined;
    this.unlinkOwners(node);
    this.nodes.delete(uid);
    return node;
  }

  /** Every node of one resource (to drop a resource that is no longer served). */
  ofResource(resource: ResourceKey): GraphNode[] {
    return [...this.nodes.values()].filter((n) => n.resource === resource);
  }

  get size(): number {
    return this.nodes.size;
  }

  private unlinkOwners(node: GraphNode): void {
    for (const owner of node.owners) {
      const set = this.dependentsOf.get(owner.uid);
      if (!set) continue;
      set.delete(node.uid);
      if (set.size === 0) this.dependentsOf.delete(owner.uid);
    }
  }
}
