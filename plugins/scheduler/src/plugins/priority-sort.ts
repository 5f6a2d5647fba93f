import { defineSchedulerPlugin } from '@skiff/sdk';

/** QueueSort: higher `spec.priority` first, then the pod that entered the active queue earlier. */
export const prioritySort = defineSchedulerPlugin({
  name: 'PrioritySort',
  create: () => ({
    less(a, b) {
      const pa = a.pod.spec?.priority ?? 0;
      const pb = b.pod.spec?.priority ?? 0;
      return pa > pb || (pa === pb && a.timestamp < b.timestamp);
    },
  }),
});
