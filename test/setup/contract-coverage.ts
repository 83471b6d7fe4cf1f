// After each test file: what every fake of this worker has exercised of the contract so far, written
// for test/global-setup.ts to merge when the run ends (the suite's own contract coverage, gated in CI).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { threadId } from 'node:worker_threads';
import { afterAll } from 'vitest';
import { coverageOfEveryFake } from '../../src/testing/index.ts';
import { COVERAGE_PARTS } from '../global-setup.ts';

afterAll(() => {
  mkdirSync(COVERAGE_PARTS, { recursive: true });
  // One file per worker: workers are threads of one process (vitest.config.ts), so the pid alone is shared.
  writeFileSync(
    join(COVERAGE_PARTS, `${process.pid}-${threadId}.json`),
    JSON.stringify(coverageOfEveryFake()),
  );
});
