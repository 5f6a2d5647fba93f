import { builtinAdmission, createCluster, type Cluster, type PluginInput, type UserInfo } from '@skiff/core';
import { Client } from '../client/client.js';
import { inProcessTransport } from '../client/in-process.js';

export interface TestClusterOptions {
  /** Extra plugins (your controllers, admission plugins…), applied after the defaults. */
  plugins?: PluginInput;
  /** The store by registry name; default `memory`. */
  store?: string;
}

/** A running in-process cluster for tests, with a client; `stop()` (or `await using`) tears it down. */
export interface TestCluster extends AsyncDisposable {
  readonly cluster: Cluster;
  /** A client acting as the cluster admin, through the real request path. */
  readonly client: Client;
  /** A client acting as another user (for admission and authorization tests). */
  clientAs(user: UserInfo): Client;
  stop(): Promise<void>;
}

/**
 * Starts a real cluster in this process: the real core (admission, validation, the memory store
 * unless told otherwise), Kubernetes' defaulting and workload validation (`builtinAdmission()`),
 * the system namespaces, and the given plugins. Later issues add the scheduler, controllers and
 * simulated nodes to its defaults.
 */
export async function createTestCluster(options: TestClusterOptions = {}): Promise<TestCluster> {
  const cluster = await createCluster({ plugins: [builtinAdmission(), options.plugins], ...(options.store ? { store: options.store } : {}) });
  await cluster.start();
  const stop = () => cluster.stop();
  return {
    cluster,
    client: new Client(inProcessTransport(cluster)),
    clientAs: (user) => new Client(inProcessTransport(cluster, user)),
    stop,
    [Symbol.asyncDispose]: stop,
  };
}
