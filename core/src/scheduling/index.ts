// Node placement rules shared by the scheduler and the controllers (DaemonSet, node lifecycle).
export { NODE_TAINTS, toleratesTaint, tolerated } from './taints.js';
export { nodeSelectorRequirementMatches, nodeSelectorTermMatches, podSpecMatchesNode } from './node-selector.js';
