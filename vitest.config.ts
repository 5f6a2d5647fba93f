import { defineConfig } from 'vitest/config';

// One run covers every package; tests import source, so no build is needed first.
// CI sets SKIFF_TEST_REPORT to a path to also get a JSON report it can count from.
const report = process.env['SKIFF_TEST_REPORT'];

export default defineConfig({
  test: {
    projects: ['core', 'sdk', 'cli', 'plugins/*', 'examples/*'],
    ...(report ? { reporters: ['default', ['json', { outputFile: report }]] } : {}),
  },
});
