import type { AdmissionRequest, CoreHooks, UserInfo } from '../kernel/hooks.js';
import { ALL_KINDS } from '../kernel/hooks.js';
import { parseFieldSelector, parseSelector } from '../labels/index.js';
import type { KubeObject } from '../objects/types.js';
import type { SchemaRegistry } from '../schema/registry.js';
import type { StatusCause } from '../schema/types.js';
import { parseRevision } from '../store/keys.js';
import type { Store } from '../store/types.js';
import { bindingTarget } from './binding.js';
import { applyPatch, assertSafeKeys, type PatchType } from './patch.js';
import { applyConfiguration, parseApplyBody } from './server-side-apply.js';
import { PatchSchema } from './strategic-merge-schema.js';
import { now, prepareCreate, prepareUpdate, unchanged } from './prepare.js';
import { apiVersionOf, type ResourceInfo, type ResourceRegistry, storeKey, storePrefix } from './resources.js';
import { errors, isApiError } from './status.js';
import { toApiError } from './store-errors.js';
import type { ApiWatch, DeleteQuery, ListQuery, ObjectList, RequestOptions, WatchQuery } from './types.js';
import { nameProblems, validateObjectMeta } from './validate-meta.js';
import { startWatch } from './watch.js';

/** The user in-process components act as when they do not say otherwise. */
export const SYSTEM_USER: UserInfo = Object.freeze({ username: 'system:skiff', groups: ['system:masters'] }) as UserInfo;

/** Options of {@link ObjectApi.apply} (and of {@link ObjectApi.patch}, which hands apply patches to it). */
export interface ApplyOptions extends RequestOptions {
  /** Who applies (Kubernetes' `fieldManager`); required by server-side apply. */
  fieldManager?: string;
  /** Take over fields other managers own instead of failing with 409. */
  force?: boolean;
}

const PROPAGATION = new Set(['Orphan', 'Background', 'Foreground']);

export interface ObjectApiParts {
  store: Store;
  resources: ResourceRegistry;
  schemas: SchemaRegistry;
  hooks: Readonly<CoreHooks>;
}

/**
 * The API's request path, shared by every transport: the in-process client calls it directly and
 * the HTTP API server translates requests into these calls. Every write runs mutating admission,
 * then validation (metadata rules and the kind's JSON Schema), then validating admission, then the
 * store; errors are {@link ApiError}s carrying the Kubernetes `Status`, and a failed request
 * writes nothing.
 */
export class ObjectApi {
  constructor(private readonly parts: ObjectApiParts) {}

  get resources(): ResourceRegistry {
    return this.parts.resources;
  }

  async get(res: ResourceInfo, namespace: string | undefined, name: string): Promise<KubeObject> {
    const ns = this.scope(res, namespace);
    const obj = await this.parts.store.get(storeKey(res, ns, name)).catch((err: unknown) => {
      throw toApiError(err, res, name);
    });
    if (!obj) throw errors.notFound(target(res, name));
    return obj;
  }

  async list(res: ResourceInfo, namespace: string | undefined, query: ListQuery = {}): Promise<ObjectList> {
    const selectors = this.selectors(res, query);
    try {
      const result = await this.parts.store.list(storePrefix(res, res.namespaced ? namespace : undefined), {
        ...selectors,
        ...(query.limit ? { limit: query.limit } : {}),
        ...(query.continue ? { continue: query.continue } : {}),
      });
      const metadata: ObjectList['metadata'] = { resourceVersion: String(result.revision) };
      if (result.continue) metadata.continue = result.continue;
      if (result.remainingItemCount !== undefined) metadata.remainingItemCount = result.remainingItemCount;
      return { apiVersion: apiVersionOf(res), kind: `${res.kind}List`, metadata, items: result.items };
    } catch (err) {
      const apiErr = toApiError(err, res);
      if (apiErr.httpCode === 410) {
        throw errors.gone('The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter.');
      }
      throw apiErr;
    }
  }

