import { setMaxListeners } from 'node:events';
import type { Indexers, Informer, ObjectBase } from '@skiff/core';
import type { Client } from '../client/client.js';

/** A kind, as a controller names what it watches. */
export interface KindRef {
  apiVersion: string;
  kind: string;
}

/** `apiVersion/kind`, the key of a kind in maps. */
export const kindKey = (ref: KindRef): string => `${ref.apiVersion}/${ref.kind}`;

/**
 * One informer per kind, shared by every controller started with it (client-go's
 * `SharedInformerFactory`), so many controllers watching pods hold one cache of pods.
 *
 * Contract: informers are created on first request and started by `start()` (or at once when
 * requested after `start()`); `stop()` stops them all, for good. Index names are global per kind:
 * `addIndexers` ignores a name already present, so two controllers adding the same index name
 * must mean the same index function.
 */
export class SharedInformers {
  private readonly informers = new Map<string, Informer<ObjectBase>>();
  private started = false;
  private stopped = false;

  constructor(readonly client: Client) {}

  /** The shared informer of `ref`'s kind (created, and started if this factory is started, on first use). */
  informer<T extends ObjectBase = ObjectBase>(ref: KindRef): Informer<T> {
    let inf = this.informers.get(kindKey(ref));
    if (!inf) {
      inf = this.client.resource(ref.apiVersion, ref.kind).informer() as unknown as Informer<ObjectBase>;
      this.informers.set(kindKey(ref), inf);
      if (this.started && !this.stopped) inf.start();
    }
    return inf as unknown as Informer<T>;
  }

  /** Adds indexes to `ref`'s informer, skipping names it already has. */
  addIndexers<T extends ObjectBase>(ref: KindRef, indexers: Indexers<T>): void {
    const inf = this.informer<T>(ref);
    for (const [name, fn] of Object.entries(indexers)) {
      try {
        inf.indexValues(name);
        continue; // present already
      } catch {
        inf.addIndexers({ [name]: fn });
      }
    }
  }

  /** Starts every informer created so far and any created later. */
  start(): void {
    if (this.stopped) return;
    this.started = true;
    for (const inf of this.informers.values()) inf.start();
  }

  /** Resolves true once every informer created so far has synced; false if stopped or aborted first. */
  async waitForSync(signal?: AbortSignal): Promise<boolean> {
    if (signal?.aborted) return false;
    // One abort listener for all informers (not one each: a manager may share dozens).
    const local = new AbortController();
    const onAbort = () => local.abort();
    signal?.addEventListener('abort', onAbort, { once: true });
    setMaxListeners(this.informers.size + 1, local.signal);
    try {
      const results = await Promise.all([...this.informers.values()].map((inf) => inf.waitForSync(local.signal)));
      return results.every(Boolean);
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
  }

  /** Stops every informer; they cannot be started again. */
  stop(): void {
    this.stopped = true;
    for (const inf of this.informers.values()) inf.stop();
  }
}
