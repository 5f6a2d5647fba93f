import { isDeepStrictEqual } from 'node:util';
import { isApiError, selectorFromSet, type Endpoints, type Pod, type Service } from '@skiff/core';
import { defineController, type ControllerContext, type Plugin } from '@skiff/sdk';
import { isNamespaceTerminating } from '../daemonset/pod-status.js';
import { endpointSubsets } from './subsets.js';

/** Options of {@link endpointsController} (none yet; services reconcile four at a time). */
export type EndpointsControllerOptions = Record<string, never>;

/** The label marking Endpoints this controller manages (as Kubernetes marks its EndpointSlices). */
export const ENDPOINTS_MANAGED_BY_LABEL = 'endpoints.skiff.dev/managed-by';
/** Its value. */
export const ENDPOINTS_MANAGER = 'endpoints-controller';
/** Kubernetes' label on the Endpoints of a headless service. */
const HEADLESS_LABEL = 'service.kubernetes.io/headless';

const SERVICE = { apiVersion: 'v1', kind: 'Service' } as const;
const ENDPOINTS = { apiVersion: 'v1', kind: 'Endpoints' } as const;
const POD = { apiVersion: 'v1', kind: 'Pod' } as const;

const selects = (service: Service) => Object.keys(service.spec?.selector ?? {}).length > 0;

/**
 * The endpoints controller: for each Service with a selector, an Endpoints object of the same name
 * listing the matching pods' IPs — ready pods under `addresses`, the others under
 * `notReadyAddresses` (all under `addresses` with `publishNotReadyAddresses`), each with a
 * `targetRef` — and the ports resolved from each service port's `targetPort` (numbers, or names
 * looked up per pod; a pod without the named port is left out of that port). Terminating and
 * finished pods are left out (terminating ones stay with `publishNotReadyAddresses`). The
 * Endpoints carry the service's labels plus `endpoints.skiff.dev/managed-by`. When the Service is
 * deleted its Endpoints are deleted (as Kubernetes does); when it loses its selector, Endpoints
 * this controller made are deleted, while Endpoints a user manages for a selector-less Service
 * are left alone.
 */
export function endpointsController(options: EndpointsControllerOptions = {}): Plugin<EndpointsControllerOptions> {
  return endpointsDefinition(options);
}

/** The definition behind {@link endpointsController}. */
const endpointsDefinition = defineController<EndpointsControllerOptions>({
  name: 'Endpoints',
  component: 'endpoint-controller',
  for: SERVICE,
  watches: [
    { ...ENDPOINTS, map: (ep) => [{ namespace: ep.metadata.namespace!, name: ep.metadata.name! }] },
    // A pod change concerns the services in its namespace whose selector matches its labels.
    {
      ...POD,
      map: (pod, { cache }) =>
        cache<Service>(SERVICE)
          .byIndex('namespace', pod.metadata.namespace ?? '')
          .filter((s) => selects(s) && selectorFromSet(s.spec!.selector!).matches(pod.metadata.labels ?? {}))
          .map((s) => ({ namespace: s.metadata.namespace!, name: s.metadata.name! })),
    },
  ],
  maxConcurrentReconciles: 4,
  optionsSchema: { type: 'object', additionalProperties: false, properties: {} },
  reconcile: (ctx, req) => syncService(ctx, req.namespace!, req.name),
});

async function syncService(ctx: ControllerContext<EndpointsControllerOptions>, namespace: string, name: string): Promise<void> {
  const service = ctx.cache<Service>(SERVICE).get(`${namespace}/${name}`);
  const current = ctx.cache<Endpoints>(ENDPOINTS).get(`${namespace}/${name}`);
  const endpoints = ctx.client.resource('v1', 'Endpoints');
  if (!service || !selects(service)) {
    const ours = current?.metadata.labels?.[ENDPOINTS_MANAGED_BY_LABEL] === ENDPOINTS_MANAGER;
    if (current && (!service || ours)) {
      await endpoints.delete(name, { namespace, preconditions: { uid: current.metadata.uid! } }).catch((err: unknown) => {
        if (!isApiError(err, 404) && !isApiError(err, 409)) throw err;
      });
    }
    return;
  }
  if (service.metadata.deletionTimestamp) return;
  const selector = selectorFromSet(service.spec!.selector!);
  const pods = ctx
    .cache<Pod>(POD)
    .byIndex('namespace', namespace)
    .filter((p) => selector.matches(p.metadata.labels ?? {}));
  const subsets = endpointSubsets(service, pods);
  const labels: Record<string, string> = { ...(service.metadata.labels ?? {}), [ENDPOINTS_MANAGED_BY_LABEL]: ENDPOINTS_MANAGER };
  if (service.spec?.clusterIP === 'None') labels[HEADLESS_LABEL] = '';
  if (!current) {
    try {
      await endpoints.create({ apiVersion: 'v1', kind: 'Endpoints', metadata: { name, namespace, labels }, ...(subsets.length > 0 ? { subsets } : {}) });
    } catch (err) {
      // 409: the cache lags (the update on the next pass settles it); 403: the namespace is being deleted.
      if (!isApiError(err, 409) && !isNamespaceTerminating(err)) throw err;
    }
    return;
  }
  const same = isDeepStrictEqual(current.subsets ?? [], subsets) && isDeepStrictEqual(current.metadata.labels ?? {}, labels);
  if (same) return;
  const next: Endpoints = { ...current, metadata: { ...current.metadata, labels } };
  if (subsets.length > 0) next.subsets = subsets;
  else delete next.subsets;
  await endpoints.update(next);
}
