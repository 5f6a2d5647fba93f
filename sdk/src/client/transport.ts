import type { ApiWatch, DeleteQuery, KubeObject, ListQuery, ObjectList, PatchType, RequestOptions, ResourceInfo, WatchQuery } from '@skiff/core';

/**
 * How a {@link Client} reaches the API. Two transports exist: in-process (calls the cluster's
 * request path directly, through the same admission and validation) and HTTP (later). A transport
 * throws `ApiError`s carrying Kubernetes `Status` objects, whichever way it talks, and its watch
 * streams an ERROR event (with a Status) rather than throwing mid-stream.
 */
export interface Transport {
  /** The resource serving an apiVersion and kind; a 404 `ApiError` when none does. */
  resolve(apiVersion: string, kind: string): Promise<ResourceInfo>;
  get(res: ResourceInfo, namespace: string | undefined, name: string): Promise<KubeObject>;
  list(res: ResourceInfo, namespace: string | undefined, query: ListQuery): Promise<ObjectList>;
  create(res: ResourceInfo, namespace: string | undefined, body: KubeObject, options: RequestOptions): Promise<KubeObject>;
  update(res: ResourceInfo, namespace: string | undefined, name: string, body: KubeObject, options: RequestOptions & { subresource?: 'status' | 'finalize' }): Promise<KubeObject>;
  patch(res: ResourceInfo, namespace: string | undefined, name: string, patch: unknown, type: PatchType, options: RequestOptions & { subresource?: 'status' }): Promise<KubeObject>;
  /** `POST pods/<name>/binding` with a v1 Binding (assigns a pod to a node). */
  bind(res: ResourceInfo, namespace: string | undefined, name: string, binding: KubeObject, options: RequestOptions): Promise<void>;
  delete(res: ResourceInfo, namespace: string | undefined, name: string, query: DeleteQuery, options: RequestOptions): Promise<KubeObject>;
  watch(res: ResourceInfo, namespace: string | undefined, query: WatchQuery): Promise<ApiWatch>;
}
