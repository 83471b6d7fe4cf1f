// Vitest: unit, contract (against Prism) and type tests. Browser tests live apart (npm run test:browser).
import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['test/browser/**', 'test/consumer/**', 'node_modules/**'],
    globalSetup: ['test/global-setup.ts'],
    typecheck: { enabled: true, include: ['test/**/*.test-d.ts'], tsconfig: 'tsconfig.types-test.json' },
    // One worker per core: Vitest's default leaves one core idle, which doubles the run on two cores.
    maxWorkers: availableParallelism(),
    testTimeout: 20_000,
    hookTimeout: 60_000,
  },
});
