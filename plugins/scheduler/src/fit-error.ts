import type { Status } from '@skiff/sdk';

/**
 * Why a pod fits nowhere, counted the Kubernetes way (`FitError.Error()`):
 * `0/5 nodes are available: 2 node(s) didn't match Pod's node affinity/selector, 3 Insufficient cpu.`
 * Each rejected node adds one to each of its reasons; the "count reason" strings are sorted as
 * strings (Go's `sort.Strings`). A PreFilter rejection replaces the counts with its own message;
 * PostFilter messages are appended.
 */
export class FitError {
  private counts: Map<string, number> | undefined;
  preFilterMessage: string | undefined;
  readonly postFilterMessages: string[] = [];

  /** Rejected nodes per reason. */
  get reasons(): ReadonlyMap<string, number> {
    return this.counts ?? new Map();
  }

  constructor(readonly numAllNodes: number) {}

  /** Counts a rejected node's status. */
  count(status: Status): void {
    const counts = (this.counts ??= new Map());
    for (const reason of status.reasons) counts.set(reason, (counts.get(reason) ?? 0) + 1);
  }

  message(): string {
    let msg = `0/${this.numAllNodes} nodes are available:`;
    if (this.preFilterMessage !== undefined && this.preFilterMessage !== '') msg += ` ${this.preFilterMessage}.`;
    else {
      const parts = [...this.reasons].map(([reason, n]) => `${n} ${reason}`).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
      if (parts.length > 0) msg += ` ${parts.join(', ')}.`;
    }
    for (const m of this.postFilterMessages) if (m) msg += ` ${m}.`;
    return msg;
  }
}
