import type { KubeObject, ObjectBase, OwnerReferenceLike, Pod } from '@skiff/core';
import { isApiError, type Client, type PluginInput } from '@skiff/sdk';
import { createTestCluster, type TestCluster } from '@skiff/sdk/testing';
import { mockRuntime } from '@skiff/plugin-runtime-mock';
import { nodeAgent } from '@skiff/plugin-kubelet';

/** A test cluster with the given plugins (the test's controllers). */
export function clusterWith(...plugins: PluginInput[]): Promise<TestCluster> {
  return createTestCluster({ plugins });
}

/** The mock runtime and fast node agents for `names` (pod ranges 127.10.<i+1>.0/24). */
export function nodes(names: string[], first = 1): PluginInput[] {
  return [mockRuntime(), ...names.map((nodeName, i) => fastAgent(nodeName, first + i))];
}

/** One fast node agent for `nodeName` with pod range 127.10.<index>.0/24. */
export function fastAgent(nodeName: string, index: number): PluginInput {
  return nodeAgent({ nodeName, podCIDR: `127.10.${index}.0/24`, renewIntervalMs: 100, syncIntervalMs: 50, statusIntervalMs: 200, restartBackoff: { initialMs: 50, maxMs: 400 } });
}

/** An owner reference to `owner`. */
export function ownerRef(owner: ObjectBase, extra: Partial<OwnerReferenceLike> = {}): OwnerReferenceLike {
  return { apiVersion: owner.apiVersion, kind: owner.kind, name: owner.metadata.name!, uid: owner.metadata.uid!, ...extra };
}

/** A ConfigMap in `default` (or `namespace`). */
export function configMap(name: string, meta: Partial<KubeObject['metadata']> = {}, namespace = 'default'): KubeObject {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace, ...meta }, data: { a: '1' } };
}

/** A pod (not bound to a node unless `spec.nodeName` is given) with one container. */
export function pod(name: string, meta: Partial<KubeObject['metadata']> = {}, spec: Partial<NonNullable<Pod['spec']>> = {}, namespace = 'default'): Pod {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace, ...meta }, spec: { containers: [{ name: 'app', image: 'busybox:1.36' }], ...spec } } as Pod;
}

/** True when `kind` `name` exists. */
export async function exists(client: Client, apiVersion: string, kind: string, name: string, namespace?: string): Promise<boolean> {
  try {
    await client.resource(apiVersion, kind).get(name, namespace ? { namespace } : {});
    return true;
  } catch (err) {
    if (isApiError(err, 404)) return false;
    throw err;
  }
}

/** The object, or undefined when it does not exist. */
export async function getOrUndefined<T extends ObjectBase = KubeObject>(client: Client, apiVersion: string, kind: string, name: string, namespace?: string): Promise<T | undefined> {
  try {
    return (await client.resource(apiVersion, kind).get(name, namespace ? { namespace } : {})) as unknown as T;
  } catch (err) {
    if (isApiError(err, 404)) return undefined;
    throw err;
  }
}

/** The HTTP code a request fails with (throws when it succeeds). */
export async function failureCode(p: Promise<unknown>): Promise<{ code: number; message: string }> {
  try {
    await p;
  } catch (err) {
    if (isApiError(err)) return { code: err.status.code, message: err.status.message ?? '' };
    throw err;
  }
  throw new Error('the request succeeded');
}

/** Scheduler options for tests: short backoff and leader election timings. */
export const FAST_SCHEDULER = {
  podInitialBackoffMs: 50,
  podMaxBackoffMs: 200,
  leaderElection: { leaseDurationMs: 1_500, renewDeadlineMs: 1_000, retryPeriodMs: 100 },
} as const;

/** Registers a namespaced custom kind `example.com/v1` `Widget` (as a CRD would) in the test cluster. */
export function addWidgets(t: TestCluster): void {
  t.cluster.resources.add({
    group: 'example.com',
    version: 'v1',
    kind: 'Widget',
    plural: 'widgets',
    singular: 'widget',
    namespaced: true,
    shortNames: [],
    categories: [],
    statusSubresource: false,
    scaleSubresource: false,
  });
}
