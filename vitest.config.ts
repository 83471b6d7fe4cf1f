// Vitest for npm test: unit, contract (against Prism) and golden tests (the frozen types among them, through
// tsc), in this process. The tests that start the command line, npm or node as processes of their own
// (*.process.test.ts) are npm run test:processes (vitest.processes.config.ts); browser and consumer tests
// live apart too (npm run test:browser, test:consumer).
import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

/** What both suites share: how tests run, not which. */
export const shared = {
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
} as const;

export default defineConfig({
  test: {
    ...shared,
    include: ['test/**/*.test.ts'],
    exclude: ['test/**/*.process.test.ts', 'test/browser/**', 'test/consumer/**', 'node_modules/**'],
    globalSetup: ['test/global-setup.ts'],
    setupFiles: ['test/setup/contract-coverage.ts'],
    // The frozen public types (test/golden/types.test-d.ts) are compiled by tsc in test/golden/types.test.ts:
    // Vitest's typecheck mode was seen to leave a run waiting forever after its last file.
  },
});