  async create(res: ResourceInfo, namespace: string | undefined, sent: KubeObject, options: RequestOptions = {}): Promise<KubeObject> {
    const ns = this.scope(res, namespace);
    const body = withTypeMeta(res, sent);
    this.checkBody(res, body, ns);
    if (res.namespaced) await this.requireNamespace(ns!, res, body.metadata?.name);
    let obj = prepareCreate(res, body, ns);
    const request = this.request('CREATE', res, options, ns, obj.metadata.name);
    obj = await this.admit(obj, request, options);
    if (obj.metadata.name) request.name = obj.metadata.name;
    if (options.dryRun) return obj;
    const created = await this.parts.store.create(storeKey(res, ns, obj.metadata.name!), obj).catch((err: unknown) => {
      throw toApiError(err, res, obj.metadata.name);
    });
    this.changed('ADDED', res, created);
    return created;
  }

  /**
   * Replaces an object (compare-and-swap when the body has a resourceVersion). `subresource:
   * 'status'` writes only status; `subresource: 'finalize'` (Namespaces only, else 404) writes only
   * `spec.finalizers`, as Kubernetes' `namespaces/finalize`: a terminating namespace whose
   * finalizers are all gone is then deleted.
   */
  async update(
    res: ResourceInfo,
    namespace: string | undefined,
    name: string,
    sent: KubeObject,
    options: RequestOptions & { subresource?: 'status' | 'finalize' } = {},
  ): Promise<KubeObject> {
    const ns = this.scope(res, namespace);
    const body = withTypeMeta(res, sent);
    this.checkBody(res, body, ns);
    if (body.metadata.name !== name) {
      throw errors.badRequest(`the name of the object (${body.metadata.name}) does not match the name on the URL (${name})`);
    }
    const current = await this.get(res, ns, name);
    const expected = body.metadata.resourceVersion;
    if (expected && expected !== current.metadata.resourceVersion) throw errors.conflict(target(res, name));
    if (options.subresource === 'finalize') {
      if (!isNamespace(res)) throw errors.unknownResource(`${res.plural} "${name}"/finalize`);
      // Kubernetes' namespaces/finalize: only spec.finalizers changes.
      const next = structuredClone(current);
      next['spec'] = { ...((current['spec'] as object | undefined) ?? {}), finalizers: specFinalizersOf(body) };
      return this.write(res, current, next, options);
    }
    return this.write(res, current, prepareUpdate(res, current, body, options.subresource), options);
  }

  /**
   * `POST pods/<name>/binding`: assigns the pod to the node a v1 Binding names. `spec.nodeName` is
   * set with a compare-and-swap on the pod's resourceVersion (retried on a concurrent write), and a
   * pod that is already assigned is never moved (409 Conflict), nor is a pod whose uid differs from
   * the Binding's `metadata.uid` when given. A bad body is 400/422.
   */
  async bind(res: ResourceInfo, namespace: string | undefined, name: string, body: unknown, options: RequestOptions = {}): Promise<void> {
    if (res.group !== '' || res.plural !== 'pods') throw errors.unknownResource(`${res.plural}/binding`);
    const { nodeName, uid } = bindingTarget(name, body);
    for (let attempt = 0; ; attempt++) {
      const pod = await this.get(res, namespace, name);
      if (uid !== undefined && pod.metadata.uid !== uid) {
        throw errors.conflict({ kind: 'Binding', resource: 'pods/binding', name }, `Precondition failed: UID in precondition: ${uid}, UID in object meta: ${pod.metadata.uid ?? ''}`);
      }
      const bound = (pod['spec'] as { nodeName?: string } | undefined)?.nodeName;
      if (bound) throw errors.conflict({ kind: 'Binding', resource: 'pods/binding', name }, `pod ${name} is already assigned to node "${bound}"`);
      try {
        await this.patch(res, namespace, name, { metadata: { resourceVersion: pod.metadata.resourceVersion }, spec: { nodeName } }, 'application/merge-patch+json', options);
        return;
      } catch (err) {
        if (!isApiError(err, 409) || attempt >= 5) throw err;
      }
    }
  }

  async patch(
    res: ResourceInfo,
    namespace: string | undefined,
    name: string,
    patch: unknown,
    type: PatchType,
    options: ApplyOptions & { subresource?: 'status' } = {},
  ): Promise<KubeObject> {
    if (type === 'application/apply-patch+yaml') return (await this.apply(res, namespace, name, patch, options)).object;
    const ns = this.scope(res, namespace);
    // A patch without a resourceVersion applies to whatever is stored: retry on a racing write.
    const pinned = patchPinsVersion(patch);
    for (let attempt = 0; ; attempt++) {
      const current = await this.get(res, ns, name);
      const patched = applyPatch(current, patch, type, this.parts.schemas);
      const sentVersion = patched.metadata?.resourceVersion;
      if (sentVersion && sentVersion !== current.metadata.resourceVersion) throw errors.conflict(target(res, name));
      this.checkBody(res, patched, ns);
      if (patched.metadata.name !== name) throw errors.badRequest('metadata.name cannot be changed by a patch');
      try {
        return await this.write(res, current, prepareUpdate(res, current, patched, options.subresource), options);
      } catch (err) {
        const conflict = err instanceof Error && 'status' in err && (err as { status: { code: number } }).status.code === 409;
        // Each retry re-reads, so one racer wins per round: allow as many rounds as there can be racers.
        if (!conflict || pinned || attempt >= MAX_PATCH_RETRIES) throw err;
      }
    }
  }

