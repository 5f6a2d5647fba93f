/**
 * A typed key for a service one plugin publishes and others use (for example the scheduler's
 * framework handle). Plugins never import each other's internals; they share services by key.
 */
export interface ServiceKey<T> {
  readonly id: string;
  /** Phantom field carrying the type; never set. */
  readonly __type?: T;
}

/** Creates a service key; the id should be `<plugin>/<service>`. */
export function serviceKey<T>(id: string): ServiceKey<T> {
  return Object.freeze({ id });
}

/**
 * A component is something a plugin runs: started in registration order when the cluster starts,
 * stopped in reverse order when it stops. `stop` must leave nothing running (timers, sockets,
 * child processes) and must be safe to call after a failed `start`.
 */
export interface Component {
  name: string;
  start(): void | Promise<void>;
  stop(): void | Promise<void>;
}
