/** The endpoints controller: an Endpoints object per selecting Service, following pod readiness. */
export { endpointsController, ENDPOINTS_MANAGED_BY_LABEL, ENDPOINTS_MANAGER, type EndpointsControllerOptions } from './endpoints-controller.js';
export { endpointSubsets, findPort } from './subsets.js';

/** The plugin name of the endpoints controller. */
export const ENDPOINTS_CONTROLLER = 'Endpoints';
