import { readdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

// `pnpm run bench <suite> [--quick]` runs bench/<suite>.ts; without a suite it lists them.
const here = dirname(fileURLToPath(import.meta.url));
const suites = readdirSync(here)
  .filter((f) => f.endsWith('.ts') && !['run.ts', 'harness.ts'].includes(f))
  .map((f) => f.slice(0, -3));
const [suite, ...rest] = process.argv.slice(2);
if (!suite || !suites.includes(suite)) {
  console.error(`usage: pnpm run bench <suite> [--quick]   (suites: ${suites.join(', ')})`);
  process.exit(suite ? 1 : 0);
}
console.log(`bench ${suite}: running${rest.includes('--quick') ? ' (quick)' : ''}…`);
const mod = (await import(`./${suite}.ts`)) as { run(args: string[]): Promise<void> };
await mod.run(rest);
console.log(`bench ${suite}: done. Compare the ratio column across runs; absolute figures depend on the machine.`);
