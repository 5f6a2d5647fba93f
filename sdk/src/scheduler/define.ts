import { Ajv, type ValidateFunction } from 'ajv';
import { SkiffError } from '@skiff/core';
import type { SchedulerPlugin } from './extension-points.js';
import type { SchedulerHandle } from './handle.js';

/**
 * A scheduler plugin definition: its name, the JSON Schema of its args, and a factory that makes
 * one instance per profile it is enabled in.
 */
export interface SchedulerPluginDefinition<Args = void> {
  /** PascalCase, unique among the scheduler's plugins (e.g. `NodeResourcesFit`). */
  readonly name: string;
  /** JSON Schema the args are validated against (defaults applied) when the scheduler starts. */
  readonly argsSchema?: object;
  /**
   * Makes an instance for one profile. The instance implements any subset of the extension points
   * (see `SchedulerPlugin`); which ones run is decided by the profile.
   */
  create(handle: SchedulerHandle, args: Args): SchedulerPlugin;
}

const NAME = /^[A-Z][A-Za-z0-9]*$/;

/**
 * Defines a scheduler plugin. The shape is checked now (`SKIFF_ERR_PLUGIN_INVALID`); args are
 * checked when a scheduler that enables the plugin starts.
 *
 * ```ts
 * export const preferLabel = defineSchedulerPlugin<{ label: string }>({
 *   name: 'PreferLabel',
 *   argsSchema: { type: 'object', required: ['label'], properties: { label: { type: 'string' } } },
 *   create: (_handle, args) => ({
 *     score: (_state, _pod, node) => (node.node.metadata.labels?.[args.label] !== undefined ? 100 : 0),
 *   }),
 * });
 * ```
 */
export function defineSchedulerPlugin<Args = void>(definition: SchedulerPluginDefinition<Args>): SchedulerPluginDefinition<Args> {
  const fail = (why: string): never => {
    throw new SkiffError('SKIFF_ERR_PLUGIN_INVALID', `scheduler plugin ${JSON.stringify(definition?.name)}: ${why}`, { plugin: definition?.name });
  };
  if (!definition || typeof definition !== 'object') fail('a definition must be an object');
  if (typeof definition.name !== 'string' || !NAME.test(definition.name)) fail('name must be a PascalCase noun such as "PreferLabel"');
  if (typeof definition.create !== 'function') fail('create must be a function');
  if (definition.argsSchema !== undefined && (typeof definition.argsSchema !== 'object' || definition.argsSchema === null)) fail('argsSchema must be a JSON Schema object');
  return Object.freeze({ ...definition });
}

const ajv = new Ajv({ allErrors: true, useDefaults: true, strict: false });
const compiled = new WeakMap<object, ValidateFunction>();

/**
 * Validates `args` against the plugin's `argsSchema` (applying its defaults to a copy) and returns
 * the copy. Fails with `SKIFF_ERR_PLUGIN_OPTIONS` naming the plugin and the arg path. Schedulers
 * call this before `create`; plugin authors rarely need it.
 */
export function resolveSchedulerPluginArgs<Args>(definition: SchedulerPluginDefinition<Args>, args: unknown): Args {
  if (!definition.argsSchema) return args as Args;
  let validate = compiled.get(definition.argsSchema);
  if (!validate) {
    validate = ajv.compile(definition.argsSchema);
    compiled.set(definition.argsSchema, validate);
  }
  const copy = args === undefined ? {} : structuredClone(args);
  if (!validate(copy)) {
    const first = validate.errors?.[0];
    const path = first ? first.instancePath.replace(/^\//, '').replace(/\//g, '.') || '(args)' : '(args)';
    throw new SkiffError('SKIFF_ERR_PLUGIN_OPTIONS', `scheduler plugin "${definition.name}": arg ${path} ${first?.message ?? 'is invalid'}`, {
      plugin: definition.name,
      causes: (validate.errors ?? []).map((e) => ({ path: e.instancePath, message: e.message ?? 'is invalid' })),
    });
  }
  return copy as Args;
}
