import type { Container, Node, Pod, Quantity } from '@skiff/core';
import type { Resources } from '@skiff/sdk';
import { quantityMilli, quantityValue } from '@skiff/core';

/** Kubernetes' stand-ins for an absent request when scoring (`schedutil.DefaultMilliCPURequest`, `DefaultMemoryRequest`). */
export const DEFAULT_MILLI_CPU_REQUEST = 100;
export const DEFAULT_MEMORY_REQUEST = 200 * 1024 * 1024;

/** Zero of everything. */
export function emptyResources(): Resources {
  return { milliCPU: 0, memory: 0, ephemeralStorage: 0, pods: 0, scalar: {} };
}

/** Adds a resource list (`{ cpu: '100m', memory: '1Gi' }`) into `into`. */
function addList(into: Resources, list: Record<string, Quantity> | undefined): void {
  if (!list) return;
  for (const name in list) {
    const q = list[name]!;
    switch (name) {
      case 'cpu':
        into.milliCPU += quantityMilli(q);
        break;
      case 'memory':
        into.memory += quantityValue(q);
        break;
      case 'ephemeral-storage':
        into.ephemeralStorage += quantityValue(q);
        break;
      case 'pods':
        into.pods += quantityValue(q);
        break;
      default:
        into.scalar[name] = (into.scalar[name] ?? 0) + quantityValue(q);
    }
  }
}

/** `into += other`. */
export function addResources(into: Resources, other: Readonly<Resources>, sign = 1): void {
  into.milliCPU += sign * other.milliCPU;
  into.memory += sign * other.memory;
  into.ephemeralStorage += sign * other.ephemeralStorage;
  into.pods += sign * other.pods;
  for (const name in other.scalar) into.scalar[name] = (into.scalar[name] ?? 0) + sign * other.scalar[name]!;
}

function maxInto(into: Resources, other: Readonly<Resources>): void {
  into.milliCPU = Math.max(into.milliCPU, other.milliCPU);
  into.memory = Math.max(into.memory, other.memory);
  into.ephemeralStorage = Math.max(into.ephemeralStorage, other.ephemeralStorage);
  for (const name in other.scalar) into.scalar[name] = Math.max(into.scalar[name] ?? 0, other.scalar[name]!);
}

function containerRequests(c: Container): Resources {
  const r = emptyResources();
  addList(r, c.resources?.requests);
  return r;
}

/**
 * What a pod requests, as Kubernetes computes it (`resource.PodRequests`): the sum over its
 * containers, raised to the largest init container (each init container counted together with the
 * restartable "sidecar" init containers started before it, which also add to the sum), plus
 * `spec.overhead`. `pods` is 1.
 */
export function podRequests(pod: Pod): Resources {
  const spec = pod.spec;
  const reqs = emptyResources();
  for (const c of spec?.containers ?? []) addResources(reqs, containerRequests(c));
  const sidecars = emptyResources();
  const init = emptyResources();
  for (const c of spec?.initContainers ?? []) {
    const own = containerRequests(c);
    if (c.restartPolicy === 'Always') {
      addResources(reqs, own);
      addResources(sidecars, own);
      maxInto(init, sidecars);
    } else {
      addResources(own, sidecars);
      maxInto(init, own);
    }
  }
  maxInto(reqs, init);
  addList(reqs, spec?.overhead);
  reqs.pods = 1;
  return reqs;
}

/** {@link podRequests} with the scoring stand-ins for an absent cpu or memory request. */
export function nonZeroRequests(pod: Pod, requests: Readonly<Resources>): Resources {
  const out: Resources = { ...requests, scalar: { ...requests.scalar } };
  const declared = (name: string) =>
    (pod.spec?.containers ?? []).some((c) => c.resources?.requests?.[name] !== undefined) ||
    (pod.spec?.initContainers ?? []).some((c) => c.resources?.requests?.[name] !== undefined);
  if (requests.milliCPU === 0 && !declared('cpu')) out.milliCPU = DEFAULT_MILLI_CPU_REQUEST;
  if (requests.memory === 0 && !declared('memory')) out.memory = DEFAULT_MEMORY_REQUEST;
  return out;
}

/** A node's `status.allocatable` (or `capacity` when allocatable is absent), parsed. */
export function nodeAllocatable(node: Node): Resources {
  const r = emptyResources();
  addList(r, (node.status?.allocatable ?? node.status?.capacity) as Record<string, Quantity> | undefined);
  return r;
}
