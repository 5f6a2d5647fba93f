import type { EndpointAddress, EndpointPort, EndpointSubset, Pod, Service, ServicePort } from '@skiff/core';
import { podReady } from '../daemonset/pod-status.js';

/**
 * The container port a service port reaches on a pod (Kubernetes' `podutil.FindPort`): a numeric
 * `targetPort` as is (the service `port` when unset); a named one looked up among the pod's
 * containers' ports by name and protocol — `undefined` when the pod has no such port.
 */
export function findPort(pod: Pod, servicePort: ServicePort): number | undefined {
  const target = servicePort.targetPort ?? servicePort.port;
  if (typeof target === 'number') return target;
  if (/^\d+$/.test(target)) return Number(target);
  const protocol = servicePort.protocol ?? 'TCP';
  for (const container of pod.spec?.containers ?? []) {
    for (const port of container.ports ?? []) {
      if (port.name === target && (port.protocol ?? 'TCP') === protocol) return port.containerPort;
    }
  }
  return undefined;
}

/** Whether a pod is an endpoint at all: it has an IP, has not finished, and (unless the service publishes not-ready addresses) is not terminating. */
function podIsEndpoint(pod: Pod, publishNotReady: boolean): boolean {
  if (!pod.status?.podIP) return false;
  if (pod.status.phase === 'Failed' || pod.status.phase === 'Succeeded') return false;
  if (pod.metadata.deletionTimestamp && !publishNotReady) return false;
  return true;
}

function addressOf(pod: Pod, service: Service): EndpointAddress {
  const address: EndpointAddress = {
    ip: pod.status!.podIP!,
    targetRef: { kind: 'Pod', namespace: pod.metadata.namespace!, name: pod.metadata.name!, uid: pod.metadata.uid! },
  };
  if (pod.spec?.nodeName) address.nodeName = pod.spec.nodeName;
  if (pod.spec?.hostname && pod.spec.subdomain === service.metadata.name) address.hostname = pod.spec.hostname;
  return address;
}

const portKey = (ports: EndpointPort[]) => JSON.stringify(ports.map((p) => [p.name ?? '', p.port, p.protocol ?? 'TCP']));

/**
 * The Endpoints subsets of a service over the pods its selector matches (Kubernetes' endpoints
 * controller with `RepackSubsets`): each eligible pod contributes its address — under `addresses`
 * when Ready (or when the service publishes not-ready addresses), else `notReadyAddresses` — with
 * the ports it resolves; addresses with the same port set share a subset. A pod lacking a named
 * target port is left out of that port. Deterministic order (ports, then IPs).
 */
export function endpointSubsets(service: Service, pods: Pod[]): EndpointSubset[] {
  const publishNotReady = service.spec?.publishNotReadyAddresses === true;
  const servicePorts = service.spec?.ports ?? [];
  const groups = new Map<string, EndpointSubset>();
  for (const pod of pods) {
    if (!podIsEndpoint(pod, publishNotReady)) continue;
    const ports: EndpointPort[] = [];
    for (const sp of servicePorts) {
      const port = findPort(pod, sp);
      if (port === undefined) continue;
      ports.push({ ...(sp.name ? { name: sp.name } : {}), port, protocol: sp.protocol ?? 'TCP', ...(sp.appProtocol ? { appProtocol: sp.appProtocol } : {}) });
    }
    // A service with ports whose pod resolves none of them has nothing to offer (headless services without ports list bare addresses).
    if (servicePorts.length > 0 && ports.length === 0) continue;
    ports.sort((a, b) => (a.name ?? '').localeCompare(b.name ?? '') || a.port - b.port);
    const key = portKey(ports);
    let subset = groups.get(key);
    if (!subset) groups.set(key, (subset = ports.length > 0 ? { ports } : {}));
    const ready = publishNotReady || podReady(pod);
    const list = ready ? (subset.addresses ??= []) : (subset.notReadyAddresses ??= []);
    list.push(addressOf(pod, service));
  }
  const byIp = (a: EndpointAddress, b: EndpointAddress) => a.ip.localeCompare(b.ip, 'en', { numeric: true }) || (a.targetRef?.name ?? '').localeCompare(b.targetRef?.name ?? '');
  for (const subset of groups.values()) {
    subset.addresses?.sort(byIp);
    subset.notReadyAddresses?.sort(byIp);
  }
  return [...groups.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([, s]) => s);
}
