import type { KubeObject } from '../objects/types.js';
import { Channel } from '../store/channel.js';
import type { FieldMatcher, LabelMatcher, Store } from '../store/types.js';
import type { ResourceInfo } from './resources.js';
import { toApiError } from './store-errors.js';
import type { ApiWatch, ApiWatchEvent } from './types.js';

export interface WatchPlan {
  res: ResourceInfo;
  prefix: string;
  /** Undefined: send the current state first (resourceVersion '' or '0'). */
  fromRevision: number | undefined;
  labelSelector?: LabelMatcher;
  fieldSelector?: FieldMatcher;
  timeoutSeconds?: number;
}

/**
 * Streams a store watch as API events. Without a starting revision it first lists and sends every
 * object as ADDED, then watches from the list's revision (no gap, no duplicate). A store failure
 * (such as a compacted revision) becomes one ERROR event carrying the Status, then the end.
 */
export function startWatch(store: Store, plan: WatchPlan): ApiWatch {
  let stopStore: (() => void) | undefined;
  let timer: NodeJS.Timeout | undefined;
  const out = new Channel<ApiWatchEvent>(() => {
    stopStore?.();
    if (timer) clearTimeout(timer);
  });
  const selectors = {
    ...(plan.labelSelector ? { labelSelector: plan.labelSelector } : {}),
    ...(plan.fieldSelector ? { fieldSelector: plan.fieldSelector } : {}),
  };
  const run = async () => {
    try {
      let from = plan.fromRevision;
      if (from === undefined) {
        const list = await store.list(plan.prefix, selectors);
        for (const item of list.items) out.push({ type: 'ADDED', object: item });
        from = list.revision;
      }
      if (out.isClosed) return;
      const watch = store.watch<KubeObject>(plan.prefix, { fromRevision: from, ...selectors });
      stopStore = () => watch.stop();
      for await (const event of watch) {
        if (out.isClosed) break;
        out.push({ type: event.type, object: event.object });
      }
      out.close();
    } catch (err) {
      out.push({ type: 'ERROR', object: toApiError(err, plan.res).status as unknown as KubeObject });
      out.close();
    }
  };
  if (plan.timeoutSeconds && plan.timeoutSeconds > 0) {
    timer = setTimeout(() => out.close(), plan.timeoutSeconds * 1000);
  }
  void run();
  return {
    [Symbol.asyncIterator]: () => out[Symbol.asyncIterator](),
    stop: () => out.close(),
  };
}
