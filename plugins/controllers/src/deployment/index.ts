export { deploymentController, DEPLOYMENT_WORKERS } from './controller.js';
export { DeploymentSync, type DeploymentState } from './sync.js';
export { ANNOTATIONS as DEPLOYMENT_ANNOTATIONS, CONDITIONS as DEPLOYMENT_CONDITIONS, REASONS as DEPLOYMENT_REASONS, POD_TEMPLATE_HASH_LABEL } from './types.js';
export { podTemplateHash } from './replica-sets.js';
export { resolveFenceposts, equalIgnoreHash } from './util.js';
