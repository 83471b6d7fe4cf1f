// tsc on the frozen public types (test/golden/types.test-d.ts), as a consumer's compiler would check it, in a
// process of its own. npm test's global setup starts it first thing, so its seconds overlap the whole run
// rather than its end (a fresh clone's run orders files by size, and the types test is small): the golden
// test reads the result it writes (build/types-check.json), or starts it when no setup did.
import { type ChildProcess, execFile } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { root } from '../../scripts/paths.ts';

export interface TypesCheck {
  code: number | null;
  output: string;
}

/** Where a started check writes what tsc said, once it has ended. */
export const TYPES_CHECK_RESULT = join(root, 'build/types-check.json');
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');

/** Runs tsc on the types test; `done` is told its exit status and what it said (each error with its lines). */
export function startTypesCheck(done: (result: TypesCheck) => void): ChildProcess {
  return execFile(
    process.execPath,
    [
      tsc,
      '--noEmit',
      '--pretty',
      'false',
      // What the last run learnt is kept in build/ (ignored by git): a run after a small change checks less.
      '--incremental',
      '--tsBuildInfoFile',
      'build/types-test.tsbuildinfo',
      '-p',
      'tsconfig.types-test.json',
    ],
    { cwd: root, encoding: 'utf8', maxBuffer: 16 * 1024 * 1024, timeout: 120_000 },
    (error, stdout, stderr) =>
      done({ code: error ? ((error.code as number) ?? 1) : 0, output: stdout + stderr }),
  );
}

/** Starts the check for the run, its result written to TYPES_CHECK_RESULT when it ends (a stale one removed first). */
export function startTypesCheckForRun(): ChildProcess {
  rmSync(TYPES_CHECK_RESULT, { force: true });
  return startTypesCheck((result) => {
    mkdirSync(dirname(TYPES_CHECK_RESULT), { recursive: true });
    writeFileSync(TYPES_CHECK_RESULT, JSON.stringify(result));
  });
}

/** How many times the result is looked for, 50 ms apart: past tsc's own bound (120 s), it never came. */
const LOOKS = 2_600;

/** The result of the check the run started, once written (polled: it is a file another process writes). */
export async function typesCheckOfRun(): Promise<TypesCheck> {
  for (let look = 0; look < LOOKS; look++) {
    const text = await readFile(TYPES_CHECK_RESULT, 'utf8').catch(() => undefined);
    if (text !== undefined) return JSON.parse(text) as TypesCheck;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return {
    code: null,
    output: `tsc, started by test/global-setup.ts, wrote no result to ${TYPES_CHECK_RESULT}`,
  };
}
