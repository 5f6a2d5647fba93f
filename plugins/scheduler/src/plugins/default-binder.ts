import { isApiError } from '@skiff/core';
import { Statuses, defineSchedulerPlugin } from '@skiff/sdk';

/**
 * Bind: assigns the pod to the node through the API, with the semantics of `pods/<name>/binding`
 * (a v1 Binding): `spec.nodeName` is set with a compare-and-swap on the pod's resourceVersion, so
 * a pod that is already assigned is never moved (that is a conflict, reported as `Error`).
 */
export const defaultBinder = defineSchedulerPlugin({
  name: 'DefaultBinder',
  create: (handle) => ({
    async bind(_state, pod, nodeName) {
      const pods = handle.client.resource('v1', 'Pod');
      const name = pod.metadata.name ?? '';
      const namespace = pod.metadata.namespace ?? 'default';
      let resourceVersion = pod.metadata.resourceVersion;
      for (let attempt = 0; attempt < 5; attempt++) {
        try {
          await pods.patch(name, { metadata: { resourceVersion }, spec: { nodeName } }, { namespace });
          return undefined;
        } catch (err) {
          if (!isApiError(err, 409)) return Statuses.error(err);
        }
        const current = await pods.get(name, { namespace });
        if (current.metadata.uid !== pod.metadata.uid) return Statuses.error(new Error(`pod ${namespace}/${name} was replaced`));
        const bound = current.spec?.nodeName;
        if (bound) return Statuses.error(new Error(`pod ${namespace}/${name} is already assigned to node "${bound}"`));
        resourceVersion = current.metadata.resourceVersion;
      }
      return Statuses.error(new Error(`binding pod ${namespace}/${name}: too many conflicts`));
    },
  }),
});
