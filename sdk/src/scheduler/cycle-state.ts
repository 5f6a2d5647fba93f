/** A typed key into a {@link CycleState}; make one per datum with {@link stateKey}. */
export interface StateKey<T> {
  readonly name: string;
  /** Phantom field carrying the type; never set. */
  readonly __type?: T;
}

/** Creates a typed key; prefix the name with your plugin's name (`NodeResourcesFit/requests`). */
export function stateKey<T>(name: string): StateKey<T> {
  return Object.freeze({ name });
}

/**
 * Per-cycle data shared between extension points (and between plugins, by key). A fresh one is
 * made for each scheduling attempt of a pod and dropped after its binding cycle; typically
 * PreFilter computes something once and Filter reads it for every node.
 */
export class CycleState {
  private readonly data = new Map<string, unknown>();

  read<T>(key: StateKey<T>): T | undefined {
    return this.data.get(key.name) as T | undefined;
  }

  write<T>(key: StateKey<T>, value: T): void {
    this.data.set(key.name, value);
  }

  has(key: StateKey<unknown>): boolean {
    return this.data.has(key.name);
  }

  delete(key: StateKey<unknown>): void {
    this.data.delete(key.name);
  }
}
