import type { Node, Pod } from '@skiff/core';

/**
 * Resource amounts in the scheduler's units: `milliCPU` (1 cpu = 1000), `memory` and
 * `ephemeralStorage` in bytes, `pods` as a count, and any other resource (extended resources such
 * as `example.com/gpu`) by name in `scalar`, as integers of its quantity.
 */
export interface Resources {
  milliCPU: number;
  memory: number;
  ephemeralStorage: number;
  pods: number;
  scalar: Record<string, number>;
}

/** A pod as the scheduler holds it: the object and its computed requests. */
export interface PodInfo {
  readonly pod: Pod;
  /** `namespace/name`. */
  readonly key: string;
  /** What the pod requests (Kubernetes' effective requests: containers, init containers, overhead). */
  readonly requests: Readonly<Resources>;
  /** `requests` with 100m cpu / 200Mi memory standing in for an absent cpu / memory request (for scoring). */
  readonly nonZeroRequests: Readonly<Resources>;
  /** True while the scheduler has chosen this node but has not yet seen the binding. */
  readonly assumed: boolean;
}

/**
 * One node as the scheduler sees it: the Node object, the pods bound (or assumed) to it and the
 * sum of their requests. Plugins must treat it as read-only; the framework updates it.
 */
export interface NodeInfo {
  readonly name: string;
  readonly node: Node;
  readonly pods: readonly PodInfo[];
  /** The sum of the requests of `pods`. */
  readonly requested: Readonly<Resources>;
  /**
   * As `requested`, but counting a pod that requests no cpu (memory) as 100m (200Mi), as
   * Kubernetes' scoring does so that best-effort pods still spread.
   */
  readonly nonZeroRequested: Readonly<Resources>;
  /** `status.allocatable` (or `status.capacity` when allocatable is absent), parsed. */
  readonly allocatable: Readonly<Resources>;
  /** Grows whenever the node or its pods change. */
  readonly generation: number;
}

/** The scheduler's view of the cluster during a cycle. */
export interface Snapshot {
  /** Every node, in a stable order. */
  nodeInfos(): readonly NodeInfo[];
  nodeInfo(name: string): NodeInfo | undefined;
  /** The number of nodes. */
  readonly size: number;
}
