// Vitest for the pack-and-consume tests (npm run test:consumer): slow (npm pack, installs, Node 24), so apart from npm test.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/consumer/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 180_000,
  },
});
