import { isApiError, type Deployment, type Pod, type PluginInput, type ReplicaSet } from '@skiff/core';
import { nodeAgent } from '@skiff/plugin-kubelet';
import { mockRuntime } from '@skiff/plugin-runtime-mock';
import { scheduler } from '@skiff/plugin-scheduler';
import type { Transport } from '@skiff/sdk';
import { createTestCluster, type TestCluster } from '@skiff/sdk/testing';

/** The mock runtime, `count` fast node agents (`node-1`…, pod ranges 127.10.N.0/24) and the scheduler. */
export function nodesAndScheduler(count = 2): PluginInput {
  return [
    mockRuntime(),
    ...Array.from({ length: count }, (_, i) =>
      nodeAgent({ nodeName: `node-${i + 1}`, podCIDR: `127.10.${i + 1}.0/24`, renewIntervalMs: 100, statusIntervalMs: 100, syncIntervalMs: 50, restartBackoff: { initialMs: 50, maxMs: 400 } }),
    ),
    scheduler({ leaderElection: { leaderElect: false }, podInitialBackoffMs: 50, podMaxBackoffMs: 200 }),
  ];
}

/** A test cluster with nodes, the scheduler and `controllers`. */
export function clusterWith(controllers: PluginInput, nodes = 2): Promise<TestCluster> {
  return createTestCluster({ plugins: [nodesAndScheduler(nodes), controllers] });
}

/** A pod template spec with one mock container. */
export function podSpec(image = 'busybox:1.36'): NonNullable<Pod['spec']> {
  return { containers: [{ name: 'app', image }], terminationGracePeriodSeconds: 0 };
}

/** A ReplicaSet selecting `app=<name>`. */
export function replicaSet(name: string, replicas: number, extra: { minReadySeconds?: number; labels?: Record<string, string> } = {}): ReplicaSet {
  const labels = { app: name, ...(extra.labels ?? {}) };
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name, namespace: 'default' },
    spec: { replicas, ...(extra.minReadySeconds ? { minReadySeconds: extra.minReadySeconds } : {}), selector: { matchLabels: { app: name } }, template: { metadata: { labels }, spec: podSpec() } },
  };
}

/** The pods in `default` with `app=<app>`, terminating ones included. */
export async function podsOf(t: TestCluster, app: string): Promise<Pod[]> {
  return (await t.client.resource('v1', 'Pod').list({ namespace: 'default', labelSelector: `app=${app}` })).items;
}

/** The pods not being deleted. */
export const live = (pods: Pod[]) => pods.filter((p) => !p.metadata.deletionTimestamp);

/** A Deployment selecting `app=<name>` with one container running `image`. */
export function deployment(name: string, replicas: number, extra: Partial<NonNullable<Deployment['spec']>> = {}, image = 'busybox:1.36'): Deployment {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: 'default' },
    spec: { replicas, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: podSpec(image) }, ...extra },
  };
}

/** True when the Deployment is rolled out the way `kubectl rollout status` decides it. */
export function rolledOut(d: Deployment): boolean {
  const s = d.status ?? {};
  const want = d.spec?.replicas ?? 1;
  return (d.metadata.generation ?? 0) <= (s.observedGeneration ?? 0) && (s.updatedReplicas ?? 0) >= want && (s.replicas ?? 0) <= (s.updatedReplicas ?? 0) && (s.availableReplicas ?? 0) >= (s.updatedReplicas ?? 0);
}

/** Watches every pod change in `default` and keeps the latest state of each pod, calling `observe` after each event. */
export async function watchPods(t: TestCluster, observe: (pods: Map<string, Pod>) => void): Promise<{ stop(): void; done: Promise<void> }> {
  const pods = new Map<string, Pod>();
  const list = await t.client.resource('v1', 'Pod').list({ namespace: 'default' });
  for (const p of list.items) pods.set(p.metadata.name!, p);
  observe(pods);
  const w = await t.client.resource('v1', 'Pod').watch({ namespace: 'default', resourceVersion: list.metadata.resourceVersion! });
  const done = (async () => {
    for await (const ev of w) {
      if (ev.type === 'BOOKMARK') continue;
      if (ev.type === 'DELETED') pods.delete(ev.object.metadata.name!);
      else pods.set(ev.object.metadata.name!, ev.object);
      observe(pods);
    }
  })();
  return { stop: () => w.stop(), done };
}

/** Ready and not being deleted. */
export const isAvailable = (p: Pod) => !p.metadata.deletionTimestamp && p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') === true;

/**
 * A transport that delivers watch events of `kind` only `delayMs` after they happen (pipelined,
 * order kept): an informer cache that lags behind the API, as a busy or distant one does.
 */
export function laggingTransport(inner: Transport, kind: string, delayMs: number): Transport {
  return {
    ...inner,
    async watch(res, ns, query) {
      const w = await inner.watch(res, ns, query);
      if (res.kind !== kind) return w;
      return {
        stop: () => w.stop(),
        async *[Symbol.asyncIterator]() {
          const pending: { at: number; ev: unknown }[] = [];
          let done = false;
          let wake: (() => void) | undefined;
          void (async () => {
            try {
              for await (const ev of w) {
                pending.push({ at: Date.now() + delayMs, ev });
                wake?.();
              }
            } finally {
              done = true;
              wake?.();
            }
          })();
          for (;;) {
            const next = pending.shift();
            if (next) {
              const wait = next.at - Date.now();
              if (wait > 0) await new Promise((r) => setTimeout(r, wait)); // the injected lag itself
              yield next.ev as never;
              continue;
            }
            if (done) return;
            await new Promise<void>((r) => (wake = r));
            wake = undefined;
          }
        },
      };
    },
  };
}

/**
 * Retries `fn` while it fails with 409. The API should retry a patch without a resourceVersion
 * itself (Kubernetes does); core's ObjectApi.patch gives up at the first conflict with a
 * concurrent controller write, so tests that patch objects a controller is writing use this.
 */
export async function retryOnConflict<T>(fn: () => Promise<T>, attempts = 10): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await fn();
    } catch (err) {
      if (!isApiError(err, 409) || i >= attempts) throw err;
    }
  }
}
