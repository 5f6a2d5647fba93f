import { definePlugin, type PluginFactory } from './plugin.js';

/** Options of {@link storeCompaction}. */
export interface StoreCompactionOptions {
  /** How often to compact, and how much history at least is kept (default 5 minutes, as kube-apiserver's `--etcd-compaction-interval`). */
  intervalMs?: number;
}

/**
 * Compacts the cluster's store the way kube-apiserver compacts etcd: every `intervalMs` it
 * compacts to the revision it noted one interval earlier, so at least one interval of history is
 * always kept for watches to resume from, and history never grows without bound (the memory and
 * etcd stores do not compact on their own; the SQLite store's own compactor makes this a no-op).
 * A failed compaction is retried at the next tick.
 */
export const storeCompaction: PluginFactory<StoreCompactionOptions | void> = definePlugin<StoreCompactionOptions | void>({
  name: 'StoreCompaction',
  core: '^0.1.0',
  optionsSchema: { type: 'object', additionalProperties: false, properties: { intervalMs: { type: 'number', minimum: 1 } } },
  apply(cluster, options) {
    const intervalMs = options?.intervalMs ?? 5 * 60_000;
    let timer: ReturnType<typeof setInterval> | undefined;
    let noted: number | undefined;
    let running = false;
    const tick = async () => {
      if (running) return;
      running = true;
      try {
        const store = cluster.store;
        const current = await store.currentRevision();
        if (noted !== undefined && noted > (await store.compactedRevision())) await store.compact(noted);
        noted = current;
      } catch {
        // The store is closing or briefly unavailable: try again at the next tick.
      } finally {
        running = false;
      }
    };
    cluster.addComponent({
      name: 'store-compaction',
      start() {
        timer = setInterval(() => void tick(), intervalMs);
        timer.unref?.();
      },
      stop() {
        if (timer) clearInterval(timer);
      },
    });
  },
});
