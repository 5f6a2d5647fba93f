/**
 * The Docker labels the runtime puts on what it makes. The engine is the runtime's world: every
 * fact the runtime needs later (which node, which pod, the pod's address, annotations) is kept in
 * labels, so any instance for the same node reads it back.
 */
export const DOCKER_LABELS = Object.freeze({
  /** The node whose runtime made the container; instances only see their own node's. */
  node: 'skiff.dev/node',
  /** Always `docker`: the container was made by this runtime. */
  runtime: 'skiff.dev/runtime',
  /** `true` on a pod's sandbox container. */
  sandbox: 'skiff.dev/sandbox',
  /** On a container: the id of its sandbox container. */
  sandboxId: 'skiff.dev/sandbox-id',
  /** On a sandbox: the pod's address in 127.0.0.0/8. */
  podIp: 'skiff.dev/pod-ip',
  /** On a sandbox: the pod's hostname. */
  hostname: 'skiff.dev/pod-hostname',
  /** On a container: its name in the pod spec (`ContainerConfig.name`). */
  container: 'skiff.dev/container',
  /** On a container: the image as the pod names it (the engine's `Config.Image` may be an id). */
  image: 'skiff.dev/image',
  /** The pod's (sandbox) or container's annotations, as one JSON object. */
  annotations: 'skiff.dev/annotations',
});

/** The value of {@link DOCKER_LABELS.runtime}. */
export const RUNTIME_NAME = 'docker';

const INTERNAL = new Set<string>(Object.values(DOCKER_LABELS));

/** The labels without the runtime's own bookkeeping ones: what the caller gave. */
export function userLabels(labels: Readonly<Record<string, string>> | null | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(labels ?? {})) if (!INTERNAL.has(key)) out[key] = value;
  return out;
}

/** Reads the annotations label back (an empty object when absent or unreadable). */
export function annotationsOf(labels: Readonly<Record<string, string>> | null | undefined): Record<string, string> {
  const raw = labels?.[DOCKER_LABELS.annotations];
  if (!raw) return {};
  try {
    const parsed: unknown = JSON.parse(raw);
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return {};
    const out: Record<string, string> = {};
    for (const [key, value] of Object.entries(parsed)) if (typeof value === 'string') out[key] = value;
    return out;
  } catch {
    return {};
  }
}

/** The engine's label filter (`key=value` strings) for the given labels. */
export function labelFilter(labels: Readonly<Record<string, string>>): string[] {
  return Object.entries(labels).map(([key, value]) => `${key}=${value}`);
}

/**
 * A name part safe for Docker (`[a-zA-Z0-9][a-zA-Z0-9_.-]*`): other characters become `-`.
 * Names are for people reading `docker ps`; the runtime itself only trusts labels.
 */
export function namePart(value: string): string {
  const cleaned = value.replace(/[^a-zA-Z0-9_.-]/g, '-');
  return cleaned.length > 0 ? cleaned : 'x';
}
