import type { Node } from '@skiff/core';
import type { ResolvedNodeAgentOptions } from './options.js';

/** The kubelet version a Skiff node reports. */
export const KUBELET_VERSION = 'v1.32.0-skiff';

/** A MicroTime / Time value as Kubernetes writes it (RFC 3339, UTC, microseconds). */
export function microTime(date: Date = new Date()): string {
  return date.toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

/** A Time value (RFC 3339, seconds). */
export function rfc3339(date: Date = new Date()): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function nodeArch(): string {
  return process.arch === 'x64' ? 'amd64' : process.arch;
}

/** The Node object (metadata and spec) a node agent registers. */
export function nodeObject(options: ResolvedNodeAgentOptions): Node {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name: options.nodeName,
      labels: {
        'kubernetes.io/hostname': options.nodeName,
        'kubernetes.io/os': 'linux',
        'kubernetes.io/arch': nodeArch(),
      },
    },
    spec: { podCIDR: options.podCIDR, podCIDRs: [options.podCIDR] },
  };
}

/**
 * The Node's status: capacity, addresses, node info and the conditions of a healthy node.
 * `previous` keeps each condition's `lastTransitionTime` while its status is unchanged; `port` is
 * where the agent's own endpoint listens (Kubernetes' kubelet port, 10250, when it has none).
 * `runtimeDown`, when set, says why the container runtime cannot be used: the node is then not
 * Ready (`KubeletNotReady`, "container runtime is down: …"), as the kubelet reports it.
 */
export function nodeStatus(options: ResolvedNodeAgentOptions, runtimeVersion: string, previous?: Node['status'], port = 10250, runtimeDown?: string): NonNullable<Node['status']> {
  const now = rfc3339();
  const condition = (type: string, status: string, reason: string, message: string) => {
    const old = (previous?.conditions ?? []).find((c) => c.type === type);
    return {
      type,
      status,
      reason,
      message,
      lastHeartbeatTime: now,
      lastTransitionTime: old && old.status === status && old.lastTransitionTime ? old.lastTransitionTime : now,
    };
  };
  return {
    capacity: { ...options.capacity },
    allocatable: { ...options.capacity },
    addresses: [
      { type: 'InternalIP', address: '127.0.0.1' },
      { type: 'Hostname', address: options.nodeName },
    ],
    daemonEndpoints: { kubeletEndpoint: { Port: port } },
    nodeInfo: {
      machineID: options.nodeName,
      systemUUID: options.nodeName,
      bootID: options.nodeName,
      kernelVersion: 'skiff',
      osImage: 'Skiff',
      containerRuntimeVersion: runtimeVersion,
      kubeletVersion: KUBELET_VERSION,
      kubeProxyVersion: KUBELET_VERSION,
      operatingSystem: 'linux',
      architecture: nodeArch(),
    },
    conditions: [
      condition('MemoryPressure', 'False', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'),
      condition('DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'),
      condition('PIDPressure', 'False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'),
      runtimeDown === undefined
        ? condition('Ready', 'True', 'KubeletReady', 'kubelet is posting ready status')
        : condition('Ready', 'False', 'KubeletNotReady', `container runtime is down: ${runtimeDown}`),
    ],
  } as NonNullable<Node['status']>;
}
