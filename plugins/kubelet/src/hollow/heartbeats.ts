import { isApiError, type Lease, type Node } from '@skiff/core';
import type { Client } from '@skiff/sdk';
import { NODE_LEASE_NAMESPACE } from '../node-agent.js';
import { microTime, nodeObject, nodeStatus } from '../node-object.js';
import type { ResolvedNodeAgentOptions } from '../options.js';

const isStatus = (err: unknown, ...codes: number[]) => isApiError(err) && codes.includes(err.status.code);

/**
 * The API side of many nodes' heartbeats: registers Nodes, renews Leases and rewrites Node
 * statuses. It keeps the last Lease and Node it wrote per node and updates from them (as the
 * kubelet's lease controller does), so a renewal is one write; a conflict or a missing object falls
 * back to a read (or a create).
 */
export class NodeHeartbeats {
  private readonly leases = new Map<string, Lease>();
  private readonly nodes = new Map<string, Node>();

  constructor(
    private readonly client: Client,
    private readonly runtimeVersion: () => string,
  ) {}

  /** Creates the Node (or merges its labels and spec into an existing one) and writes its status. */
  async register(options: ResolvedNodeAgentOptions): Promise<void> {
    const api = this.client.resource('v1', 'Node');
    const desired = nodeObject(options);
    let node: Node;
    try {
      node = await api.create(desired);
    } catch (err) {
      if (!isStatus(err, 409)) throw err;
      const existing = await api.get(options.nodeName);
      node = await api.update({
        ...existing,
        metadata: { ...existing.metadata, labels: { ...(existing.metadata.labels ?? {}), ...(desired.metadata.labels ?? {}) } },
        spec: { ...(existing.spec ?? {}), ...desired.spec },
      });
    }
    this.nodes.set(options.nodeName, await api.updateStatus({ ...node, status: nodeStatus(options, this.runtimeVersion(), node.status) }));
  }

  /** Rewrites the Node's status (heartbeat times of its conditions). */
  async updateStatus(options: ResolvedNodeAgentOptions): Promise<void> {
    const api = this.client.resource('v1', 'Node');
    const name = options.nodeName;
    let node = this.nodes.get(name);
    for (let attempt = 0; ; attempt++) {
      node ??= await api.get(name);
      try {
        this.nodes.set(name, await api.updateStatus({ ...node, status: nodeStatus(options, this.runtimeVersion(), node.status) }));
        return;
      } catch (err) {
        this.nodes.delete(name);
        if (!isStatus(err, 409) || attempt > 0) throw err;
        node = undefined;
      }
    }
  }

  /** Renews the node's Lease in `kube-node-lease`, creating it when missing. */
  async renewLease(options: ResolvedNodeAgentOptions): Promise<void> {
    const api = this.client.resource('coordination.k8s.io/v1', 'Lease');
    const name = options.nodeName;
    const spec = { holderIdentity: name, leaseDurationSeconds: options.leaseDurationSeconds, renewTime: microTime() };
    let lease = this.leases.get(name);
    for (let attempt = 0; ; attempt++) {
      try {
        if (!lease) lease = await api.get(name, { namespace: NODE_LEASE_NAMESPACE });
        this.leases.set(name, await api.update({ ...lease, spec: { ...(lease.spec ?? {}), ...spec } }));
        return;
      } catch (err) {
        this.leases.delete(name);
        lease = undefined;
        if (isStatus(err, 404)) {
          const created: Lease = { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name, namespace: NODE_LEASE_NAMESPACE }, spec: { ...spec, acquireTime: microTime() } };
          this.leases.set(name, await api.create(created));
          return;
        }
        if (!isStatus(err, 409) || attempt > 0) throw err;
      }
    }
  }
}
