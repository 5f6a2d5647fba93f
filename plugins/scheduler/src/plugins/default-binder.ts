import { Statuses, defineSchedulerPlugin } from '@skiff/sdk';

/**
 * Bind: assigns the pod to the node through `pods/<name>/binding` (a v1 Binding). The API sets
 * `spec.nodeName` with a compare-and-swap on the pod's resourceVersion, so a pod that is already
 * assigned is never moved (a 409 Conflict, reported as `Error`).
 */
export const defaultBinder = defineSchedulerPlugin({
  name: 'DefaultBinder',
  create: (handle) => ({
    async bind(_state, pod, nodeName) {
      try {
        await handle.client.resource('v1', 'Pod').bind(pod.metadata.name ?? '', nodeName, { namespace: pod.metadata.namespace ?? 'default', ...(pod.metadata.uid ? { uid: pod.metadata.uid } : {}) });
        return undefined;
      } catch (err) {
        return Statuses.error(err);
      }
    },
  }),
});
