import { ensureSystemNamespaces } from '../api/bootstrap.js';
import { ObjectApi } from '../api/object-api.js';
import { ResourceRegistry } from '../api/resources.js';
import { SkiffError } from '../errors.js';
import { createBuiltinSchemaRegistry } from '../schema/builtin.js';
import type { SchemaRegistry } from '../schema/registry.js';
import { memoryStore } from '../store/memory-store.js';
import type { Store } from '../store/types.js';
import { AdmissionStage, type CoreHooks, createCoreHooks } from './hooks.js';
import { checkPlugins, flattenPlugins, type PluginInput } from './plugin.js';
import { Registry } from './registry.js';
import type { Component, ServiceKey } from './services.js';

/** Makes the cluster's store. Store plugins register one under a name in `registries.store`. */
export type StoreFactory = () => Store | Promise<Store>;

export interface ClusterOptions {
  /** Plugins in order; arrays (presets) flatten and falsy entries are skipped. */
  plugins?: PluginInput;
  /** The name of the store in `registries.store` (default `memory`, which the core registers). */
  store?: string;
}

export type ClusterState = 'created' | 'starting' | 'running' | 'stopping' | 'stopped' | 'failed';

/** The registries every cluster has; plugins may create more with `cluster.registry(name)`. */
export interface CoreRegistries {
  store: Registry<StoreFactory>;
}

/**
 * A Skiff cluster: the frozen core hooks, the registries, published services and the components
 * plugins run. Build one with {@link createCluster}; `start()` opens the store and the API and
 * starts components in order; `stop()` stops them in reverse order and leaves nothing running.
 */
export class Cluster {
  readonly hooks: Readonly<CoreHooks> = createCoreHooks();
  readonly registries: Readonly<CoreRegistries> = Object.freeze({ store: new Registry<StoreFactory>('store') });
  readonly resources = new ResourceRegistry();
  readonly schemas: SchemaRegistry = createBuiltinSchemaRegistry();
  private readonly extraRegistries = new Map<string, Registry<unknown>>();
  private readonly services = new Map<string, unknown>();
  private readonly components: Component[] = [];
  private readonly started: Component[] = [];
  private storeName: string;
  private storeInstance: Store | undefined;
  private apiInstance: ObjectApi | undefined;
  private stateValue: ClusterState = 'created';
  /** The plugin whose `apply` is running, to name owners in registries and errors. */
  currentPlugin: string | undefined;

  constructor(options: { store?: string } = {}) {
    this.storeName = options.store ?? 'memory';
    this.registries.store.register('memory', () => memoryStore(), 'core');
    // Namespaces start Active, as Kubernetes' namespace strategy sets them.
    this.hooks.mutatingAdmission.for('Namespace').tap({ name: 'core:NamespacePhase', stage: AdmissionStage.DEFAULTING }, (obj, req) => {
      if (req.operation === 'CREATE') return { ...obj, status: { ...(obj['status'] as object | undefined), phase: 'Active' } };
      return obj;
    });
  }

  get state(): ClusterState {
    return this.stateValue;
  }

  /** The store, once started. */
  get store(): Store {
    if (!this.storeInstance) throw new SkiffError('SKIFF_ERR_CLUSTER_STATE', 'the store is open only while the cluster runs', { state: this.stateValue });
    return this.storeInstance;
  }

  /** The API request path (admission, validation, store), once started. */
  get api(): ObjectApi {
    if (!this.apiInstance) throw new SkiffError('SKIFF_ERR_CLUSTER_STATE', 'the API is available only while the cluster runs', { state: this.stateValue });
    return this.apiInstance;
  }

  /** Chooses the store by its registry name; only before start. */
  useStore(name: string): void {
    this.requireState('created', 'choose a store');
    this.storeName = name;
  }

  /** A named registry for a "select one by name" extension point, created on first use. */
  registry<T>(name: string): Registry<T> {
    let reg = this.extraRegistries.get(name);
    if (!reg) {
      reg = new Registry<unknown>(name);
      this.extraRegistries.set(name, reg);
    }
    return reg as Registry<T>;
  }

