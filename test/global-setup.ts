// Vitest global setup of npm test: one Prism mock of generated/openapi.json for the whole run, stopped after
// it. It is spawned, not awaited: the tests that talk to it wait for it (test/support/prism.ts) while the rest
// run. It is started with credential variables in the environment, so a test can check Prism never got them.
// When the run ends, what the suite's fakes exercised of the contract is merged into one coverage file.
// (npm run test:processes has its own: test/global-setup-processes.ts.)
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { merge } from '../src/cli/coverage-report.ts';
import { spawnPrism } from '../src/cli/prism.ts';
import type { CoverageData } from '../src/testing/index.ts';
import { startTypesCheckForRun } from './support/types-check.ts';

const build = new URL('../build/', import.meta.url).pathname;
/** Where each worker writes what its fakes exercised (test/setup/contract-coverage.ts). */
export const COVERAGE_PARTS = join(build, 'contract-coverage-parts');
/** The suite's contract coverage, merged: `npm run coverage:contract` gates it. */
export const SUITE_COVERAGE = join(build, 'contract-coverage.json');

declare module 'vitest' {
  export interface ProvidedContext {
    prismUrl: string;
    prismPid: number;
    /** The credential variables set while Prism started: none may be in its environment. */
    prismStartedWith: Record<string, string>;
    /** Whether this run's tsc on the frozen types was started (test/support/types-check.ts). */
    typesCheckStarted: boolean;
  }
}

export const CREDENTIAL_VARIABLES = {
  BINDINGS_USERNAME: 'global-setup-user',
  BINDINGS_PASSWORD: 'Zq7Xv9Lk2Pw4Rt6Yb8-global',
  TWILIO_ACCOUNT_SID: 'global-setup-account',
  TWILIO_AUTH_TOKEN: 'Zq7Xv9Lk2Pw4Rt6Yb8-token',
};

export default async function setup(project: TestProject) {
  // First: tsc's seconds on the frozen types overlap the whole run. Started again for each rerun of a watch.
  let typesCheck = startTypesCheckForRun();
  const stopTypesCheck = () => {
    if (typesCheck.exitCode === null && typesCheck.signalCode === null) typesCheck.kill('SIGKILL');
  };
  project.onTestsRerun(() => {
    stopTypesCheck();
    typesCheck = startTypesCheckForRun();
  });
  project.provide('typesCheckStarted', true);
  rmSync(COVERAGE_PARTS, { recursive: true, force: true });
  const saved = { ...process.env };
  Object.assign(process.env, CREDENTIAL_VARIABLES);
  const prism = await spawnPrism()
    .catch((error: unknown) => {
      // No teardown runs when the setup fails: the check started above must not outlive it.
      stopTypesCheck();
      throw error;
    })
    .finally(() => {
      process.env = saved;
    });
  // Its failure to start is each waiting test's (with Prism's log), not an unhandled rejection here.
  prism.ready.catch(() => {});
  project.provide('prismUrl', prism.url);
  project.provide('prismPid', prism.process.pid as number);
  project.provide('prismStartedWith', CREDENTIAL_VARIABLES);
  return async () => {
    stopTypesCheck();
    // SIGKILL: the suite's Prism holds nothing to save, and it takes a second or more to obey SIGTERM.
    const gone = new Promise((resolve) => prism.process.once('exit', resolve));
    if (prism.process.exitCode === null && prism.process.signalCode === null) {
      prism.process.kill('SIGKILL');
      await gone;
    }
    mkdirSync(COVERAGE_PARTS, { recursive: true });
    const parts = readdirSync(COVERAGE_PARTS).map(
      (name) => JSON.parse(readFileSync(join(COVERAGE_PARTS, name), 'utf8')) as CoverageData,
    );
    if (parts.length) writeFileSync(SUITE_COVERAGE, `${JSON.stringify(merge(parts), null, 2)}\n`);
  };
}
