import {
  ApiError,
  Informer,
  type ApiWatchEvent,
  type BuiltinKindMap,
  type DeleteQuery,
  type InformerOptions,
  type KubeObject,
  type ListerWatcher,
  type ObjectBase,
  type ObjectList,
  type PatchType,
  type RequestOptions,
  type ResourceInfo,
  type StatusObject,
} from '@skiff/core';
import type { Transport } from './transport.js';

/** The object type for an apiVersion and kind: a generated type for built-in kinds, else `KubeObject`. */
export type ObjectFor<AV extends string, K extends string> = `${AV}/${K}` extends keyof BuiltinKindMap ? BuiltinKindMap[`${AV}/${K}`] : KubeObject;

export interface ScopeOptions {
  /** The namespace, for namespaced kinds. */
  namespace?: string;
}

export interface ListOptions extends ScopeOptions {
  labelSelector?: string;
  fieldSelector?: string;
  limit?: number;
  continue?: string;
}

export interface WatchOptions extends ScopeOptions {
  labelSelector?: string;
  fieldSelector?: string;
  /** Start after this version; omit (or '0') to receive the current objects as ADDED first. */
  resourceVersion?: string;
  timeoutSeconds?: number;
}

export interface PatchOptions extends ScopeOptions, Omit<RequestOptions, 'user'> {
  /** Default `application/merge-patch+json`. */
  type?: PatchType;
  subresource?: 'status';
}

export interface DeleteOptions extends ScopeOptions, DeleteQuery, Omit<RequestOptions, 'user'> {}

/** A list as the API returns it, typed. */
export interface TypedList<T> extends Omit<ObjectList, 'items'> {
  items: T[];
}

/** A watch event; an ERROR event is never yielded — the iterator throws the `ApiError` instead. */
export interface ClientWatchEvent<T> {
  type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK';
  object: T;
}

/** A running watch: `for await` its events; `stop()` ends it. */
export interface ClientWatch<T> extends AsyncIterable<ClientWatchEvent<T>> {
  stop(): void;
}

/**
 * Typed access to one kind: `client.resource('v1', 'Pod').list({ namespace: 'default' })`.
 * Every method rejects with an `ApiError` (a Kubernetes `Status`) when the API refuses.
 */
export class ResourceClient<T extends ObjectBase> {
  private resolved: Promise<ResourceInfo> | undefined;

  constructor(
    private readonly transport: Transport,
    readonly apiVersion: string,
    readonly kind: string,
  ) {}

  /** The resource serving this kind (plural name, scope, subresources). */
  info(): Promise<ResourceInfo> {
    this.resolved ??= this.transport.resolve(this.apiVersion, this.kind);
    this.resolved.catch(() => {
      this.resolved = undefined;
    });
    return this.resolved;
  }

  async get(name: string, options: ScopeOptions = {}): Promise<T> {
    return (await this.transport.get(await this.info(), options.namespace, name)) as unknown as T;
  }

  async list(options: ListOptions = {}): Promise<TypedList<T>> {
    const { namespace, ...query } = options;
    return (await this.transport.list(await this.info(), namespace, query)) as unknown as TypedList<T>;
  }

  /** Creates `object` in its `metadata.namespace` (or `options.namespace`). */
  async create(object: T, options: ScopeOptions & Omit<RequestOptions, 'user'> = {}): Promise<T> {
    const { namespace, ...rest } = options;
    const body = object as unknown as KubeObject;
    return (await this.transport.create(await this.info(), namespace ?? body.metadata?.namespace, body, rest)) as unknown as T;
  }

  /** Replaces the object (compare-and-swap when `metadata.resourceVersion` is set). */
  async update(object: T, options: Omit<RequestOptions, 'user'> = {}): Promise<T> {
    const body = object as unknown as KubeObject;
    return (await this.transport.update(await this.info(), body.metadata.namespace, body.metadata.name ?? '', body, options)) as unknown as T;
  }

  /** Writes only `status` (the status subresource). */
  async updateStatus(object: T, options: Omit<RequestOptions, 'user'> = {}): Promise<T> {
    const body = object as unknown as KubeObject;
    return (await this.transport.update(await this.info(), body.metadata.namespace, body.metadata.name ?? '', body, { ...options, subresource: 'status' })) as unknown as T;
  }

