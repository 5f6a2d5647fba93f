import type { CycleState, Resources } from '@skiff/sdk';
import { Statuses, defineSchedulerPlugin, stateKey } from '@skiff/sdk';
import type { Pod } from '@skiff/core';
import { podRequests } from '../resources.js';

/** The pod's requests in the shape Filter checks fastest. */
interface Fit {
  milliCPU: number;
  memory: number;
  ephemeralStorage: number;
  scalarNames: string[];
  scalarValues: number[];
  zero: boolean;
}

const FIT = stateKey<Fit>('NodeResourcesFit/requests');

function toFit(r: Resources): Fit {
  const scalarNames: string[] = [];
  const scalarValues: number[] = [];
  for (const name of Object.keys(r.scalar)) {
    if (r.scalar[name]! > 0) {
      scalarNames.push(name);
      scalarValues.push(r.scalar[name]!);
    }
  }
  return { milliCPU: r.milliCPU, memory: r.memory, ephemeralStorage: r.ephemeralStorage, scalarNames, scalarValues, zero: r.milliCPU === 0 && r.memory === 0 && r.ephemeralStorage === 0 && scalarNames.length === 0 };
}

/**
 * Filter: the pod's requests (Kubernetes' effective requests: containers, init containers and
 * sidecars, overhead) must fit in what the node has left: `status.allocatable` minus the requests
 * of the pods bound or assumed to it, for cpu, memory, ephemeral-storage and extended resources,
 * and one more pod must fit under `allocatable.pods`. Reasons: `Too many pods`,
 * `Insufficient cpu`, `Insufficient memory`, `Insufficient ephemeral-storage`,
 * `Insufficient <resource>` (all that apply).
 */
export const nodeResourcesFit = defineSchedulerPlugin({
  name: 'NodeResourcesFit',
  create: () => {
    // Filter runs for many nodes per cycle: remember the last cycle's requests to skip the lookup.
    let lastState: CycleState | undefined;
    let lastFit: Fit | undefined;
    const fitOf = (state: CycleState, pod: Pod): Fit => {
      if (state === lastState && lastFit) return lastFit;
      let fit = state.read(FIT);
      if (!fit) {
        fit = toFit(podRequests(pod));
        state.write(FIT, fit);
      }
      lastState = state;
      lastFit = fit;
      return fit;
    };
    return {
      preFilter(state, pod) {
        state.write(FIT, toFit(podRequests(pod)));
        return undefined;
      },
      filter(state, pod, nodeInfo) {
        const req = fitOf(state, pod);
        const alloc = nodeInfo.allocatable;
        const used = nodeInfo.requested;
        let reasons: string[] | undefined;
        if (nodeInfo.pods.length + 1 > alloc.pods) reasons = ['Too many pods'];
        if (req.zero) return reasons ? Statuses.unschedulable(...reasons) : undefined;
        if (req.milliCPU > 0 && req.milliCPU > alloc.milliCPU - used.milliCPU) (reasons ??= []).push('Insufficient cpu');
        if (req.memory > 0 && req.memory > alloc.memory - used.memory) (reasons ??= []).push('Insufficient memory');
        if (req.ephemeralStorage > 0 && req.ephemeralStorage > alloc.ephemeralStorage - used.ephemeralStorage) (reasons ??= []).push('Insufficient ephemeral-storage');
        for (let i = 0; i < req.scalarNames.length; i++) {
          const name = req.scalarNames[i]!;
          if (req.scalarValues[i]! > (alloc.scalar[name] ?? 0) - (used.scalar[name] ?? 0)) (reasons ??= []).push(`Insufficient ${name}`);
        }
        return reasons ? Statuses.unschedulable(...reasons) : undefined;
      },
    };
  },
});
