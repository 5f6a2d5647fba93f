import { arr, get, obj, str, type Obj } from '../access.js';
import { ageColumn, column, nameColumn } from '../columns.js';
import { timestampSince } from '../duration.js';
import type { PrintedRow, TablePrinter } from '../types.js';

const ROLE_PREFIX = 'node-role.kubernetes.io/';
const ROLE_LABEL = 'kubernetes.io/role';

/** Like kubectl's `findNodeRoles`: `node-role.kubernetes.io/<role>` keys and the `kubernetes.io/role` value, sorted and unique. */
export function nodeRoles(labels: unknown): string[] {
  const roles = new Set<string>();
  for (const [k, v] of Object.entries(obj(labels))) {
    if (k.startsWith(ROLE_PREFIX)) {
      const role = k.slice(ROLE_PREFIX.length);
      if (role) roles.add(role);
    } else if (k === ROLE_LABEL && str(v) !== '') roles.add(str(v));
  }
  return [...roles].sort();
}

function address(node: Obj, type: string): string {
  const found = arr(get(node, 'status', 'addresses')).map(obj).find((a) => str(a['type']) === type);
  return found ? str(found['address']) : '<none>';
}

/**
 * kubectl's `printNode`: STATUS is `Ready`/`NotReady` from the Ready condition (`Unknown` without
 * one), plus `,SchedulingDisabled` when cordoned; ROLES from the role labels or `<none>`.
 */
export function printNode(node: Obj, now: Date): PrintedRow {
  const metadata = obj(node['metadata']);
  const info = obj(get(node, 'status', 'nodeInfo'));
  const status: string[] = [];
  const conditions = arr(get(node, 'status', 'conditions')).map(obj);
  // The last condition of a type wins, as in kubectl's map of conditions.
  const ready = conditions.filter((c) => str(c['type']) === 'Ready').at(-1);
  if (ready) status.push(str(ready['status']) === 'True' ? 'Ready' : 'NotReady');
  if (status.length === 0) status.push('Unknown');
  if (get(node, 'spec', 'unschedulable') === true) status.push('SchedulingDisabled');
  const roles = nodeRoles(metadata['labels']).join(',') || '<none>';
  return {
    cells: [
      str(metadata['name']),
      status.join(','),
      roles,
      timestampSince(metadata['creationTimestamp'], now),
      str(info['kubeletVersion']),
      address(node, 'InternalIP'),
      address(node, 'ExternalIP'),
      str(info['osImage']) || '<unknown>',
      str(info['kernelVersion']) || '<unknown>',
      str(info['containerRuntimeVersion']) || '<unknown>',
    ],
  };
}

/** Nodes: Name, Status, Roles, Age, Version; wide: Internal-IP, External-IP, OS-Image, Kernel-Version, Container-Runtime. */
export const nodePrinter: TablePrinter = {
  columns: [
    nameColumn(),
    column('Status', 'string', 'The status of the node'),
    column('Roles', 'string', 'The roles of the node'),
    ageColumn(),
    column('Version', 'string', 'Kubelet Version reported by the node.'),
    column('Internal-IP', 'string', 'List of addresses reachable to the node.', 1),
    column('External-IP', 'string', 'List of addresses reachable to the node.', 1),
    column('OS-Image', 'string', 'OS Image reported by the node from /etc/os-release (e.g. Debian GNU/Linux 7 (wheezy)).', 1),
    column('Kernel-Version', 'string', "Kernel Version reported by the node from 'uname -r' (e.g. 3.16.0-0.bpo.4-amd64).", 1),
    column('Container-Runtime', 'string', 'ContainerRuntime Version reported by the node through runtime remote API (e.g. containerd://1.4.2).', 1),
  ],
  print: printNode,
};
