import type { Pod } from '@skiff/core';
import type { Resources } from '@skiff/sdk';
import { stateKey, type CycleState } from '@skiff/sdk';
import { nonZeroRequests, podRequests } from '../resources.js';

const NON_ZERO = stateKey<Resources>('NodeResources/nonZeroRequests');

let lastState: CycleState | undefined;
let lastRequests: Resources | undefined;

/**
 * The pod's scoring requests (absent cpu/memory requests count as 100m/200Mi), computed once per
 * cycle and kept in the cycle state; the last cycle's are also remembered here, since Score runs
 * for many nodes in a row.
 */
export function scoringRequests(state: CycleState, pod: Pod): Resources {
  if (state === lastState && lastRequests) return lastRequests;
  let r = state.read(NON_ZERO);
  if (!r) {
    r = nonZeroRequests(pod, podRequests(pod));
    state.write(NON_ZERO, r);
  }
  lastState = state;
  lastRequests = r;
  return r;
}
