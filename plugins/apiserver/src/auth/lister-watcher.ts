import { ApiError, type ApiWatch, type Cluster, type InformerWatchEvent, type KubeObject, type ListerWatcher, type ResourceInfo, type StatusObject } from '@skiff/core';

/**
 * A {@link ListerWatcher} over the cluster's in-process API for one resource in every namespace:
 * `list` reads `cluster.api.list`, `watch(rv)` iterates `cluster.api.watch` from `rv` and turns an
 * ERROR event into a thrown {@link ApiError} (a 410 one is a gone error the informer relists on).
 * The cluster must be running while it is used.
 */
export function apiListerWatcher<T extends KubeObject = KubeObject>(cluster: Cluster, res: ResourceInfo): ListerWatcher<T> {
  return {
    list: async () => {
      const list = await cluster.api.list(res, undefined);
      return { items: list.items as T[], resourceVersion: list.metadata.resourceVersion };
    },
    watch: (resourceVersion: string) => {
      let inner: ApiWatch | undefined;
      let stopped = false;
      return {
        stop: () => {
          stopped = true;
          inner?.stop();
        },
        async *[Symbol.asyncIterator]() {
          if (stopped) return;
          inner = cluster.api.watch(res, undefined, { resourceVersion });
          try {
            for await (const event of inner) {
              if (event.type === 'ERROR') throw new ApiError(event.object as unknown as StatusObject);
              yield event as InformerWatchEvent<T>;
            }
          } finally {
            inner.stop();
          }
        },
      };
    },
  };
}
