import { memoryStore, parseSelector, type KubeObject } from '@skiff/core';
import { type Comparison, opsPerSecond, opsPerSecondAsync, report } from './harness.js';

/**
 * `pnpm run bench core`: selector matches per second (against a hand-written predicate) and
 * memory-store writes per second (against a bare Map holding the same JSON), side by side.
 */
export async function run(args: string[]): Promise<void> {
  const quick = args.includes('--quick');
  const rounds = quick ? 3 : 9;
  const results: Comparison[] = [];

  // Label maps like real pods': a few common keys, some absent.
  const labelSets: Record<string, string>[] = [];
  for (let i = 0; i < 10_000; i++) {
    const labels: Record<string, string> = { app: i % 3 ? 'web' : 'db', tier: ['a', 'b', 'c'][i % 3]!, 'pod-template-hash': `h${i % 97}` };
    if (i % 5 === 0) labels['legacy'] = 'true';
    labelSets.push(labels);
  }
  const selector = parseSelector('app=web,tier in (a,b),!legacy,pod-template-hash');
  const handWritten = (l: Record<string, string>) =>
    l['app'] === 'web' && (l['tier'] === 'a' || l['tier'] === 'b') && !('legacy' in l) && 'pod-template-hash' in l;
  let agree = 0;
  for (const l of labelSets) if (selector.matches(l) === handWritten(l)) agree++;
  if (agree !== labelSets.length) throw new Error('the selector and the hand-written predicate disagree');
  const passes = quick ? 10 : 100;
  let sink = 0;
  const selectorRate = opsPerSecond(labelSets.length * passes, rounds, () => {
    for (let p = 0; p < passes; p++) for (const l of labelSets) if (selector.matches(l)) sink++;
  });
  const baselineRate = opsPerSecond(labelSets.length * passes, rounds, () => {
    for (let p = 0; p < passes; p++) for (const l of labelSets) if (handWritten(l)) sink++;
  });
  results.push({ name: 'selector matches', unit: 'matches/s', candidate: selectorRate, baseline: baselineRate, baselineName: 'hand-written predicate' });

  const writes = quick ? 2_000 : 20_000;
  const object = (i: number): KubeObject => ({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: `cm-${i}`, namespace: 'default', labels: { app: 'bench' } },
    data: { key: `value-${i}`, other: 'x'.repeat(64) },
  });
  const storeRate = await opsPerSecondAsync(writes, rounds, async () => {
    const store = memoryStore();
    for (let i = 0; i < writes; i++) await store.create(`/registry/core/configmaps/default/cm-${i}`, object(i));
    await store.close();
  });
  const mapRate = await opsPerSecondAsync(writes, rounds, async () => {
    const map = new Map<string, string>();
    for (let i = 0; i < writes; i++) {
      const key = `/registry/core/configmaps/default/cm-${i}`;
      if (map.has(key)) throw new Error('exists');
      map.set(key, JSON.stringify(object(i)));
      await Promise.resolve();
    }
  });
  results.push({ name: 'memory store creates', unit: 'writes/s', candidate: storeRate, baseline: mapRate, baselineName: 'Map + JSON.stringify' });

  const file = report('core', results, { quick, rounds, sink: sink > 0 });
  console.log(`bench core: wrote ${file}`);
}
