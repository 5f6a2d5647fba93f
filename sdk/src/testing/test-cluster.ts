import { builtinAdmission, createCluster, type Cluster, type PluginInput, type UserInfo } from '@skiff/core';
import { Client } from '../client/client.js';
import { inProcessTransport } from '../client/in-process.js';
import { wholeClusterPlugins } from './whole-cluster.js';

export interface TestClusterOptions {
  /** Extra plugins (your controllers, admission plugins…), applied after the defaults. */
  plugins?: PluginInput;
  /** The store by registry name; default `memory`. */
  store?: string;
  /**
   * A whole simulated cluster: this many nodes (`node-0` …, hollow nodes on the mock runtime; 0 for
   * none), the scheduler and the controller manager, like a real cluster but in this process.
   * Absent: the API alone (as Kubernetes' envtest).
   */
  nodes?: number;
  /** With `nodes`: run the scheduler (default true). */
  scheduler?: boolean;
  /** With `nodes`: run the controller manager and every core controller (default true). */
  controllers?: boolean;
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
 * the system namespaces, and the given plugins. With `nodes` it is a whole cluster: simulated
 * nodes, the scheduler and every core controller (garbage collection and namespace deletion
 * included), from the optional peer packages named in {@link wholeClusterPlugins}.
 */
export async function createTestCluster(options: TestClusterOptions = {}): Promise<TestCluster> {
  const whole =
    options.nodes === undefined
      ? []
      : await wholeClusterPlugins({ nodes: options.nodes, ...(options.scheduler !== undefined ? { scheduler: options.scheduler } : {}), ...(options.controllers !== undefined ? { controllers: options.controllers } : {}) });
  const cluster = await createCluster({ plugins: [builtinAdmission(), ...whole, options.plugins], ...(options.store ? { store: options.store } : {}) });
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
