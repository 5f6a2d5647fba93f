import { builtinResources, type KubeObject, type ResourceInfo } from '@skiff/core';
import { describe, expect, it } from 'vitest';
import { toTable } from '../../src/tables/index.js';
import { ago, NOW, object } from './fixtures.js';

const res = (kind: string): ResourceInfo => {
  const found = builtinResources.find((r) => r.kind === kind);
  if (!found) throw new Error(kind);
  return found;
};
const crd: ResourceInfo = {
  group: 'example.com',
  version: 'v1alpha1',
  kind: 'Widget',
  plural: 'widgets',
  singular: 'widget',
  namespaced: true,
  shortNames: [],
  categories: [],
  statusSubresource: false,
  scaleSubresource: false,
};

const template = { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx:1' }, { name: 'log', image: 'busybox' }] } };

interface Case {
  name: string;
  res: ResourceInfo;
  object: KubeObject;
  columns: string[];
  wide: string[];
  cells: unknown[];
}

const cases: Case[] = [
  {
    name: 'node ready with roles',
    res: res('Node'),
    object: object(
      'v1',
      'Node',
      'n1',
      {
        status: {
          conditions: [{ type: 'MemoryPressure', status: 'False' }, { type: 'Ready', status: 'True' }],
          addresses: [{ type: 'Hostname', address: 'n1' }, { type: 'InternalIP', address: '10.0.0.1' }],
          nodeInfo: { kubeletVersion: 'v1.30.0', osImage: 'Debian', kernelVersion: '6.1', containerRuntimeVersion: 'skiff://1' },
        },
      },
      { labels: { 'node-role.kubernetes.io/worker': '', 'node-role.kubernetes.io/control-plane': '', 'kubernetes.io/role': 'edge' }, namespace: undefined },
    ),
    columns: ['Name', 'Status', 'Roles', 'Age', 'Version'],
    wide: ['Internal-IP', 'External-IP', 'OS-Image', 'Kernel-Version', 'Container-Runtime'],
    cells: ['n1', 'Ready', 'control-plane,edge,worker', '5m', 'v1.30.0', '10.0.0.1', '<none>', 'Debian', '6.1', 'skiff://1'],
  },
  {
    name: 'node not ready and cordoned',
    res: res('Node'),
    object: object('v1', 'Node', 'n2', { spec: { unschedulable: true }, status: { conditions: [{ type: 'Ready', status: 'Unknown' }] } }),
    columns: ['Name', 'Status', 'Roles', 'Age', 'Version'],
    wide: ['Internal-IP', 'External-IP', 'OS-Image', 'Kernel-Version', 'Container-Runtime'],
    cells: ['n2', 'NotReady,SchedulingDisabled', '<none>', '5m', '', '<none>', '<none>', '<unknown>', '<unknown>', '<unknown>'],
  },
  {
    name: 'node without conditions',
    res: res('Node'),
    object: object('v1', 'Node', 'n3', { spec: { unschedulable: true } }),
    columns: ['Name', 'Status', 'Roles', 'Age', 'Version'],
    wide: ['Internal-IP', 'External-IP', 'OS-Image', 'Kernel-Version', 'Container-Runtime'],
    cells: ['n3', 'Unknown,SchedulingDisabled', '<none>', '5m', '', '<none>', '<none>', '<unknown>', '<unknown>', '<unknown>'],
  },
  {
    name: 'namespace',
    res: res('Namespace'),
    object: object('v1', 'Namespace', 'team', { status: { phase: 'Active' } }, { creationTimestamp: ago(3 * 86400 + 3600) }),
    columns: ['Name', 'Status', 'Age'],
    wide: [],
    cells: ['team', 'Active', '3d1h'],
  },
  {
    name: 'service ClusterIP',
    res: res('Service'),
    object: object('v1', 'Service', 'web', {
      spec: { type: 'ClusterIP', clusterIP: '10.96.0.10', clusterIPs: ['10.96.0.10'], ports: [{ port: 80, protocol: 'TCP' }, { port: 53, protocol: 'UDP' }], selector: { tier: 'fe', app: 'web' } },
    }),
    columns: ['Name', 'Type', 'Cluster-IP', 'External-IP', 'Port(s)', 'Age'],
    wide: ['Selector'],
    cells: ['web', 'ClusterIP', '10.96.0.10', '<none>', '80/TCP,53/UDP', '5m', 'app=web,tier=fe'],
  },
  {
    name: 'service NodePort with defaults (no type, no protocol, no clusterIPs)',
    res: res('Service'),
    object: object('v1', 'Service', 'np', { spec: { clusterIP: '10.96.0.11', ports: [{ port: 80, nodePort: 30080 }] } }),
    columns: ['Name', 'Type', 'Cluster-IP', 'External-IP', 'Port(s)', 'Age'],
    wide: ['Selector'],
    cells: ['np', 'ClusterIP', '10.96.0.11', '<none>', '80:30080/TCP', '5m', '<none>'],
  },
  {
    name: 'service LoadBalancer pending',
    res: res('Service'),
    object: object('v1', 'Service', 'lb', { spec: { type: 'LoadBalancer', clusterIPs: ['10.96.0.12'], ports: [{ port: 443, nodePort: 31443, protocol: 'TCP' }] } }),
    columns: ['Name', 'Type', 'Cluster-IP', 'External-IP', 'Port(s)', 'Age'],
    wide: ['Selector'],
    cells: ['lb', 'LoadBalancer', '10.96.0.12', '<pending>', '443:31443/TCP', '5m', '<none>'],
  },
  {
    name: 'service LoadBalancer with ingress and external IPs',
    res: res('Service'),
    object: object('v1', 'Service', 'lb2', {
      spec: { type: 'LoadBalancer', clusterIPs: ['10.96.0.13'], externalIPs: ['1.1.1.1'], ports: [] },
      status: { loadBalancer: { ingress: [{ ip: '2.2.2.2' }, { hostname: 'lb.example.com' }] } },
    }),
    columns: ['Name', 'Type', 'Cluster-IP', 'External-IP', 'Port(s)', 'Age'],
    wide: ['Selector'],
    cells: ['lb2', 'LoadBalancer', '10.96.0.13', '2.2.2.2,lb.example.com,1.1.1.1', '<none>', '5m', '<none>'],
  },
  {
    name: 'service ExternalName',
    res: res('Service'),
    object: object('v1', 'Service', 'ext', { spec: { type: 'ExternalName', externalName: 'db.example.com', clusterIP: 'None' } }),
    columns: ['Name', 'Type', 'Cluster-IP', 'External-IP', 'Port(s)', 'Age'],
    wide: ['Selector'],
    cells: ['ext', 'ExternalName', 'None', 'db.example.com', '<none>', '5m', '<none>'],
  },
  {
    name: 'endpoints with more than three',
    res: res('Endpoints'),
    object: object('v1', 'Endpoints', 'web', {
      subsets: [{ addresses: [{ ip: '10.0.0.1' }, { ip: '10.0.0.2' }, { ip: 'fd00::3' }], ports: [{ port: 80 }, { port: 443 }] }],
    }),
    columns: ['Name', 'Endpoints', 'Age'],
    wide: [],
    cells: ['web', '10.0.0.1:80,10.0.0.2:80,[fd00::3]:80 + 3 more...', '5m'],
  },
  {
    name: 'endpoints headless without ports',
    res: res('Endpoints'),
    object: object('v1', 'Endpoints', 'hl', { subsets: [{ addresses: [{ ip: '10.0.0.1' }, { ip: '10.0.0.2' }] }] }),
    columns: ['Name', 'Endpoints', 'Age'],
    wide: [],
    cells: ['hl', '10.0.0.1,10.0.0.2', '5m'],
  },
  {
    name: 'endpoints empty',
    res: res('Endpoints'),
    object: object('v1', 'Endpoints', 'none'),
    columns: ['Name', 'Endpoints', 'Age'],
    wide: [],
    cells: ['none', '<none>', '5m'],
  },
  {
    name: 'replication controller',
    res: res('ReplicationController'),
    object: object('v1', 'ReplicationController', 'rc', { spec: { replicas: 3, selector: { app: 'web' }, template }, status: { replicas: 3, readyReplicas: 2 } }),
    columns: ['Name', 'Desired', 'Current', 'Ready', 'Age'],
    wide: ['Containers', 'Images', 'Selector'],
    cells: ['rc', 3, 3, 2, '5m', 'web,log', 'nginx:1,busybox', 'app=web'],
  },
  {
    name: 'replica set',
    res: res('ReplicaSet'),
    object: object('apps/v1', 'ReplicaSet', 'rs', {
      spec: { replicas: 2, selector: { matchLabels: { app: 'web' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['b', 'a'] }, { key: 'canary', operator: 'DoesNotExist' }] }, template },
      status: { replicas: 2 },
    }),
    columns: ['Name', 'Desired', 'Current', 'Ready', 'Age'],
    wide: ['Containers', 'Images', 'Selector'],
    cells: ['rs', 2, 2, 0, '5m', 'web,log', 'nginx:1,busybox', 'app=web,!canary,tier in (a,b)'],
  },
  {
    name: 'deployment',
    res: res('Deployment'),
    object: object('apps/v1', 'Deployment', 'web', {
      spec: { replicas: 3, selector: { matchLabels: { app: 'web' } }, template },
      status: { readyReplicas: 2, updatedReplicas: 3, availableReplicas: 2 },
    }),
    columns: ['Name', 'Ready', 'Up-to-date', 'Available', 'Age'],
    wide: ['Containers', 'Images', 'Selector'],
    cells: ['web', '2/3', 3, 2, '5m', 'web,log', 'nginx:1,busybox', 'app=web'],
  },
  {
    name: 'deployment without status, replicas defaulted',
    res: res('Deployment'),
    object: object('apps/v1', 'Deployment', 'new', { spec: { selector: {}, template } }),
    columns: ['Name', 'Ready', 'Up-to-date', 'Available', 'Age'],
    wide: ['Containers', 'Images', 'Selector'],
    cells: ['new', '0/1', 0, 0, '5m', 'web,log', 'nginx:1,busybox', ''],
  },
  {
    name: 'daemon set',
    res: res('DaemonSet'),
    object: object('apps/v1', 'DaemonSet', 'agent', {
      spec: { selector: { matchLabels: { app: 'agent' } }, template: { ...template, spec: { ...template.spec, nodeSelector: { 'kubernetes.io/os': 'linux' } } } },
      status: { desiredNumberScheduled: 3, currentNumberScheduled: 3, numberReady: 2, updatedNumberScheduled: 3, numberAvailable: 2 },
    }),
    columns: ['Name', 'Desired', 'Current', 'Ready', 'Up-to-date', 'Available', 'Node Selector', 'Age'],
    wide: ['Containers', 'Images', 'Selector'],
    cells: ['agent', 3, 3, 2, 3, 2, 'kubernetes.io/os=linux', '5m', 'web,log', 'nginx:1,busybox', 'app=agent'],
  },
  {
    name: 'job running',
    res: res('Job'),
    object: object('batch/v1', 'Job', 'j', { spec: { completions: 3, selector: { matchLabels: { 'job-name': 'j' } }, template }, status: { succeeded: 1, startTime: ago(150) } }),
    columns: ['Name', 'Status', 'Completions', 'Duration', 'Age'],
    wide: ['Containers', 'Images', 'Selector'],
    cells: ['j', 'Running', '1/3', '2m30s', '5m', 'web,log', 'nginx:1,busybox', 'job-name=j'],
  },
  {
    name: 'job complete',
    res: res('Job'),
    object: object('batch/v1', 'Job', 'done', {
      spec: { completions: 1, template },
      status: { succeeded: 1, startTime: ago(200), completionTime: ago(190), conditions: [{ type: 'Complete', status: 'True' }] },
    }),
    columns: ['Name', 'Status', 'Completions', 'Duration', 'Age'],
    wide: ['Containers', 'Images', 'Selector'],
    cells: ['done', 'Complete', '1/1', '10s', '5m', 'web,log', 'nginx:1,busybox', '<none>'],
  },
  {
    name: 'job failed, parallel without completions, not started',
    res: res('Job'),
    object: object('batch/v1', 'Job', 'par', { spec: { parallelism: 4, template }, status: { conditions: [{ type: 'Failed', status: 'True' }] } }),
    columns: ['Name', 'Status', 'Completions', 'Duration', 'Age'],
    wide: ['Containers', 'Images', 'Selector'],
    cells: ['par', 'Failed', '0/1 of 4', '', '5m', 'web,log', 'nginx:1,busybox', '<none>'],
  },
  {
    name: 'event',
    res: res('Event'),
    object: object('v1', 'Event', 'web.1', {
      involvedObject: { kind: 'Pod', name: 'web', namespace: 'default', fieldPath: 'spec.containers{web}' },
      reason: 'Pulled',
      type: 'Normal',
      message: ' Pulled image \n',
      source: { component: 'kubelet', host: 'n1' },
      firstTimestamp: ago(600),
      lastTimestamp: ago(60),
      count: 4,
    }),
    columns: ['Last Seen', 'Type', 'Reason', 'Object', 'Message'],
    wide: ['Subobject', 'Source', 'First Seen', 'Count', 'Name'],
    cells: ['60s', 'Normal', 'Pulled', 'pod/web', 'spec.containers{web}', 'kubelet, n1', 'Pulled image', '10m', 4, 'web.1'],
  },
  {
    name: 'event with eventTime only and a series',
    res: res('Event'),
    object: object('v1', 'Event', 'e2', {
      involvedObject: { kind: 'Node' },
      reason: 'Rebooted',
      type: 'Warning',
      message: 'x',
      eventTime: '2026-01-01T11:50:00.000000Z',
      reportingController: 'skiff/node',
      series: { count: 7, lastObservedTime: '2026-01-01T11:59:00.000000Z' },
    }),
    columns: ['Last Seen', 'Type', 'Reason', 'Object', 'Message'],
    wide: ['Subobject', 'Source', 'First Seen', 'Count', 'Name'],
    cells: ['60s', 'Warning', 'Rebooted', 'node', '', 'skiff/node', 'x', '10m', 7, 'e2'],
  },
  {
    name: 'singleton event without count',
    res: res('Event'),
    object: object('v1', 'Event', 'e3', { involvedObject: { kind: 'Deployment', name: 'web' }, firstTimestamp: ago(5) }),
    columns: ['Last Seen', 'Type', 'Reason', 'Object', 'Message'],
    wide: ['Subobject', 'Source', 'First Seen', 'Count', 'Name'],
    cells: ['5s', '', '', 'deployment/web', '', '', '', '5s', 1, 'e3'],
  },
  {
    name: 'configmap',
    res: res('ConfigMap'),
    object: object('v1', 'ConfigMap', 'cfg', { data: { a: '1', b: '2' }, binaryData: { c: 'AA==' } }),
    columns: ['Name', 'Data', 'Age'],
    wide: [],
    cells: ['cfg', 3, '5m'],
  },
  {
    name: 'secret',
    res: res('Secret'),
    object: object('v1', 'Secret', 's', { type: 'kubernetes.io/tls', data: { 'tls.crt': 'AA==', 'tls.key': 'AA==' } }),
    columns: ['Name', 'Type', 'Data', 'Age'],
    wide: [],
    cells: ['s', 'kubernetes.io/tls', 2, '5m'],
  },
  {
    name: 'secret with default type',
    res: res('Secret'),
    object: object('v1', 'Secret', 's2'),
    columns: ['Name', 'Type', 'Data', 'Age'],
    wide: [],
    cells: ['s2', 'Opaque', 0, '5m'],
  },
  {
    name: 'lease',
    res: res('Lease'),
    object: object('coordination.k8s.io/v1', 'Lease', 'n1', { spec: { holderIdentity: 'n1_abc' } }),
    columns: ['Name', 'Holder', 'Age'],
    wide: [],
    cells: ['n1', 'n1_abc', '5m'],
  },
  {
    name: 'custom resource',
    res: crd,
    object: object('example.com/v1alpha1', 'Widget', 'w', { spec: { size: 3 } }, { creationTimestamp: ago(7200) }),
    columns: ['Name', 'Age'],
    wide: [],
    cells: ['w', '120m'],
  },
];

