// Toleration matching lives in @skiff/core (shared with the DaemonSet and node lifecycle controllers).
export { toleratesTaint as tolerates, tolerated } from '@skiff/core';
