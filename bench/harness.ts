import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** One measured figure: a candidate and the baseline it is compared with in the same run. */
export interface Comparison {
  name: string;
  unit: string;
  candidate: number;
  baseline: number;
  baselineName: string;
}

/** Runs `fn` (which performs `ops` operations) `rounds` times and returns the median ops/s. */
export function opsPerSecond(ops: number, rounds: number, fn: () => void): number {
  const rates: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const start = process.hrtime.bigint();
    fn();
    const ns = Number(process.hrtime.bigint() - start);
    rates.push(ops / (ns / 1e9));
  }
  rates.sort((a, b) => a - b);
  return rates[Math.floor(rates.length / 2)]!;
}

/** Async variant of {@link opsPerSecond}. */
export async function opsPerSecondAsync(ops: number, rounds: number, fn: () => Promise<void>): Promise<number> {
  const rates: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const start = process.hrtime.bigint();
    await fn();
    const ns = Number(process.hrtime.bigint() - start);
    rates.push(ops / (ns / 1e9));
  }
  rates.sort((a, b) => a - b);
  return rates[Math.floor(rates.length / 2)]!;
}

const fmt = (n: number) => (n >= 100 ? Math.round(n).toLocaleString('en-US') : n.toFixed(2));

/** Prints a table and writes `bench/results/<suite>-<time>.json`; returns the file path. */
export function report(suite: string, results: Comparison[], meta: Record<string, unknown> = {}): string {
  const rows = results.map((r) => ({
    benchmark: r.name,
    candidate: `${fmt(r.candidate)} ${r.unit}`,
    baseline: `${fmt(r.baseline)} ${r.unit} (${r.baselineName})`,
    ratio: (r.candidate / r.baseline).toFixed(3),
  }));
  console.table(rows);
  const dir = join(dirname(fileURLToPath(import.meta.url)), 'results');
  mkdirSync(dir, { recursive: true });
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const file = join(dir, `${suite}-${stamp}.json`);
  const body = {
    suite,
    at: new Date().toISOString(),
    node: process.version,
    ...meta,
    results: results.map((r) => ({ ...r, ratio: r.candidate / r.baseline })),
  };
  writeFileSync(file, `${JSON.stringify(body, null, 2)}\n`);
  writeFileSync(join(dir, `${suite}-latest.json`), `${JSON.stringify(body, null, 2)}\n`);
  return file;
}
