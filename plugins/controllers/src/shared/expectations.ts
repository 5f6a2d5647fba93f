/** How long an expectation is trusted before the controller stops waiting for it (Kubernetes' `ExpectationsTimeout`). */
export const EXPECTATIONS_TIMEOUT_MS = 5 * 60 * 1000;

interface Record {
  add: number;
  del: number;
  /** Keys of pods whose deletion is expected but not yet observed. */
  deleting: Set<string>;
  setAtMs: number;
}

/**
 * Kubernetes' `UIDTrackingControllerExpectations`: what a controller has asked the API to do and
 * has not yet seen in its informer cache, per controller key.
 *
 * Contract: before creating `n` pods a controller calls `expectCreations(key, n)`; the pod informer
 * calls `creationObserved(key)` for each new pod it sees owned by the controller (and the
 * controller calls it for each create that failed or was skipped). Before deleting pods it calls
 * `expectDeletions(key, podKeys)`; the informer calls `deletionObserved(key, podKey)` when a pod is
 * seen deleted or marked for deletion (only expected keys count). While `satisfied(key)` is false
 * the controller must not create or delete again: its cache lags behind its own writes, and
 * acting on it would over- or under-shoot. An expectation older than `timeoutMs` counts as
 * satisfied, so a lost watch event cannot wedge a controller forever.
 */
export class Expectations {
  private readonly records = new Map<string, Record>();

  constructor(
    private readonly timeoutMs = EXPECTATIONS_TIMEOUT_MS,
    private readonly now: () => number = Date.now,
  ) {}

  /** True when nothing is pending for `key` (or no record exists, or it expired). */
  satisfied(key: string): boolean {
    const r = this.records.get(key);
    if (!r) return true;
    if (r.add <= 0 && r.del <= 0) return true;
    return this.now() - r.setAtMs > this.timeoutMs;
  }

  /** Replaces `key`'s expectations with `n` creations. */
  expectCreations(key: string, n: number): void {
    this.records.set(key, { add: n, del: 0, deleting: new Set(), setAtMs: this.now() });
  }

  /** Replaces `key`'s expectations with the deletion of `podKeys`. */
  expectDeletions(key: string, podKeys: string[]): void {
    this.records.set(key, { add: 0, del: podKeys.length, deleting: new Set(podKeys), setAtMs: this.now() });
  }

  /** One expected creation happened (or will not happen). */
  creationObserved(key: string): void {
    const r = this.records.get(key);
    if (r && r.add > 0) r.add--;
  }

  /** The pod `podKey` was seen deleted (or terminating), or its deletion will not happen. */
  deletionObserved(key: string, podKey: string): void {
    const r = this.records.get(key);
    if (r && r.deleting.delete(podKey)) r.del--;
  }

  /** Forgets `key` (its controller object is gone). */
  delete(key: string): void {
    this.records.delete(key);
  }

  /** Pending counts, for tests and debugging. */
  pending(key: string): { add: number; del: number } | undefined {
    const r = this.records.get(key);
    return r ? { add: r.add, del: r.del } : undefined;
  }
}
