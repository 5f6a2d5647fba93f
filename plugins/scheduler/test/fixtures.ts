import type { Node, Pod, Taint } from '@skiff/core';
import type { Client } from '@skiff/sdk';

export interface NodeSpecInput {
  cpu?: string;
  memory?: string;
  pods?: string;
  labels?: Record<string, string>;
  taints?: Taint[];
  unschedulable?: boolean;
}

/** Creates a Node with `status.allocatable` (and capacity) set, through the API. */
export async function createNode(client: Client, name: string, input: NodeSpecInput = {}): Promise<Node> {
  const nodes = client.resource('v1', 'Node');
  const created = await nodes.create({
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, labels: { 'kubernetes.io/hostname': name, ...(input.labels ?? {}) } },
    spec: { ...(input.taints ? { taints: input.taints } : {}), ...(input.unschedulable ? { unschedulable: true } : {}) },
  });
  const resources = { cpu: input.cpu ?? '4', memory: input.memory ?? '8Gi', pods: input.pods ?? '110', 'ephemeral-storage': '20Gi' };
  return nodes.updateStatus({ ...created, status: { capacity: resources, allocatable: resources } });
}

export interface PodInput {
  cpu?: string;
  memory?: string;
  namespace?: string;
  labels?: Record<string, string>;
  nodeSelector?: Record<string, string>;
  affinity?: NonNullable<Pod['spec']>['affinity'];
  tolerations?: NonNullable<Pod['spec']>['tolerations'];
  schedulerName?: string;
  ownerUid?: string;
}

export function podObject(name: string, input: PodInput = {}): Pod {
  const requests: Record<string, string> = {};
  if (input.cpu) requests['cpu'] = input.cpu;
  if (input.memory) requests['memory'] = input.memory;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: input.namespace ?? 'default',
      ...(input.labels ? { labels: input.labels } : {}),
      ...(input.ownerUid ? { ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'rs', uid: input.ownerUid, controller: true }] } : {}),
    },
    spec: {
      containers: [{ name: 'app', image: 'busybox', ...(Object.keys(requests).length ? { resources: { requests } } : {}) }],
      ...(input.nodeSelector ? { nodeSelector: input.nodeSelector } : {}),
      ...(input.affinity ? { affinity: input.affinity } : {}),
      ...(input.tolerations ? { tolerations: input.tolerations } : {}),
      ...(input.schedulerName ? { schedulerName: input.schedulerName } : {}),
    },
  };
}

export function createPod(client: Client, name: string, input: PodInput = {}): Promise<Pod> {
  return client.resource('v1', 'Pod').create(podObject(name, input));
}

/** Every pod in `namespace` by name. */
export async function podsByName(client: Client, namespace = 'default'): Promise<Map<string, Pod>> {
  const list = await client.resource('v1', 'Pod').list({ namespace });
  return new Map(list.items.map((p) => [p.metadata.name!, p]));
}

/** The scheduler's events for a pod, by reason. */
export async function eventsFor(client: Client, podName: string, reason: string, namespace = 'default') {
  const list = await client.resource('v1', 'Event').list({ namespace, fieldSelector: `involvedObject.name=${podName},reason=${reason}` });
  return list.items;
}

/** Fast leader election and backoff for tests. */
export const FAST = {
  podInitialBackoffMs: 50,
  podMaxBackoffMs: 200,
  leaderElection: { leaseDurationMs: 1_500, renewDeadlineMs: 1_000, retryPeriodMs: 100 },
} as const;
