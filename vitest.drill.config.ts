// Vitest for the drill's tests (test/drill/): run only by npm run test:drill, in a scratch copy of the
// repository whose contract has the push credentials added (scripts/drill-credentials.ts).
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/drill/**/*.drill.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
