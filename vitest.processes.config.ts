// Vitest for npm run test:processes: the tests that start the command line (and npm, node --test, bash) as
// processes of their own, to send them real signals, kill their process groups, give them named pipes, or
// read their stdio. They cost what starting processes costs, so npm test leaves them out; CI runs both.
import { defineConfig } from 'vitest/config';
import { shared } from './vitest.config.ts';

export default defineConfig({
  test: {
    ...shared,
    include: ['test/**/*.process.test.ts'],
    exclude: ['test/browser/**', 'test/consumer/**', 'node_modules/**'],
    globalSetup: ['test/global-setup-processes.ts'],
  },
});
