import type { WaitingPod } from '@skiff/sdk';

/** The outcome of a wait at Permit. */
export type PermitOutcome = { allowed: true } | { allowed: false; plugin: string; message: string };

/** A pod held at Permit until every waiting plugin allows it, one rejects it, or a timeout passes. */
export class WaitingPodImpl implements WaitingPod {
  private readonly pending: Map<string, ReturnType<typeof setTimeout>>;
  private settle!: (outcome: PermitOutcome) => void;
  readonly outcome: Promise<PermitOutcome>;
  private done = false;

  constructor(
    readonly uid: string,
    readonly nodeName: string,
    waits: ReadonlyMap<string, number>,
  ) {
    this.outcome = new Promise((resolve) => (this.settle = resolve));
    this.pending = new Map();
    for (const [plugin, timeoutMs] of waits) {
      const timer = setTimeout(() => this.reject(plugin, `rejected due to timeout after waiting ${timeoutMs}ms at plugin ${plugin}`), timeoutMs);
      this.pending.set(plugin, timer);
    }
  }

  pendingPlugins(): string[] {
    return [...this.pending.keys()];
  }

  allow(plugin: string): void {
    const timer = this.pending.get(plugin);
    if (timer === undefined || this.done) return;
    clearTimeout(timer);
    this.pending.delete(plugin);
    if (this.pending.size === 0) this.finish({ allowed: true });
  }

  reject(plugin: string, message: string): void {
    if (this.done) return;
    this.finish({ allowed: false, plugin, message });
  }

  private finish(outcome: PermitOutcome): void {
    this.done = true;
    for (const timer of this.pending.values()) clearTimeout(timer);
    this.pending.clear();
    this.settle(outcome);
  }
}
