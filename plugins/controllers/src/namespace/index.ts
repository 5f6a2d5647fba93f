/** The namespace controller: empties a terminating namespace, then finalizes it. */
export { namespaceController, NAMESPACE_CONDITIONS, type NamespaceControllerOptions } from './namespace-controller.js';

/** The plugin name of the namespace controller. */
export const NAMESPACE_CONTROLLER = 'Namespace';
