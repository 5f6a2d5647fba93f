/**
 * @skiff/plugin-kubelet: the node agent. `nodeAgent({ nodeName })` registers a Node, renews its
 * Lease in `kube-node-lease`, and runs the pods bound to the node through a container runtime from
 * the cluster's `runtime` registry (sandbox, init containers, app containers, restarts with
 * backoff, pod status, graceful deletion, adoption after a restart), serves pod logs (a
 * `PodLogSource` in the `podLogs` registry) and runs startup/liveness/readiness probes.
 */
export { nodeAgent, nodeAgentOf, nodeAgentPluginName } from './plugin.js';
export { NodeAgent, NODE_LEASE_NAMESPACE } from './node-agent.js';
export { DEFAULT_CAPACITY, NODE_AGENT_OPTIONS_SCHEMA, resolveOptions, type NodeAgentOptions, type ResolvedNodeAgentOptions } from './options.js';
export { IpAllocator } from './ip-allocator.js';
export { KUBELET_VERSION } from './node-object.js';
export { NodePodLogs, chooseContainer, logTimestamp, type PodLogDeps } from './pod-logs.js';
export { ProbeManager, resolvePort, runProbe, type ProbeKind, type ProbeOutcome, type ProbeTarget, type UnhealthyHandler } from './probes.js';
export { hollowNodes, hollowNodesOf, HOLLOW_NODES_PLUGIN } from './hollow/plugin.js';
export { HollowNodes } from './hollow/hollow-nodes.js';
export { HollowNode } from './hollow/hollow-node.js';
export { HOLLOW_NODES_OPTIONS_SCHEMA, MAX_HOLLOW_NODES, hollowPodCIDR, resolveHollowOptions, type HollowNodesOptions, type ResolvedHollowNodesOptions } from './hollow/options.js';
export { stopWithPreStop, runPreStop, MIN_STOP_GRACE_SECONDS, type PodRef, type PreStopFailureHandler } from './prestop.js';
export { restartDelay, goDuration, RESTART_BACKOFF_LABEL, type RestartBackoff } from './restart-backoff.js';
export { runHandler, type HandlerAction, type HandlerTarget } from './probes.js';