  /**
   * Server-side apply (`PATCH` with `application/apply-patch+yaml`): `body` is the applier's full
   * intent for the object (an object, or JSON text; YAML text is refused with 415 as core has no
   * YAML parser). Requires `options.fieldManager` (400 otherwise). When the object does not exist
   * it is created from `body` (`created: true`; the HTTP layer answers 201); otherwise `body` is
   * merged into the stored object with the strategic merge rules, keeping fields others set.
   * Either way the manager's `Apply` entry in `metadata.managedFields` lists the fields it applied.
   * A field another manager owns with a different value is a 409 conflict unless `force`. The
   * write goes through admission and validation (422) like any other; `dryRun` writes nothing.
   */
  async apply(
    res: ResourceInfo,
    namespace: string | undefined,
    name: string,
    body: unknown,
    options: ApplyOptions & { subresource?: 'status' } = {},
  ): Promise<{ object: KubeObject; created: boolean }> {
    const ns = this.scope(res, namespace);
    const manager = options.fieldManager;
    if (!manager) throw errors.badRequest('PATCH requests with apply-patch+yaml content type must provide a fieldManager');
    const applied = parseApplyBody(body);
    this.checkBody(res, applied, ns);
    if (applied.metadata.name !== name) {
      throw errors.badRequest(`the name of the object (${String(applied.metadata.name)}) does not match the name on the URL (${name})`);
    }
    const schema = PatchSchema.forKind(this.parts.schemas, applied.apiVersion, applied.kind);
    const ignoreStatus = options.subresource !== 'status' && Boolean(res.statusSubresource);
    const { fieldManager: _m, force: _f, ...requestOptions } = options;
    for (let attempt = 0; ; attempt++) {
      const current = await this.get(res, ns, name).catch((err: unknown) => {
        if (isApiError(err, 404)) return undefined;
        throw err;
      });
      const sentVersion = applied.metadata.resourceVersion;
      if (!current) {
        if (sentVersion) throw errors.notFound(target(res, name));
        const fresh = applyConfiguration(undefined, applied, { manager, time: now(), schema, ignoreStatus });
        try {
          return { object: await this.create(res, ns, fresh, requestOptions), created: true };
        } catch (err) {
          if (!isApiError(err, 409) || attempt >= 5) throw err;
          continue;
        }
      }
      if (sentVersion && sentVersion !== current.metadata.resourceVersion) throw errors.conflict(target(res, name));
      const merged = applyConfiguration(current, applied, { manager, time: now(), schema, ignoreStatus, force: options.force ?? false, resource: res });
      this.checkBody(res, merged, ns);
      try {
        return { object: await this.write(res, current, prepareUpdate(res, current, merged, options.subresource), requestOptions), created: false };
      } catch (err) {
        if (!isApiError(err, 409) || err.reason !== 'Conflict' || sentVersion || attempt >= 5) throw err;
      }
    }
  }

