// Vitest: unit, contract (against Prism) and type tests. Browser tests live apart (npm run test:browser).
import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['test/browser/**', 'test/consumer/**', 'node_modules/**'],
    globalSetup: ['test/global-setup.ts'],
    setupFiles: ['test/setup/contract-coverage.ts'],
    typecheck: { enabled: true, include: ['test/**/*.test-d.ts'], tsconfig: 'tsconfig.types-test.json' },
    // One worker per core: Vitest's default leaves one core idle, which doubles the run on two cores.
    maxWorkers: availableParallelism(),
    // Worker threads, not child processes: a fifth less CPU on two cores (no IPC serialising per message).
    pool: 'threads',
    // One module graph per worker, not per file: importing the sources again for each of 30-odd files was
    // a third of the run. Tests must leave no global behind (timers, fetch, stubs): these undo them.
    isolate: false,
    unstubGlobals: true,
    restoreMocks: true,
    testTimeout: 20_000,
    hookTimeout: 60_000,
  },
});
