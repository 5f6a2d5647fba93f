import { defineConfig } from 'vitest/config';

// One run covers every package; tests import source, so no build is needed first.
export default defineConfig({
  test: {
    projects: ['core', 'sdk', 'plugins/*', 'examples/*'],
  },
});
