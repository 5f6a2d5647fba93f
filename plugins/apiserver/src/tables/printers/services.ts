import { arr, get, num, obj, str, type Obj } from '../access.js';
import { ageColumn, column, nameColumn } from '../columns.js';
import { timestampSince } from '../duration.js';
import { formatLabels, joinHostPort } from '../format.js';
import type { PrintedRow, TablePrinter } from '../types.js';

/** Like kubectl's `makePortString`: `80/TCP`, `80:30080/TCP` with a node port, comma-joined; protocol defaults to TCP. */
export function servicePorts(ports: unknown): string {
  return arr(ports)
    .map(obj)
    .map((p) => {
      const protocol = str(p['protocol']) || 'TCP';
      const nodePort = num(p['nodePort']);
      return nodePort > 0 ? `${num(p['port'])}:${nodePort}/${protocol}` : `${num(p['port'])}/${protocol}`;
    })
    .join(',');
}

/** Like kubectl's `loadBalancerStatusStringer` (wide): ingress IPs or hostnames, unique, sorted. */
function loadBalancerIPs(service: Obj): string {
  const result = new Set<string>();
  for (const raw of arr(get(service, 'status', 'loadBalancer', 'ingress'))) {
    const ingress = obj(raw);
    if (str(ingress['ip'])) result.add(str(ingress['ip']));
    else if (str(ingress['hostname'])) result.add(str(ingress['hostname']));
  }
  return [...result].sort().join(',');
}

/** Like kubectl's `getServiceExternalIP`. */
export function serviceExternalIP(service: Obj, type: string): string {
  const externalIPs = arr(get(service, 'spec', 'externalIPs')).map(str);
  switch (type) {
    case 'ClusterIP':
    case 'NodePort':
      return externalIPs.length > 0 ? externalIPs.join(',') : '<none>';
    case 'LoadBalancer': {
      const lb = loadBalancerIPs(service);
      if (externalIPs.length > 0) return [...(lb ? lb.split(',') : []), ...externalIPs].join(',');
      return lb || '<pending>';
    }
    case 'ExternalName':
      return str(get(service, 'spec', 'externalName'));
    default:
      return '<unknown>';
  }
}

/**
 * kubectl's `printService`. `spec.type` defaults to `ClusterIP` and `spec.clusterIPs` to
 * `[spec.clusterIP]`, as Kubernetes' defaulting would have set them.
 */
export function printService(service: Obj, now: Date): PrintedRow {
  const metadata = obj(service['metadata']);
  const spec = obj(service['spec']);
  const type = str(spec['type']) || 'ClusterIP';
  const clusterIPs = arr(spec['clusterIPs']).map(str);
  const clusterIP = clusterIPs[0] ?? (str(spec['clusterIP']) || '<none>');
  return {
    cells: [
      str(metadata['name']),
      type,
      clusterIP,
      serviceExternalIP(service, type),
      servicePorts(spec['ports']) || '<none>',
      timestampSince(metadata['creationTimestamp'], now),
      formatLabels(spec['selector']),
    ],
  };
}

/** Services: Name, Type, Cluster-IP, External-IP, Port(s), Age; wide: Selector. */
export const servicePrinter: TablePrinter = {
  columns: [
    nameColumn(),
    column('Type', 'string', 'type determines how the Service is exposed.'),
    column('Cluster-IP', 'string', 'clusterIP is the IP address of the service and is usually assigned randomly.'),
    column('External-IP', 'string', 'externalIPs is a list of IP addresses for which nodes in the cluster will also accept traffic for this service.'),
    column('Port(s)', 'string', 'The list of ports that are exposed by this service.'),
    ageColumn(),
    column('Selector', 'string', 'Route service traffic to pods with label keys and values matching this selector.', 1),
  ],
  print: printService,
};

/**
 * Like kubectl's `formatEndpoints` (all ports): `ip:port` per address and port, at most three,
 * then ` + N more...`; addresses alone for port-less subsets; `<none>` when empty.
 */
export function formatEndpoints(endpoints: Obj): string {
  const subsets = arr(endpoints['subsets']).map(obj);
  if (subsets.length === 0) return '<none>';
  const list: string[] = [];
  const max = 3;
  let more = false;
  let count = 0;
  for (const ss of subsets) {
    const addresses = arr(ss['addresses']).map(obj);
    const ports = arr(ss['ports']).map(obj);
    if (ports.length === 0) {
      count += addresses.length;
      for (const addr of addresses) {
        if (list.length === max) {
          more = true;
          break;
        }
        list.push(str(addr['ip']));
      }
      continue;
    }
    for (const port of ports) {
      count += addresses.length;
      for (const addr of addresses) {
        if (list.length === max) {
          more = true;
          break;
        }
        list.push(joinHostPort(str(addr['ip']), num(port['port'])));
      }
    }
  }
  const ret = list.join(',');
  if (more) return `${ret} + ${count - max} more...`;
  return ret || '<none>';
}

/** Endpoints: Name, Endpoints, Age. */
export const endpointsPrinter: TablePrinter = {
  columns: [nameColumn(), column('Endpoints', 'string', 'The set of all endpoints is the union of all subsets.'), ageColumn()],
  print: (endpoints, now) => {
    const metadata = obj(endpoints['metadata']);
    return { cells: [str(metadata['name']), formatEndpoints(endpoints), timestampSince(metadata['creationTimestamp'], now)] };
  },
};