  async delete(
    res: ResourceInfo,
    namespace: string | undefined,
    name: string,
    query: DeleteQuery = {},
    options: RequestOptions = {},
  ): Promise<KubeObject> {
    const ns = this.scope(res, namespace);
    if (query.propagationPolicy !== undefined && !PROPAGATION.has(query.propagationPolicy)) {
      throw errors.badRequest(`propagationPolicy must be one of Orphan, Background, Foreground (got ${String(query.propagationPolicy)})`);
    }
    const current = await this.get(res, ns, name);
    const pre = query.preconditions ?? {};
    if ((pre.uid && pre.uid !== current.metadata.uid) || (pre.resourceVersion && pre.resourceVersion !== current.metadata.resourceVersion)) {
      throw errors.conflict(target(res, name), 'the precondition (uid or resourceVersion) did not hold');
    }
    const request = this.request('DELETE', res, options, ns, name, current);
    await this.parts.hooks.validatingAdmission.for(ALL_KINDS).promise(current, request);
    await this.parts.hooks.validatingAdmission.for(res.kind).promise(current, request);
    const grace = this.parts.hooks.gracefulDeletion.get(res.kind)?.call(current, query.gracePeriodSeconds === undefined ? {} : { gracePeriodSeconds: query.gracePeriodSeconds }) ?? 0;
    if (grace > 0) return this.markTerminating(res, current, grace, options);
    const finalizers = [...(current.metadata.finalizers ?? [])];
    if (query.propagationPolicy === 'Orphan' && !finalizers.includes('orphan')) finalizers.push('orphan');
    if (query.propagationPolicy === 'Foreground' && !finalizers.includes('foregroundDeletion')) finalizers.push('foregroundDeletion');
    // A namespace with spec.finalizers (Kubernetes' `kubernetes`) turns Terminating until it is finalized.
    const namespaceHeld = isNamespace(res) && specFinalizersOf(current).length > 0;
    if (finalizers.length > 0 || namespaceHeld) {
      // Finalizers hold the object: mark it deleted and let their owners finish the job.
      if (current.metadata.deletionTimestamp && (current.metadata.deletionGracePeriodSeconds ?? 0) === 0) return current;
      const marked = structuredClone(current);
      const generation = (current.metadata.generation ?? 1) + (current.metadata.deletionTimestamp ? 0 : 1);
      marked.metadata = { ...marked.metadata, finalizers, deletionTimestamp: current.metadata.deletionTimestamp ?? now(), deletionGracePeriodSeconds: 0, generation };
      if (finalizers.length === 0) delete marked.metadata.finalizers;
      if (isNamespace(res)) marked['status'] = { ...((current['status'] as object | undefined) ?? {}), phase: 'Terminating' };
      if (options.dryRun) return marked;
      const updated = await this.parts.store.update(storeKey(res, ns, name), marked).catch((err: unknown) => {
        throw toApiError(err, res, name);
      });
      this.changed('MODIFIED', res, updated, current);
      return updated;
    }
    if (options.dryRun) return current;
    const deleted = await this.parts.store.delete(storeKey(res, ns, name), { expectedResourceVersion: current.metadata.resourceVersion! }).catch((err: unknown) => {
      throw toApiError(err, res, name);
    });
    this.changed('DELETED', res, deleted, current);
    return deleted;
  }

