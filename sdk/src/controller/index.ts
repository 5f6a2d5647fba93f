export { defineController, controllerDefinitionOf, type ControllerFactory, type ControllerBaseContext, type ControllerContext, type ControllerDefinition, type ControllerSetupContext, type KindRef } from './define-controller.js';
export { startController, defaultComponent, type RunningController, type StartControllerOptions } from './start-controller.js';
export { SharedInformers, kindKey } from './shared-informers.js';
