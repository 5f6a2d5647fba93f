// Node placement rules and resource quantities shared by the scheduler, the node agent and the controllers.
export { NODE_TAINTS, toleratesTaint, tolerated } from './taints.js';
export { nodeSelectorRequirementMatches, nodeSelectorTermMatches, podSpecMatchesNode } from './node-selector.js';
export { quantityMilli, quantityValue } from './quantity.js';
