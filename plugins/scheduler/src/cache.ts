import type { Node, Pod } from '@skiff/core';
import type { NodeInfo, PodInfo, Resources, Snapshot } from '@skiff/sdk';
import { addResources, emptyResources, nodeAllocatable, nonZeroRequests, podRequests } from './resources.js';

/** `namespace/name` of a pod. */
export function podKey(pod: Pod): string {
  return `${pod.metadata.namespace ?? ''}/${pod.metadata.name ?? ''}`;
}

class PodEntry implements PodInfo {
  constructor(
    readonly pod: Pod,
    readonly key: string,
    readonly requests: Resources,
    readonly nonZeroRequests: Resources,
    public assumed: boolean,
    public nodeName: string,
  ) {}
}

/** A node and what is on it; mutated only by {@link SchedulerCache}. */
export class NodeEntry implements NodeInfo {
  node: Node;
  present = false;
  readonly pods: PodEntry[] = [];
  readonly requested = emptyResources();
  readonly nonZeroRequested = emptyResources();
  allocatable: Resources = emptyResources();
  generation = 0;

  constructor(readonly name: string) {
    this.node = { apiVersion: 'v1', kind: 'Node', metadata: { name } };
  }

  add(entry: PodEntry): void {
    this.pods.push(entry);
    addResources(this.requested, entry.requests);
    addResources(this.nonZeroRequested, entry.nonZeroRequests);
  }

  remove(entry: PodEntry): void {
    const i = this.pods.indexOf(entry);
    if (i < 0) return;
    this.pods[i] = this.pods[this.pods.length - 1]!;
    this.pods.pop();
    addResources(this.requested, entry.requests, -1);
    addResources(this.nonZeroRequested, entry.nonZeroRequests, -1);
  }
}

/** True when the pod no longer holds node resources (Kubernetes' scheduler ignores terminal pods). */
export function isTerminal(pod: Pod): boolean {
  const phase = pod.status?.phase;
  return phase === 'Succeeded' || phase === 'Failed';
}

/**
 * The scheduler's cache: every node with the pods bound or assumed to it and their summed
 * requests. An assumed pod (chosen by a scheduling cycle, binding not yet observed) counts against
 * its node from the moment it is assumed until the informer shows the pod bound (it is then
 * confirmed), the pod is deleted, or the binding fails (`forget`). Because cycles run one at a
 * time and assume before yielding, no two cycles can place more than fits on a node.
 */
export class SchedulerCache implements Snapshot {
  private readonly nodes = new Map<string, NodeEntry>();
  private readonly pods = new Map<string, PodEntry>();
  private list: NodeEntry[] | undefined;
  private generation = 0;

  get size(): number {
    return this.nodeInfos().length;
  }

  nodeInfos(): readonly NodeEntry[] {
    if (!this.list) this.list = [...this.nodes.values()].filter((n) => n.present);
    return this.list;
  }

  nodeInfo(name: string): NodeEntry | undefined {
    const n = this.nodes.get(name);
    return n?.present ? n : undefined;
  }

  private entryFor(name: string): NodeEntry {
    let n = this.nodes.get(name);
    if (!n) {
      n = new NodeEntry(name);
      this.nodes.set(name, n);
    }
    return n;
  }

  private touch(n: NodeEntry): void {
    n.generation = ++this.generation;
  }

  setNode(node: Node): void {
    const n = this.entryFor(node.metadata.name ?? '');
    n.node = node;
    n.allocatable = nodeAllocatable(node);
    if (!n.present) {
      n.present = true;
      this.list = undefined;
    }
    this.touch(n);
  }

  removeNode(node: Node): void {
    const n = this.nodes.get(node.metadata.name ?? '');
    if (!n) return;
    n.present = false;
    this.list = undefined;
    if (n.pods.length === 0) this.nodes.delete(n.name);
    this.touch(n);
  }

  /** Whether a pod is assumed (bound by us, binding not yet observed). */
  isAssumed(key: string): boolean {
    return this.pods.get(key)?.assumed ?? false;
  }

  /** Counts `pod` against `nodeName` before its binding is written. */
  assume(pod: Pod, nodeName: string): void {
    const key = podKey(pod);
    this.removeKey(key);
    const requests = podRequests(pod);
    const entry = new PodEntry(pod, key, requests, nonZeroRequests(pod, requests), true, nodeName);
    this.pods.set(key, entry);
    const n = this.entryFor(nodeName);
    n.add(entry);
    this.touch(n);
  }

  /** Undoes `assume` (the binding failed). A pod that was meanwhile confirmed is left alone. */
  forget(pod: Pod): void {
    const key = podKey(pod);
    if (this.pods.get(key)?.assumed) this.removeKey(key);
  }

  /** A bound pod was observed (added or updated): confirm an assumed one, or add/replace it. */
  observeBound(pod: Pod): void {
    const key = podKey(pod);
    const nodeName = pod.spec?.nodeName ?? '';
    if (isTerminal(pod)) {
      this.removeKey(key);
      return;
    }
    const existing = this.pods.get(key);
    if (existing && existing.nodeName === nodeName && existing.pod.metadata.uid === pod.metadata.uid) {
      // Same placement: keep the counted requests (a running pod's requests do not change), refresh the object.
      const n = this.entryFor(nodeName);
      const entry = new PodEntry(pod, key, existing.requests, existing.nonZeroRequests, false, nodeName);
      const i = n.pods.indexOf(existing);
      if (i >= 0) n.pods[i] = entry;
      this.pods.set(key, entry);
      if (existing.assumed) this.touch(n);
      return;
    }
    this.removeKey(key);
    const requests = podRequests(pod);
    const entry = new PodEntry(pod, key, requests, nonZeroRequests(pod, requests), false, nodeName);
    this.pods.set(key, entry);
    const n = this.entryFor(nodeName);
    n.add(entry);
    this.touch(n);
  }

  /** The pod is gone (deleted, or finished). */
  removePod(pod: Pod): void {
    this.removeKey(podKey(pod));
  }

  private removeKey(key: string): void {
    const entry = this.pods.get(key);
    if (!entry) return;
    this.pods.delete(key);
    const n = this.nodes.get(entry.nodeName);
    if (!n) return;
    n.remove(entry);
    this.touch(n);
    if (!n.present && n.pods.length === 0) this.nodes.delete(n.name);
  }

  /** Every pod counted against a node (bound or assumed). */
  podCount(): number {
    return this.pods.size;
  }
}
