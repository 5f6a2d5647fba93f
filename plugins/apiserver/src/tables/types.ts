/** Which object each {@link TableRow} carries, as Kubernetes' `includeObject` query parameter. */
export type IncludeObjectPolicy = 'None' | 'Metadata' | 'Object';

/** One column of a {@link Table}, as `meta.k8s.io/v1` `TableColumnDefinition`. */
export interface TableColumnDefinition {
  /** Human-readable header, e.g. `Name`, `Ready`, `Age`; kubectl upper-cases it. */
  name: string;
  /** OpenAPI type of the cells: `string`, `integer`, `number`, `boolean` or `date`. */
  type: string;
  /** OpenAPI format; `name` marks the column holding the object's name. */
  format: string;
  description: string;
  /** 0 for columns always shown; 1 (or more) for columns kubectl shows only with `-o wide`. */
  priority: number;
}

/** A condition on a row, as `meta.k8s.io/v1` `TableRowCondition` (`Completed` for finished pods). */
export interface TableRowCondition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  reason?: string;
  message?: string;
}

/** The metadata-only view of an object, as `meta.k8s.io/v1` `PartialObjectMetadata`. */
export interface PartialObjectMetadata {
  kind: 'PartialObjectMetadata';
  apiVersion: 'meta.k8s.io/v1';
  metadata: Record<string, unknown>;
}

/** One row: a cell per column definition, in order, plus (unless `includeObject=None`) the object. */
export interface TableRow {
  cells: unknown[];
  conditions?: TableRowCondition[];
  object?: PartialObjectMetadata | Record<string, unknown>;
}

/** List metadata of a table (same meaning as on a list). */
export interface TableListMeta {
  resourceVersion?: string;
  continue?: string;
  remainingItemCount?: number;
}

/** A `meta.k8s.io/v1` `Table`, what `kubectl get` asks for with `Accept: application/json;as=Table;v=v1;g=meta.k8s.io`. */
export interface Table {
  kind: 'Table';
  apiVersion: 'meta.k8s.io/v1';
  metadata: TableListMeta;
  columnDefinitions: TableColumnDefinition[];
  rows: TableRow[];
}

/** Options of {@link toTable}. */
export interface TableOptions {
  /** Copied (defined members only) into the table's `metadata`. */
  listMeta?: TableListMeta;
  /** What each row's `object` holds; defaults to `Metadata` (as Kubernetes does). */
  includeObject?: IncludeObjectPolicy;
  /** The time ages and durations are computed against; defaults to the current time. */
  now?: Date;
}

/** The cells (and optional row conditions) a printer computes for one object. */
export interface PrintedRow {
  cells: unknown[];
  conditions?: TableRowCondition[];
}

/**
 * How one kind prints: the column definitions and, for each object, one cell per column.
 * Printers are pure: the only clock they read is `now`.
 */
export interface TablePrinter {
  columns: readonly TableColumnDefinition[];
  print(object: Record<string, unknown>, now: Date): PrintedRow;
}
