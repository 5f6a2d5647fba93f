import type { KubeObject, ResourceInfo } from '@skiff/core';
import { printerFor } from './printers.js';
import type { Table, TableListMeta, TableOptions, TableRow } from './types.js';

function listMetaOf(meta: TableListMeta | undefined): TableListMeta {
  const out: TableListMeta = {};
  if (meta?.resourceVersion !== undefined) out.resourceVersion = meta.resourceVersion;
  if (meta?.continue !== undefined) out.continue = meta.continue;
  if (meta?.remainingItemCount !== undefined) out.remainingItemCount = meta.remainingItemCount;
  return out;
}

/**
 * Renders objects of one resource as the `meta.k8s.io/v1` `Table` `kubectl get` asks for.
 *
 * Contract:
 * - Pure: reads nothing but its arguments (the clock only via `options.now`, default `new Date()`);
 *   does not modify `objects`; the result is JSON-serialisable.
 * - `columnDefinitions` are Kubernetes' for the kind (pkg/printers/internalversion), including the
 *   `-o wide` ones (`priority: 1`); every row has exactly one cell per column, as the Kubernetes API
 *   server produces (kubectl hides priority > 0 columns itself). Kinds without a built-in printer
 *   (custom resources) get `Name` and `Age`.
 * - Ages and durations are strings in `HumanDuration` format computed against `options.now`.
 * - `rows[i].object`: `Metadata` (default) → `PartialObjectMetadata` with the object's metadata,
 *   `Object` → the object itself (same reference), `None` → no `object` member.
 * - `metadata` holds the defined members of `options.listMeta`. Rows keep the order of `objects`.
 * - Watch events: call it with one object to get the one-row table Kubernetes sends per event.
 */
export function toTable(res: ResourceInfo, objects: readonly KubeObject[], options: TableOptions = {}): Table {
  const printer = printerFor(res);
  const now = options.now ?? new Date();
  const include = options.includeObject ?? 'Metadata';
  const rows = objects.map((o): TableRow => {
    const printed = printer.print(o as Record<string, unknown>, now);
    const row: TableRow = { cells: printed.cells };
    if (printed.conditions) row.conditions = printed.conditions;
    if (include === 'Object') row.object = o as Record<string, unknown>;
    else if (include === 'Metadata') row.object = { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: { ...(o.metadata as Record<string, unknown>) } };
    return row;
  });
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: listMetaOf(options.listMeta),
    columnDefinitions: printer.columns.map((c) => ({ ...c })),
    rows,
  };
}
