import { apiErrors, type Cluster, type UserInfo } from '@skiff/core';
import type { Transport } from './transport.js';

/**
 * A transport that calls the cluster's API request path in this process: no sockets, and the same
 * admission, validation and errors as a remote call. Requests act as `user` (default: the
 * in-process system user).
 */
export function inProcessTransport(cluster: Cluster, user?: UserInfo): Transport {
  const withUser = <O extends object>(options: O): O => (user ? { ...options, user } : options);
  return {
    async resolve(apiVersion, kind) {
      const res = cluster.resources.forKind(apiVersion, kind);
      if (!res) throw apiErrors.unknownResource(`no kind "${kind}" is registered for version "${apiVersion}"`);
      return res;
    },
    get: (res, ns, name) => cluster.api.get(res, ns, name),
    list: (res, ns, query) => cluster.api.list(res, ns, query),
    create: (res, ns, body, options) => cluster.api.create(res, ns, body, withUser(options)),
    update: (res, ns, name, body, options) => cluster.api.update(res, ns, name, body, withUser(options)),
    patch: (res, ns, name, patch, type, options) => cluster.api.patch(res, ns, name, patch, type, withUser(options)),
    bind: (res, ns, name, binding, options) => cluster.api.bind(res, ns, name, binding, withUser(options)),
    delete: (res, ns, name, query, options) => cluster.api.delete(res, ns, name, query, withUser(options)),
    watch: async (res, ns, query) => cluster.api.watch(res, ns, query),
  };
}
