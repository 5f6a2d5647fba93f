/**
 * A stack of clean-up steps (stop etcd, close stores, remove temp dirs) that runs in reverse order
 * exactly once: from a `finally` block, or on SIGINT/SIGTERM when the run is interrupted.
 */
export class Cleanup {
  private readonly steps: { name: string; fn: () => unknown }[] = [];
  private ran = false;
  private readonly onSignal = (signal: NodeJS.Signals): void => {
    console.error(`bench: ${signal}, cleaning up…`);
    void this.run().finally(() => process.exit(130));
  };

  constructor() {
    process.once('SIGINT', this.onSignal);
    process.once('SIGTERM', this.onSignal);
  }

  /** Registers a step; steps run last-registered first. */
  add(name: string, fn: () => unknown): void {
    this.steps.push({ name, fn });
  }

  /** Runs every registered step (errors are printed, not thrown) and removes the signal handlers. */
  async run(): Promise<void> {
    if (this.ran) return;
    this.ran = true;
    process.removeListener('SIGINT', this.onSignal);
    process.removeListener('SIGTERM', this.onSignal);
    while (this.steps.length > 0) {
      const step = this.steps.pop()!;
      try {
        await step.fn();
      } catch (err) {
        console.error(`bench: clean-up step "${step.name}" failed: ${(err as Error)?.message ?? String(err)}`);
      }
    }
  }
}
