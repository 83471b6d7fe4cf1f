// Vitest for the pack-and-consume tests (npm run test:consumer): slow (npm pack, installs, Node 24), so apart from npm test.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/consumer/*.test.ts'],
    // The fixtures are the consumer's own files (node:test), compiled and run by consumer.test.ts.
    exclude: ['test/consumer/fixtures/**'],
    testTimeout: 120_000,
    hookTimeout: 180_000,
  },
});