describe('toTable per kind', () => {
  it.each(cases)('$name', ({ res: r, object: o, columns, wide, cells }) => {
    const table = toTable(r, [o], { now: NOW });
    expect(table.columnDefinitions.filter((c) => c.priority === 0).map((c) => c.name)).toEqual(columns);
    expect(table.columnDefinitions.filter((c) => c.priority > 0).map((c) => c.name)).toEqual(wide);
    expect(table.rows).toHaveLength(1);
    expect(table.rows[0]?.cells).toEqual(cells);
    expect(table.rows[0]?.cells).toHaveLength(table.columnDefinitions.length);
    const names = table.columnDefinitions.filter((c) => c.format === 'name').map((c) => c.name);
    expect(names).toEqual(['Name']);
  });
});

describe('toTable envelope', () => {
  const cm = object('v1', 'ConfigMap', 'cfg', { data: { a: '1' } }, { labels: { app: 'x' }, resourceVersion: '12' });

  it('is a meta.k8s.io/v1 Table with list metadata and PartialObjectMetadata rows by default', () => {
    const table = toTable(res('ConfigMap'), [cm], { now: NOW, listMeta: { resourceVersion: '42', continue: undefined, remainingItemCount: 3 } });
    expect(table.kind).toBe('Table');
    expect(table.apiVersion).toBe('meta.k8s.io/v1');
    expect(table.metadata).toEqual({ resourceVersion: '42', remainingItemCount: 3 });
    expect(table.rows[0]?.object).toEqual({ kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: cm.metadata });
    expect(JSON.parse(JSON.stringify(table))).toEqual(table);
  });

  it('honours includeObject=Object and None', () => {
    expect(toTable(res('ConfigMap'), [cm], { now: NOW, includeObject: 'Object' }).rows[0]?.object).toEqual(cm);
    const none = toTable(res('ConfigMap'), [cm], { now: NOW, includeObject: 'None' }).rows[0];
    expect(none && 'object' in none).toBe(false);
  });

  it('keeps object order, handles empty lists and does not modify inputs', () => {
    const a = object('v1', 'ConfigMap', 'a');
    const b = object('v1', 'ConfigMap', 'b');
    const before = JSON.stringify([b, a]);
    const table = toTable(res('ConfigMap'), [b, a], { now: NOW });
    expect(table.rows.map((r) => r.cells[0])).toEqual(['b', 'a']);
    expect(JSON.stringify([b, a])).toBe(before);
    const empty = toTable(res('Pod'), [], { now: NOW });
    expect(empty.rows).toEqual([]);
    expect(empty.metadata).toEqual({});
    expect(empty.columnDefinitions.length).toBe(9);
  });

  it('shows <unknown> age without creationTimestamp and tolerates malformed objects', () => {
    const broken = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'x' }, spec: 'nope', status: { containerStatuses: [null, 3] } } as unknown as KubeObject;
    const table = toTable(res('Pod'), [broken], { now: NOW });
    expect(table.rows[0]?.cells.slice(0, 5)).toEqual(['x', '0/0', '', '0', '<unknown>']);
  });
});
