import { isDeepStrictEqual } from 'node:util';

/** A JSON object. */
export type JsonMap = Record<string, unknown>;

/** True for a plain JSON object (not null, not an array). */
export const isMap = (v: unknown): v is JsonMap => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Where `item` sits in `list`: list items match by the value of `mergeKey` when it is set (lists of
 * maps), by deep equality otherwise (lists of primitives); -1 when absent.
 */
export function indexIn(list: readonly unknown[], item: unknown, mergeKey: string | undefined): number {
  if (mergeKey === undefined) return list.findIndex((x) => isDeepStrictEqual(x, item));
  if (!isMap(item)) return -1;
  const key = item[mergeKey];
  return list.findIndex((x) => isMap(x) && isDeepStrictEqual(x[mergeKey], key));
}

/**
 * Orders a merged list as Kubernetes' strategic merge does (`normalizeElementOrder`): the items
 * named in `patchOrder` come in that order; the others (server-only items) keep their order in
 * `serverOrder` and are interleaved with them where the live list allows, i.e. a server-only item
 * goes before a patch item that came after it in the live list. Patch items the live list did not
 * have come before any remaining server-only items.
 */
export function orderMerged(merged: readonly unknown[], patchOrder: readonly unknown[], serverOrder: readonly unknown[], mergeKey: string | undefined): unknown[] {
  const patchItems: unknown[] = [];
  const serverOnly: unknown[] = [];
  for (const item of merged) (indexIn(patchOrder, item, mergeKey) >= 0 ? patchItems : serverOnly).push(item);
  const byPatch = stableSortBy(patchItems, (x) => indexIn(patchOrder, x, mergeKey));
  const byServer = stableSortBy(serverOnly, (x) => indexIn(serverOrder, x, mergeKey));
  return mergeSorted(byServer, byPatch, serverOrder, mergeKey);
}

/** Sorts by a rank; items without one (-1) go last, keeping their relative order. */
function stableSortBy(items: unknown[], rank: (x: unknown) => number): unknown[] {
  return items
    .map((item, i) => ({ item, i, r: rank(item) }))
    .sort((a, b) => (a.r < 0 ? Infinity : a.r) - (b.r < 0 ? Infinity : b.r) || a.i - b.i)
    .map((x) => x.item);
}

/**
 * Kubernetes' `mergeSortedSlice`: inserts the (sorted) server-only items into the (sorted) patch
 * items, taking a server-only item first only when both are in the live list and it came earlier.
 */
function mergeSorted(left: readonly unknown[], right: readonly unknown[], serverOrder: readonly unknown[], mergeKey: string | undefined): unknown[] {
  const out: unknown[] = [];
  let i = 0;
  let j = 0;
  while (i < left.length || j < right.length) {
    if (j >= right.length) out.push(left[i++]);
    else if (i >= left.length) out.push(right[j++]);
    else {
      const li = indexIn(serverOrder, left[i], mergeKey);
      const ri = indexIn(serverOrder, right[j], mergeKey);
      if (li >= 0 && ri >= 0 && li < ri) out.push(left[i++]);
      else out.push(right[j++]);
    }
  }
  return out;
}