  /**
   * Assigns the pod `name` to `nodeName` through `pods/<name>/binding` (Pods only), as a scheduler
   * does; a pod already assigned is a 409 Conflict and stays where it is. With `uid`, so is a pod
   * that was replaced by another of the same name.
   */
  async bind(name: string, nodeName: string, options: ScopeOptions & Omit<RequestOptions, 'user'> & { uid?: string } = {}): Promise<void> {
    const { namespace, uid, ...rest } = options;
    const metadata = { name, ...(namespace ? { namespace } : {}), ...(uid ? { uid } : {}) };
    const binding = { apiVersion: 'v1', kind: 'Binding', metadata, target: { apiVersion: 'v1', kind: 'Node', name: nodeName } } as unknown as KubeObject;
    await this.transport.bind(await this.info(), namespace, name, binding, rest);
  }

  async patch(name: string, patch: unknown, options: PatchOptions = {}): Promise<T> {
    const { namespace, type, ...rest } = options;
    return (await this.transport.patch(await this.info(), namespace, name, patch, type ?? 'application/merge-patch+json', rest)) as unknown as T;
  }

  async delete(name: string, options: DeleteOptions = {}): Promise<T> {
    const { namespace, preconditions, propagationPolicy, gracePeriodSeconds, ...rest } = options;
    const query: DeleteQuery = {
      ...(preconditions ? { preconditions } : {}),
      ...(propagationPolicy ? { propagationPolicy } : {}),
      ...(gracePeriodSeconds !== undefined ? { gracePeriodSeconds } : {}),
    };
    return (await this.transport.delete(await this.info(), namespace, name, query, rest)) as unknown as T;
  }

  /** Watches changes; an in-stream ERROR (e.g. 410 Gone) is thrown from the iterator as an `ApiError`. */
  async watch(options: WatchOptions = {}): Promise<ClientWatch<T>> {
    const { namespace, ...query } = options;
    const stream = await this.transport.watch(await this.info(), namespace, query);
    return {
      stop: () => stream.stop(),
      async *[Symbol.asyncIterator]() {
        try {
          for await (const event of stream as AsyncIterable<ApiWatchEvent>) {
            if (event.type === 'ERROR') throw new ApiError(event.object as unknown as StatusObject);
            yield event as unknown as ClientWatchEvent<T>;
          }
        } finally {
          stream.stop();
        }
      },
    };
  }

  /** A list-then-watch source for an `Informer`, scoped like `options`. */
  listerWatcher(options: ScopeOptions & { labelSelector?: string; fieldSelector?: string } = {}): ListerWatcher<T> {
    return {
      list: async () => {
        const list = await this.list(options);
        return { items: list.items, resourceVersion: list.metadata.resourceVersion };
      },
      watch: (resourceVersion: string) => {
        let inner: ClientWatch<T> | undefined;
        let stopped = false;
        const self = this;
        return {
          stop: () => {
            stopped = true;
            inner?.stop();
          },
          async *[Symbol.asyncIterator]() {
            inner = await self.watch({ ...options, resourceVersion });
            if (stopped) inner.stop();
            yield* inner;
          },
        };
      },
    };
  }

  /** A new (not yet started) informer over this kind. */
  informer(options: ScopeOptions & { labelSelector?: string; fieldSelector?: string } = {}, informerOptions: InformerOptions<T> = {}): Informer<T> {
    return new Informer<T>(this.listerWatcher(options), informerOptions);
  }
}

/**
 * The Skiff client: typed access to every kind through one transport.
 *
 * ```ts
 * const pods = client.resource('v1', 'Pod');        // ResourceClient<Pod>
 * const list = await pods.list({ namespace: 'default', labelSelector: 'app=web' });
 * ```
 */
export class Client {
  private readonly cache = new Map<string, ResourceClient<ObjectBase>>();

  constructor(readonly transport: Transport) {}

  resource<AV extends string, K extends string>(apiVersion: AV, kind: K): ResourceClient<ObjectFor<AV, K>> {
    const key = `${apiVersion}/${kind}`;
    let rc = this.cache.get(key);
    if (!rc) {
      rc = new ResourceClient<ObjectBase>(this.transport, apiVersion, kind);
      this.cache.set(key, rc);
    }
    return rc as unknown as ResourceClient<ObjectFor<AV, K>>;
  }

  /** Creates any object, choosing the resource from its apiVersion and kind. */
  create<T extends ObjectBase>(object: T, options: ScopeOptions & Omit<RequestOptions, 'user'> = {}): Promise<T> {
    return this.resource(object.apiVersion, object.kind).create(object as never, options) as unknown as Promise<T>;
  }

  /** Replaces any object, choosing the resource from its apiVersion and kind. */
  update<T extends ObjectBase>(object: T, options: Omit<RequestOptions, 'user'> = {}): Promise<T> {
    return this.resource(object.apiVersion, object.kind).update(object as never, options) as unknown as Promise<T>;
  }
}
