import { defineConfig } from 'tsup';

export default defineConfig({
  entry: { index: 'src/index.ts', main: 'src/main.ts' },
  format: ['esm'],
  tsconfig: 'tsconfig.build.json',
  dts: { entry: { index: 'src/index.ts' } },
  clean: true,
  target: 'node20',
});
