import { SkiffError, isApiError, type Lease } from '@skiff/core';
import type { Client } from '../client/client.js';

export interface LeaderElectorOptions {
  /** How to reach the API. */
  client: Client;
  /** The Lease's namespace (default `kube-system`). */
  namespace?: string;
  /** The Lease's name, shared by every candidate (e.g. `skiff-scheduler`). */
  name: string;
  /** This candidate's identity, unique among candidates (e.g. `host_uuid`). */
  identity: string;
  /**
   * How long a lease stays valid after the holder's last renewal, as non-holders measure it from
   * when they saw it change (Kubernetes default 15 000). Written to the Lease rounded up to whole
   * seconds.
   */
  leaseDurationMs?: number;
  /** How long the leader keeps retrying a failed renewal before giving up leadership (default 10 000). Must be < `leaseDurationMs`. */
  renewDeadlineMs?: number;
  /** How often candidates try to acquire and the leader renews (default 2 000). Must be < `renewDeadlineMs`. */
  retryPeriodMs?: number;
  /** On `stop()`, give the lease up at once so another candidate takes over without waiting (default true). */
  releaseOnStop?: boolean;
  /** Became the leader. `signal` aborts when leadership is lost or the elector stops. */
  onStartedLeading?(signal: AbortSignal): void;
  /** Stopped being the leader (lost the lease, or `stop()`). Called only after `onStartedLeading`. */
  onStoppedLeading?(): void;
  /** The observed leader changed (including to this candidate). */
  onNewLeader?(identity: string): void;
  /** Told about API errors it recovers from by retrying. */
  onError?(err: unknown): void;
}

/** A MicroTime as Kubernetes writes it. */
function microTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

/**
 * Leader election over a `coordination.k8s.io/v1` Lease, with client-go's semantics: every
 * candidate tries to acquire the Lease each `retryPeriodMs`; the holder renews it (compare-and-swap
 * on `resourceVersion`, so two candidates never both win an update); a non-holder takes it over
 * only when it has not seen the Lease change for `leaseDurationMs` (measured on its own clock, so
 * clock skew between machines does not matter). A leader that cannot renew within
 * `renewDeadlineMs` stops leading (`onStoppedLeading`) before its lease can have expired for
 * others, and becomes a candidate again.
 */
export class LeaderElector {
  private readonly namespace: string;
  private readonly leaseDurationMs: number;
  private readonly renewDeadlineMs: number;
  private readonly retryPeriodMs: number;
  private observed: { resourceVersion: string; holder: string } | undefined;
  private observedAt = 0;
  private leading = false;
  private lastRenewAt = 0;
  private leaderAbort: AbortController | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private running = false;
  private inFlight: Promise<void> | undefined;
  private currentLeader = '';

  constructor(private readonly options: LeaderElectorOptions) {
    this.namespace = options.namespace ?? 'kube-system';
    this.leaseDurationMs = options.leaseDurationMs ?? 15_000;
    this.renewDeadlineMs = options.renewDeadlineMs ?? 10_000;
    this.retryPeriodMs = options.retryPeriodMs ?? 2_000;
    const bad = (why: string) => new SkiffError('SKIFF_ERR_PLUGIN_OPTIONS', `leader election: ${why}`, { lease: options.name });
    if (!options.name) throw bad('name is required');
    if (!options.identity) throw bad('identity is required');
    if (!(this.retryPeriodMs > 0 && this.retryPeriodMs < this.renewDeadlineMs && this.renewDeadlineMs < this.leaseDurationMs)) {
      throw bad('durations must satisfy 0 < retryPeriodMs < renewDeadlineMs < leaseDurationMs');
    }
  }

  /**
   * True while this candidate holds the lease: it leads and renewed it within `renewDeadlineMs`
   * (so a process too busy to run its renewal timer stops counting itself leader before others can
   * take the lease over).
   */
  isLeader(): boolean {
    return this.leading && Date.now() - this.lastRenewAt < this.renewDeadlineMs;
  }

  /** The identity of the last observed holder ('' when none). */
  leader(): string {
    return this.currentLeader;
  }

