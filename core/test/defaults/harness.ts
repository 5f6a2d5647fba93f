import { builtinAdmission, createCluster, isApiError, type Cluster, type KubeObject, type StatusCause } from '../../src/index.js';

/** A started in-process cluster with the built-in admission plugins. */
export async function startCluster(): Promise<Cluster> {
  const cluster = await createCluster({ plugins: builtinAdmission() });
  await cluster.start();
  return cluster;
}

const API_VERSIONS: Record<string, string> = {
  Pod: 'v1',
  Service: 'v1',
  Secret: 'v1',
  ReplicationController: 'v1',
  Deployment: 'apps/v1',
  ReplicaSet: 'apps/v1',
  DaemonSet: 'apps/v1',
  Job: 'batch/v1',
};

/** Creates `obj` in `default` and returns what the API stored. */
export async function create(cluster: Cluster, obj: Record<string, unknown> & { kind: string }): Promise<KubeObject> {
  const apiVersion = API_VERSIONS[obj.kind]!;
  return cluster.api.create(cluster.resources.require(apiVersion, obj.kind), 'default', { apiVersion, ...obj } as KubeObject);
}

/** Updates an object in `default`. */
export async function update(cluster: Cluster, obj: KubeObject): Promise<KubeObject> {
  return cluster.api.update(cluster.resources.require(obj.apiVersion, obj.kind), 'default', obj.metadata.name!, obj);
}

/** The HTTP code and causes of the 422 a write is refused with (throws when it is not refused so). */
export async function refusal(write: Promise<unknown>): Promise<{ code: number; reason: string; causes: Pick<StatusCause, 'field' | 'reason'>[] }> {
  try {
    await write;
  } catch (err) {
    if (!isApiError(err)) throw err;
    return {
      code: err.status.code,
      reason: err.status.reason,
      causes: (err.status.details?.causes ?? []).map((c) => ({ field: c.field, reason: c.reason })),
    };
  }
  throw new Error('the write was accepted');
}

/** True when an object of `kind` named `name` exists in `default`. */
export async function exists(cluster: Cluster, kind: string, name: string): Promise<boolean> {
  const apiVersion = API_VERSIONS[kind]!;
  return cluster.api.get(cluster.resources.require(apiVersion, kind), 'default', name).then(
    () => true,
    (err: unknown) => {
      if (isApiError(err, 404)) return false;
      throw err;
    },
  );
}

export const container = (name = 'app', image = 'busybox:1.36') => ({ name, image });
export const podTemplate = (labels: Record<string, string> = { app: 'web' }, spec: Record<string, unknown> = {}) => ({
  metadata: { labels },
  spec: { containers: [container()], ...spec },
});
