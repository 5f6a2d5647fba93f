/**
 * Server-side printing for `kubectl get`: `meta.k8s.io/v1` Tables with Kubernetes' columns.
 * Everything here is pure.
 */
export { toTable } from './table.js';
export { printerFor } from './printers.js';
export { humanDuration, timestampSince } from './duration.js';
export { formatLabels, formatLabelSelector, labelSelectorString } from './format.js';
export { printPod } from './printers/pods.js';
export { printNode, nodeRoles } from './printers/nodes.js';
export { formatEndpoints, servicePorts, serviceExternalIP } from './printers/services.js';
export { jobStatus, jobCompletions, jobDuration } from './printers/workloads.js';
export { printEvent } from './printers/misc.js';
export type {
  IncludeObjectPolicy,
  PartialObjectMetadata,
  PrintedRow,
  Table,
  TableColumnDefinition,
  TableListMeta,
  TableOptions,
  TablePrinter,
  TableRow,
  TableRowCondition,
} from './types.js';
