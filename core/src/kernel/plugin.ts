import { Ajv, type ErrorObject } from 'ajv';
import semver from 'semver';
import { SkiffError } from '../errors.js';
import type { Cluster } from './cluster.js';
import { CORE_VERSION } from './version.js';

/**
 * What a plugin author writes. `apply` runs once, in registration order, before the cluster
 * starts: it taps hooks, registers registry entries, publishes services and adds components.
 * It must not start background work itself (add a component for that, so stop is orderly).
 */
export interface PluginDefinition<Options = void> {
  /** PascalCase noun, unique in a cluster (e.g. `DockerRuntime`). */
  name: string;
  /** The plugin's own version (informational). */
  version?: string;
  /** The semver range of @skiff/core it supports, e.g. `^0.1.0`. */
  core: string;
  /** Names of plugins that must be registered before this one. */
  dependencies?: string[];
  /** JSON Schema for the options; validated with ajv (defaults applied) before anything is applied. */
  optionsSchema?: object;
  apply(cluster: Cluster, options: Options): void | Promise<void>;
}

/** A plugin ready to register: a definition bound to its options. */
export interface Plugin<Options = unknown> {
  readonly definition: PluginDefinition<Options>;
  readonly options: Options;
  readonly name: string;
}

/** Plugins as a distribution lists them: nested arrays flatten (presets), falsy entries are skipped. */
export type PluginInput = Plugin<any> | readonly PluginInput[] | false | null | undefined | 0 | '';

/** A plugin factory: `dockerRuntime(options)` returns the plugin. */
export type PluginFactory<Options> = [Options] extends [void] ? () => Plugin<Options> : (options: Options) => Plugin<Options>;

const PLUGIN_NAME = /^[A-Z][A-Za-z0-9]*(?:[.\-/][A-Za-z0-9]+)*$/;

/**
 * Defines a plugin and returns its factory. The definition's shape is checked now; options are
 * checked when a cluster registers the plugin.
 */
export function definePlugin<Options = void>(definition: PluginDefinition<Options>): PluginFactory<Options> {
  checkDefinition(definition);
  const frozen = Object.freeze({ ...definition });
  const factory = (options?: Options) => Object.freeze({ definition: frozen, options: options as Options, name: frozen.name });
  return factory as PluginFactory<Options>;
}

function checkDefinition(def: PluginDefinition<any>): void {
  const fail = (why: string) => {
    throw new SkiffError('SKIFF_ERR_PLUGIN_INVALID', `plugin ${JSON.stringify(def?.name)}: ${why}`, { plugin: def?.name });
  };
  if (!def || typeof def !== 'object') fail('a definition must be an object');
  if (typeof def.name !== 'string' || !PLUGIN_NAME.test(def.name)) fail('name must be a PascalCase noun such as "DockerRuntime"');
  if (typeof def.apply !== 'function') fail('apply must be a function');
  if (typeof def.core !== 'string' || !semver.validRange(def.core)) fail('core must be a semver range such as "^0.1.0"');
  if (def.dependencies !== undefined && (!Array.isArray(def.dependencies) || def.dependencies.some((d) => typeof d !== 'string'))) {
    fail('dependencies must be an array of plugin names');
  }
}

/** Flattens presets and drops falsy entries. */
export function flattenPlugins(input: PluginInput): Plugin<any>[] {
  if (!input) return [];
  if (Array.isArray(input)) return (input as readonly PluginInput[]).flatMap(flattenPlugins);
  const plugin = input as Plugin<any>;
  if (!plugin.definition || typeof plugin.definition.apply !== 'function') {
    throw new SkiffError('SKIFF_ERR_PLUGIN_INVALID', 'a plugin entry is not a plugin: call the factory (e.g. `memoryStore()`), do not pass it', {
      entry: typeof input,
    });
  }
  return [plugin];
}

const ajv = new Ajv({ allErrors: true, useDefaults: true, strict: false });

function optionPath(err: ErrorObject): string {
  const base = err.instancePath.replace(/^\//, '').replace(/\//g, '.');
  const missing = err.keyword === 'required' ? String((err.params as { missingProperty?: string }).missingProperty) : '';
  const extra = err.keyword === 'additionalProperties' ? String((err.params as { additionalProperty?: string }).additionalProperty) : '';
  return [base, missing || extra].filter(Boolean).join('.') || '(options)';
}

/**
 * Checks a list of plugins before any is applied: core version ranges, duplicate names, that every
 * dependency is registered earlier, and options against each plugin's schema (applying defaults).
 * Returns the plugins with validated options. Nothing is applied when anything fails.
 */
export function checkPlugins(plugins: Plugin<any>[]): Plugin<any>[] {
  const seen = new Set<string>();
  return plugins.map((plugin) => {
    const def = plugin.definition;
    if (seen.has(def.name)) {
      throw new SkiffError('SKIFF_ERR_PLUGIN_DUPLICATE', `plugin "${def.name}" is registered twice`, { plugin: def.name });
    }
    if (!semver.satisfies(CORE_VERSION, def.core, { includePrerelease: true })) {
      throw new SkiffError('SKIFF_ERR_PLUGIN_CORE_VERSION', `plugin "${def.name}" supports @skiff/core ${def.core}, but this is ${CORE_VERSION}`, {
        plugin: def.name,
        supported: def.core,
        core: CORE_VERSION,
      });
    }
    for (const dep of def.dependencies ?? []) {
      if (!seen.has(dep)) {
        throw new SkiffError('SKIFF_ERR_PLUGIN_MISSING_DEPENDENCY', `plugin "${def.name}" needs "${dep}", which is not registered before it`, {
          plugin: def.name,
          dependency: dep,
        });
      }
    }
    seen.add(def.name);
    let options = plugin.options;
    if (def.optionsSchema) {
      options = structuredClone(options ?? {});
      const validate = ajv.compile(def.optionsSchema);
      if (!validate(options)) {
        const causes = (validate.errors ?? []).map((e) => ({ path: optionPath(e), message: e.message ?? 'is invalid' }));
        const first = causes[0];
        throw new SkiffError(
          'SKIFF_ERR_PLUGIN_OPTIONS',
          `plugin "${def.name}": option ${first?.path} ${first?.message}${causes.length > 1 ? ` (and ${causes.length - 1} more)` : ''}`,
          { plugin: def.name, causes },
        );
      }
    }
    return Object.freeze({ definition: def, options, name: def.name });
  });
}
