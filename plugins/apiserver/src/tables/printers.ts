import type { ResourceInfo } from '@skiff/core';
import { configMapPrinter, defaultPrinter, eventPrinter, leasePrinter, namespacePrinter, secretPrinter } from './printers/misc.js';
import { nodePrinter } from './printers/nodes.js';
import { podPrinter } from './printers/pods.js';
import { endpointsPrinter, servicePrinter } from './printers/services.js';
import {
  daemonSetPrinter,
  deploymentPrinter,
  jobPrinter,
  replicaSetPrinter,
  replicationControllerPrinter,
} from './printers/workloads.js';
import type { TablePrinter } from './types.js';

/** Printers of the built-in kinds, keyed `<group>/<Kind>` (any version), core group `''`. */
const printers: ReadonlyMap<string, TablePrinter> = new Map([
  ['/Pod', podPrinter],
  ['/Node', nodePrinter],
  ['/Namespace', namespacePrinter],
  ['/Service', servicePrinter],
  ['/Endpoints', endpointsPrinter],
  ['/ReplicationController', replicationControllerPrinter],
  ['/Event', eventPrinter],
  ['/ConfigMap', configMapPrinter],
  ['/Secret', secretPrinter],
  ['apps/ReplicaSet', replicaSetPrinter],
  ['apps/Deployment', deploymentPrinter],
  ['apps/DaemonSet', daemonSetPrinter],
  ['batch/Job', jobPrinter],
  ['coordination.k8s.io/Lease', leasePrinter],
]);

/**
 * The printer for a resource: Kubernetes' columns for the built-in kinds (matched by group and
 * kind, so any version), `Name, Age` for anything else.
 */
export function printerFor(res: Pick<ResourceInfo, 'group' | 'kind'>): TablePrinter {
  return printers.get(`${res.group}/${res.kind}`) ?? defaultPrinter;
}
