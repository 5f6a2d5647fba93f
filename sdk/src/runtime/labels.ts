/**
 * Label keys the node agent puts on every container, so that a restarted node agent (a new runtime
 * instance over the same world) can adopt the containers it finds with `listContainers`.
 */
export const RUNTIME_LABELS = Object.freeze({
  /** The owning pod's `metadata.uid`. */
  podUid: 'skiff.dev/pod-uid',
  /** The owning pod's namespace. */
  podNamespace: 'skiff.dev/pod-namespace',
  /** The owning pod's name. */
  podName: 'skiff.dev/pod-name',
  /** The container's name in the pod spec. */
  containerName: 'skiff.dev/container-name',
  /** How many times this container was restarted before this instance (decimal). */
  restartCount: 'skiff.dev/restart-count',
});

/** Reads the restart count label; undefined when absent or not a non-negative integer. */
export function restartCountOf(labels: Readonly<Record<string, string>>): number | undefined {
  const raw = labels[RUNTIME_LABELS.restartCount];
  if (raw === undefined || !/^\d+$/.test(raw)) return undefined;
  return Number(raw);
}

/** True when every `wanted` label is present in `labels` with the same value. */
export function labelsMatch(labels: Readonly<Record<string, string>>, wanted: Readonly<Record<string, string>> | undefined): boolean {
  if (!wanted) return true;
  for (const [key, value] of Object.entries(wanted)) {
    if (labels[key] !== value) return false;
  }
  return true;
}
