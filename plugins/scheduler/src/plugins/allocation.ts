import type { Pod } from '@skiff/core';
import type { NodeInfo, Resources } from '@skiff/sdk';
import { stateKey, type CycleState } from '@skiff/sdk';
import { nonZeroRequests, podRequests } from '../resources.js';

const NON_ZERO = stateKey<Resources>('NodeResources/nonZeroRequests');

/** The pod's scoring requests, computed once per cycle. */
export function scoringRequests(state: CycleState, pod: Pod): Resources {
  let r = state.read(NON_ZERO);
  if (!r) {
    r = nonZeroRequests(pod, podRequests(pod));
    state.write(NON_ZERO, r);
  }
  return r;
}

/** Requested (with the pod) and allocatable cpu and memory of a node, for scoring. */
export function usage(state: CycleState, pod: Pod, nodeInfo: NodeInfo): { cpu: number; cpuAlloc: number; mem: number; memAlloc: number } {
  const r = scoringRequests(state, pod);
  return {
    cpu: nodeInfo.nonZeroRequested.milliCPU + r.milliCPU,
    cpuAlloc: nodeInfo.allocatable.milliCPU,
    mem: nodeInfo.nonZeroRequested.memory + r.memory,
    memAlloc: nodeInfo.allocatable.memory,
  };
}