  /** Publishes a service under a key; publishing a key twice is an error. */
  provide<T>(key: ServiceKey<T>, value: T): void {
    if (this.services.has(key.id)) throw new SkiffError('SKIFF_ERR_REGISTRY_DUPLICATE', `service ${key.id} is already provided`, { service: key.id });
    this.services.set(key.id, value);
  }

  /** The service published under a key; fails with `SKIFF_ERR_SERVICE_UNKNOWN` when none was. */
  use<T>(key: ServiceKey<T>): T {
    if (!this.services.has(key.id)) throw new SkiffError('SKIFF_ERR_SERVICE_UNKNOWN', `no plugin provides ${key.id}`, { service: key.id });
    return this.services.get(key.id) as T;
  }

  /** The service under a key, or undefined. */
  tryUse<T>(key: ServiceKey<T>): T | undefined {
    return this.services.get(key.id) as T | undefined;
  }

  /** Adds a component to start with the cluster (in order) and stop with it (in reverse order). */
  addComponent(component: Component): void {
    if (this.stateValue !== 'created') {
      throw new SkiffError('SKIFF_ERR_CLUSTER_STATE', `component ${component.name} must be added before the cluster starts`, { state: this.stateValue });
    }
    this.components.push(component);
  }

  /**
   * Opens the store and the API, runs `beforeStart`, starts components in order, runs `start` and
   * `ready`. If anything fails, whatever started is stopped again and the error is rethrown.
   */
  async start(): Promise<void> {
    this.requireState('created', 'start');
    this.stateValue = 'starting';
    try {
      this.storeInstance = await this.registries.store.get(this.storeName)();
      this.apiInstance = new ObjectApi({ store: this.storeInstance, resources: this.resources, schemas: this.schemas, hooks: this.hooks });
      await this.hooks.beforeStart.promise(this);
      await ensureSystemNamespaces(this.apiInstance);
      for (const component of this.components) {
        this.started.push(component);
        await component.start();
      }
      await this.hooks.start.promise(this);
      this.stateValue = 'running';
      await this.hooks.ready.promise(this);
    } catch (err) {
      await this.teardown().catch(() => undefined);
      this.stateValue = 'failed';
      throw err;
    }
  }

  /** Runs `beforeShutdown`, stops components in reverse order, runs `shutdown`, closes the store. */
  async stop(): Promise<void> {
    if (this.stateValue === 'stopped' || this.stateValue === 'created' || this.stateValue === 'failed') {
      this.stateValue = 'stopped';
      return;
    }
    this.stateValue = 'stopping';
    await this.hooks.beforeShutdown.promise(this);
    await this.teardown();
    await this.hooks.shutdown.promise(this);
    this.stateValue = 'stopped';
  }

  private async teardown(): Promise<void> {
    const failures: unknown[] = [];
    while (this.started.length > 0) {
      const component = this.started.pop()!;
      try {
        await component.stop();
      } catch (err) {
        failures.push(err);
      }
    }
    await this.storeInstance?.close();
    this.storeInstance = undefined;
    this.apiInstance = undefined;
    if (failures.length > 0) throw failures[0];
  }

  private requireState(state: ClusterState, what: string): void {
    if (this.stateValue !== state) {
      throw new SkiffError('SKIFF_ERR_CLUSTER_STATE', `cannot ${what} while the cluster is ${this.stateValue}`, { state: this.stateValue });
    }
  }
}

/**
 * Builds a cluster: checks every plugin (names, core version, dependencies, options) before
 * applying any, then applies them in order and calls `pluginsApplied`. Nothing starts until
 * `cluster.start()`.
 */
export async function createCluster(options: ClusterOptions = {}): Promise<Cluster> {
  const plugins = checkPlugins(flattenPlugins(options.plugins));
  const cluster = new Cluster(options.store ? { store: options.store } : {});
  for (const plugin of plugins) {
    cluster.currentPlugin = plugin.name;
    try {
      await plugin.definition.apply(cluster, plugin.options);
    } catch (err) {
      if (err instanceof SkiffError) throw err;
      throw new SkiffError('SKIFF_ERR_PLUGIN_APPLY', `plugin "${plugin.name}" failed to apply: ${(err as Error)?.message ?? String(err)}`, { plugin: plugin.name }, { cause: err });
    } finally {
      cluster.currentPlugin = undefined;
    }
  }
  cluster.hooks.pluginsApplied.call(cluster);
  return cluster;
}