  /** Starts campaigning (returns at once). */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.schedule(0);
  }

  /** Stops campaigning; a leader stops leading and (by default) releases the lease. */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.inFlight;
    const wasLeading = this.leading;
    this.setLeading(false);
    if (wasLeading && (this.options.releaseOnStop ?? true)) await this.release().catch((err: unknown) => this.options.onError?.(err));
  }

  private schedule(ms: number): void {
    if (!this.running) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.inFlight = this.tick().finally(() => {
        this.inFlight = undefined;
        this.schedule(this.retryPeriodMs);
      });
    }, ms);
  }

  private async tick(): Promise<void> {
    let ok = false;
    try {
      ok = await this.tryAcquireOrRenew();
    } catch (err) {
      this.options.onError?.(err);
    }
    if (!this.running) return;
    const now = Date.now();
    if (ok) {
      this.lastRenewAt = now;
      this.setLeading(true);
    } else if (this.leading && (now - this.lastRenewAt >= this.renewDeadlineMs || (this.currentLeader !== '' && this.currentLeader !== this.options.identity))) {
      // Could not renew in time, or someone else holds the lease now: stop leading at once.
      this.setLeading(false);
    }
  }

  private setLeading(leading: boolean): void {
    if (leading === this.leading) return;
    this.leading = leading;
    if (leading) {
      this.leaderAbort = new AbortController();
      this.options.onStartedLeading?.(this.leaderAbort.signal);
    } else {
      this.leaderAbort?.abort();
      this.leaderAbort = undefined;
      this.options.onStoppedLeading?.();
    }
  }

  private observe(lease: Lease): void {
    const holder = lease.spec?.holderIdentity ?? '';
    const rv = lease.metadata.resourceVersion ?? '';
    if (!this.observed || this.observed.resourceVersion !== rv) {
      this.observed = { resourceVersion: rv, holder };
      this.observedAt = Date.now();
    }
    if (holder !== this.currentLeader) {
      this.currentLeader = holder;
      if (holder) this.options.onNewLeader?.(holder);
    }
  }

  private leases() {
    return this.options.client.resource('coordination.k8s.io/v1', 'Lease');
  }

  /** One round of client-go's `tryAcquireOrRenew`; true when this candidate holds the lease afterwards. */
  private async tryAcquireOrRenew(): Promise<boolean> {
    const now = Date.now();
    const me = this.options.identity;
    const durationSeconds = Math.max(1, Math.ceil(this.leaseDurationMs / 1000));
    let lease: Lease;
    try {
      lease = await this.leases().get(this.options.name, { namespace: this.namespace });
    } catch (err) {
      if (!isApiError(err, 404)) throw err;
      try {
        const created = await this.leases().create({
          apiVersion: 'coordination.k8s.io/v1',
          kind: 'Lease',
          metadata: { name: this.options.name, namespace: this.namespace },
          spec: { holderIdentity: me, leaseDurationSeconds: durationSeconds, acquireTime: microTime(now), renewTime: microTime(now), leaseTransitions: 0 },
        });
        this.observe(created);
        return true;
      } catch (createErr) {
        if (isApiError(createErr, 409)) return false;
        throw createErr;
      }
    }
    this.observe(lease);
    const holder = lease.spec?.holderIdentity ?? '';
    const iHold = holder === me;
    if (holder !== '' && !iHold && this.observedAt + this.leaseDurationMs > now) return false;
    const spec = lease.spec ?? {};
    const next: Lease = {
      ...lease,
      spec: {
        ...spec,
        holderIdentity: me,
        leaseDurationSeconds: durationSeconds,
        renewTime: microTime(now),
        acquireTime: iHold && spec.acquireTime ? spec.acquireTime : microTime(now),
        leaseTransitions: iHold ? (spec.leaseTransitions ?? 0) : (spec.leaseTransitions ?? 0) + 1,
      },
    };
    try {
      const updated = await this.leases().update(next);
      this.observe(updated);
      return true;
    } catch (err) {
      if (isApiError(err, 409)) return false;
      throw err;
    }
  }

  /** Gives the lease up (holder cleared), if this candidate still holds it. */
  private async release(): Promise<void> {
    const lease = await this.leases().get(this.options.name, { namespace: this.namespace });
    if (lease.spec?.holderIdentity !== this.options.identity) return;
    await this.leases().update({ ...lease, spec: { ...lease.spec, holderIdentity: '', leaseDurationSeconds: 1, renewTime: microTime(Date.now()) } });
  }
}
