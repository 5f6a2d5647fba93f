import type { Cluster, Component } from '@skiff/core';
import type { Transport } from '@skiff/sdk';

/**
 * The cluster a plugin-shaped controller is applied to by the controller manager: the real cluster,
 * except that `addComponent` hands components to the manager (which starts them only while it
 * leads) and, with `remote`, API requests (`cluster.api`) go to that transport instead of the local
 * request path. Everything else (hooks, registries, resources) is the real cluster's.
 */
export function clusterView(cluster: Cluster, components: Component[], remote?: Transport): Cluster {
  const api = remote
    ? {
        get: remote.get.bind(remote),
        list: remote.list.bind(remote),
        create: remote.create.bind(remote),
        update: remote.update.bind(remote),
        patch: remote.patch.bind(remote),
        delete: remote.delete.bind(remote),
        watch: remote.watch.bind(remote),
      }
    : undefined;
  return new Proxy(cluster, {
    get(target, prop) {
      if (prop === 'addComponent') return (component: Component) => components.push(component);
      if (prop === 'api' && api) return api;
      const value = Reflect.get(target, prop, target) as unknown;
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}
