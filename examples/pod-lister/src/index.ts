import { parseSelector, type ConfigMap, type Pod } from '@skiff/core';
import { defineController, isApiError } from '@skiff/sdk';

/** Options: which pods to list, and the ConfigMap (in the same namespace) that lists them. */
export interface PodListerOptions {
  namespace: string;
  selector: string;
  configMapName: string;
}

/**
 * An example custom controller: keeps the ConfigMap `configMapName` holding, under `data.pods`,
 * the sorted names of the pods in `namespace` that match `selector` (one per line).
 * Any pod change in the namespace, any change to the ConfigMap itself, and the namespace appearing
 * (which happens at start-up) reconcile it.
 */
export const podLister = defineController<PodListerOptions>({
  name: 'PodLister',
  for: { apiVersion: 'v1', kind: 'ConfigMap' },
  optionsSchema: {
    type: 'object',
    required: ['namespace', 'selector', 'configMapName'],
    additionalProperties: false,
    properties: {
      namespace: { type: 'string', minLength: 1 },
      selector: { type: 'string' },
      configMapName: { type: 'string', minLength: 1 },
    },
  },
  watches: [
    {
      apiVersion: 'v1',
      kind: 'Pod',
      // Every pod change maps to the one ConfigMap key; the queue folds bursts into one reconcile.
      map: (pod) => [{ namespace: pod.metadata.namespace!, name: '__pod-lister__' }],
    },
    {
      apiVersion: 'v1',
      kind: 'Namespace',
      // The namespace's own ADDED event at start-up creates the ConfigMap even before any pod exists.
      map: (ns) => [{ namespace: ns.metadata.name!, name: '__pod-lister__' }],
    },
  ],
  async reconcile(ctx, req) {
    const { namespace, selector, configMapName } = ctx.options;
    if (req.namespace !== namespace || (req.name !== configMapName && req.name !== '__pod-lister__')) return;
    const matches = parseSelector(selector);
    const names = ctx
      .cache<Pod>({ apiVersion: 'v1', kind: 'Pod' })
      .list()
      .filter((p) => p.metadata.namespace === namespace && !p.metadata.deletionTimestamp && matches.matches(p.metadata.labels ?? {}))
      .map((p) => p.metadata.name!)
      .sort();
    const desired = names.join('\n');
    const configMaps = ctx.client.resource('v1', 'ConfigMap');
    const current = ctx.cache<ConfigMap>({ apiVersion: 'v1', kind: 'ConfigMap' }).get(`${namespace}/${configMapName}`);
    if (!current) {
      try {
        await configMaps.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: configMapName, namespace, labels: { 'app.kubernetes.io/managed-by': 'pod-lister' } }, data: { pods: desired } });
      } catch (err) {
        // The cache lags the API: the next event for the ConfigMap reconciles again.
        if (!isApiError(err, 409)) throw err;
      }
      return;
    }
    if (current.data?.['pods'] === desired) return;
    // Compare-and-swap on the cached resourceVersion; a conflict retries with backoff.
    await configMaps.update({ ...current, data: { ...current.data, pods: desired } });
  },
});