  /**
   * Graceful deletion: the object stays, marked with `deletionTimestamp` (now + grace) and
   * `deletionGracePeriodSeconds`, until whoever runs it deletes it with grace 0. A later delete
   * may only shorten the grace period, as in Kubernetes.
   */
  private async markTerminating(res: ResourceInfo, current: KubeObject, grace: number, options: RequestOptions): Promise<KubeObject> {
    const existing = current.metadata.deletionGracePeriodSeconds;
    if (current.metadata.deletionTimestamp && existing !== undefined && existing <= grace) return current;
    const marked = structuredClone(current);
    const deadline = new Date(Date.now() + grace * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    marked.metadata = { ...marked.metadata, deletionTimestamp: deadline, deletionGracePeriodSeconds: grace, generation: (current.metadata.generation ?? 1) + 1 };
    if (options.dryRun) return marked;
    const name = current.metadata.name!;
    const updated = await this.parts.store.update(storeKey(res, current.metadata.namespace, name), marked).catch((err: unknown) => {
      throw toApiError(err, res, name);
    });
    this.changed('MODIFIED', res, updated, current);
    return updated;
  }

  watch(res: ResourceInfo, namespace: string | undefined, query: WatchQuery = {}): ApiWatch {
    const selectors = this.selectors(res, query);
    const rv = query.resourceVersion;
    let fromRevision: number | undefined;
    if (rv && rv !== '0') {
      try {
        fromRevision = parseRevision(rv);
      } catch (err) {
        throw toApiError(err, res);
      }
    }
    return startWatch(this.parts.store, {
      res,
      prefix: storePrefix(res, res.namespaced ? namespace : undefined),
      fromRevision,
      ...selectors,
      ...(query.timeoutSeconds ? { timeoutSeconds: query.timeoutSeconds } : {}),
    });
  }

  /** Writes an update that passed its preconditions; finishes a deletion whose finalizers are gone. */
  private async write(res: ResourceInfo, current: KubeObject, next: KubeObject, options: RequestOptions & { subresource?: 'status' | 'finalize' }): Promise<KubeObject> {
    const request = this.request('UPDATE', res, options, current.metadata.namespace, current.metadata.name, current);
    if (options.subresource) request.subresource = options.subresource;
    let obj = await this.admit(next, request, options);
    obj.metadata = { ...obj.metadata, resourceVersion: current.metadata.resourceVersion! };
    const name = current.metadata.name!;
    const key = storeKey(res, current.metadata.namespace, name);
    if (unchanged(current, obj)) return current;
    if (options.dryRun) return obj;
    // The last finalizer gone from a deleted object finishes the deletion; an object still in its
    // grace period (deletionGracePeriodSeconds > 0) waits for the delete that ends it.
    // A namespace also waits for its spec.finalizers (removed through the finalize subresource).
    const held = isNamespace(res) && specFinalizersOf(obj).length > 0;
    if (obj.metadata.deletionTimestamp && !held && (obj.metadata.finalizers ?? []).length === 0 && (obj.metadata.deletionGracePeriodSeconds ?? 0) === 0) {
      const deleted = await this.parts.store.delete(key, { expectedResourceVersion: current.metadata.resourceVersion! }).catch((err: unknown) => {
        throw toApiError(err, res, name);
      });
      this.changed('DELETED', res, deleted, current);
      return deleted;
    }
    const updated = await this.parts.store.update(key, obj).catch((err: unknown) => {
      throw toApiError(err, res, name);
    });
    this.changed('MODIFIED', res, updated, current);
    return updated;
  }

  /** Mutating admission, then metadata and schema validation, then validating admission. */
  private async admit(obj: KubeObject, request: AdmissionRequest, options: RequestOptions): Promise<KubeObject> {
    const hooks = this.parts.hooks;
    const res = this.parts.resources.require(apiVersionOf(request), request.kind);
    let out = await hooks.mutatingAdmission.for(ALL_KINDS).promise(obj, request);
    out = await hooks.mutatingAdmission.for(request.kind).promise(out, request);
    if (!out || typeof out !== 'object' || !out.metadata) throw errors.internal(`a mutating admission tap for ${request.kind} returned no object`);
    assertSafeKeys(out);
    const causes: StatusCause[] = validateObjectMeta(res, out);
    if (this.parts.schemas.has(out.apiVersion, out.kind)) {
      const policy = (options.fieldValidation ?? 'Warn').toLowerCase() as 'ignore' | 'warn' | 'strict';
      const result = this.parts.schemas.validate(out, { unknownFields: policy === 'strict' ? 'warn' : policy });
      causes.push(...result.causes);
      if (policy === 'strict' && result.unknownFields.length > 0) {
        throw errors.badRequest(`strict decoding error: ${result.unknownFields.map((f) => `unknown field "${f}"`).join(', ')}`);
      }
      if (policy === 'warn') for (const f of result.unknownFields) options.warnings?.push(`unknown field "${f}"`);
    }
    if (causes.length > 0) throw errors.invalid({ group: res.group, kind: res.kind, ...(out.metadata.name ? { name: out.metadata.name } : {}) }, causes);
    await hooks.validatingAdmission.for(ALL_KINDS).promise(out, request);
    await hooks.validatingAdmission.for(request.kind).promise(out, request);
    return out;
  }

  private request(operation: AdmissionRequest['operation'], res: ResourceInfo, options: RequestOptions, namespace?: string, name?: string, oldObject?: KubeObject): AdmissionRequest {
    const req: AdmissionRequest = {
      operation,
      group: res.group,
      version: res.version,
      kind: res.kind,
      resource: res.plural,
      user: options.user ?? SYSTEM_USER,
      dryRun: options.dryRun ?? false,
    };
    if (namespace !== undefined) req.namespace = namespace;
    if (name !== undefined) req.name = name;
    if (oldObject !== undefined) req.oldObject = oldObject;
    return req;
  }

  private changed(type: 'ADDED' | 'MODIFIED' | 'DELETED', res: ResourceInfo, object: KubeObject, oldObject?: KubeObject): void {
    try {
      this.parts.hooks.objectChanged.call({ type, object, resource: res.plural, group: res.group, ...(oldObject ? { oldObject } : {}) });
    } catch {
      // objectChanged taps must not throw; a faulty tap cannot undo a stored write.
    }
  }

  private scope(res: ResourceInfo, namespace: string | undefined): string | undefined {
    if (!res.namespaced) return undefined;
    if (!namespace) throw errors.badRequest(`${res.plural} are namespaced: a namespace is required`);
    if (nameProblems('dns-label', namespace).length > 0) throw errors.badRequest(`invalid namespace "${namespace}"`);
    return namespace;
  }

  private checkBody(res: ResourceInfo, body: KubeObject, namespace: string | undefined): void {
    if (!body || typeof body !== 'object' || Array.isArray(body)) throw errors.badRequest('the request body must be a JSON object');
    assertSafeKeys(body);
    const apiVersion = apiVersionOf(res);
    if (body.apiVersion !== apiVersion || body.kind !== res.kind) {
      throw errors.badRequest(`the API version and kind in the body (${String(body.apiVersion)}, ${String(body.kind)}) do not match the resource (${apiVersion}, ${res.kind})`);
    }
    if (!body.metadata || typeof body.metadata !== 'object' || Array.isArray(body.metadata)) {
      throw errors.invalid({ group: res.group, kind: res.kind }, [{ field: 'metadata', reason: 'FieldValueRequired', message: 'Required value' }]);
    }
    if (res.namespaced && body.metadata.namespace && body.metadata.namespace !== namespace) {
      throw errors.badRequest('the namespace of the provided object does not match the namespace sent on the request');
    }
  }

  private selectors(res: ResourceInfo, query: { labelSelector?: string; fieldSelector?: string }) {
    try {
      return {
        ...(query.labelSelector ? { labelSelector: parseSelector(query.labelSelector) } : {}),
        ...(query.fieldSelector ? { fieldSelector: parseFieldSelector(query.fieldSelector, { kind: res.kind }) } : {}),
      };
    } catch (err) {
      throw toApiError(err, res);
    }
  }

  private async requireNamespace(namespace: string, res: ResourceInfo, name?: string): Promise<void> {
    const nsRes = this.parts.resources.require('v1', 'Namespace');
    const ns = await this.parts.store.get(storeKey(nsRes, undefined, namespace));
    if (!ns) throw errors.notFound({ kind: 'Namespace', resource: 'namespaces', name: namespace });
    if (ns.metadata.deletionTimestamp) {
      throw errors.forbidden(target(res, name), `unable to create new content in namespace ${namespace} because it is being terminated`);
    }
  }
}

/**
 * Like Kubernetes' decoder, a body that leaves out `apiVersion` or `kind` (as typed clients such as
 * client-node's do) takes them from the resource it was sent to; a body that names others is refused.
 */
function withTypeMeta(res: ResourceInfo, body: KubeObject): KubeObject {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return body;
  if (body.apiVersion !== undefined && body.kind !== undefined) return body;
  return { ...body, apiVersion: body.apiVersion ?? apiVersionOf(res), kind: body.kind ?? res.kind };
}

/** True for the core `Namespace` resource. */
function isNamespace(res: ResourceInfo): boolean {
  return res.group === '' && res.kind === 'Namespace';
}

/** A namespace's `spec.finalizers` (empty when absent or malformed). */
function specFinalizersOf(obj: KubeObject): string[] {
  const spec = obj['spec'] as { finalizers?: unknown } | undefined;
  return spec && Array.isArray(spec.finalizers) ? spec.finalizers.filter((f): f is string => typeof f === 'string') : [];
}

function target(res: ResourceInfo, name?: string) {
  return { group: res.group, kind: res.kind, resource: res.plural, ...(name !== undefined ? { name } : {}) };
}

/** How often an unpinned patch is re-applied after losing a race (kube-apiserver retries in its storage's guaranteed update). */
const MAX_PATCH_RETRIES = 100;

/** Whether a patch names `metadata.resourceVersion` (then a racing write is the caller's conflict, not retried). */
function patchPinsVersion(patch: unknown): boolean {
  if (Array.isArray(patch)) return patch.some((op) => typeof op === 'object' && op !== null && (op as { path?: unknown }).path === '/metadata/resourceVersion');
  const meta = (patch as { metadata?: unknown } | null)?.metadata;
  return typeof meta === 'object' && meta !== null && (meta as { resourceVersion?: unknown }).resourceVersion !== undefined;
}
