// Golden test: the frozen public types (types.test-d.ts) compile. tsc checks that file as a consumer's
// compiler would, in its own process started with the run (test/support/types-check.ts); a failure names
// each assertion that broke (its `it` title, found above the error's line) with tsc's own words, which show
// the changed type.
// Vitest's typecheck mode did this until it was seen to hang a run forever (its run never ended, now and
// then, after every worker had finished): this runs tsc the same way, as an ordinary test.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, inject, it } from 'vitest';
import { root } from '../../scripts/paths.ts';
import { startTypesCheck, type TypesCheck, typesCheckOfRun } from '../support/types-check.ts';

const FILE = 'test/golden/types.test-d.ts';

/** What tsc says of the types test: the run's check (started by the global setup), else one of its own. */
const compile = (): Promise<TypesCheck> =>
  inject('typesCheckStarted') ? typesCheckOfRun() : new Promise((resolve) => startTypesCheck(resolve));

/** The title of the `it` that holds a line of the types test (the last one opened above it). */
function titleAt(lines: string[], line: number): string {
  for (let i = Math.min(line, lines.length) - 1; i >= 0; i--) {
    const title = /^\s*it\((['"`])(.*?)\1/.exec(lines[i] ?? '')?.[2];
    if (title) return title;
  }
  return '(outside any test)';
}

describe('frozen public types (a failure: the contract changed a public type; review it, then update types.test-d.ts)', () => {
  it('test/golden/types.test-d.ts compiles: every frozen type is what consumers were given', {
    timeout: 150_000,
  }, async () => {
    const [{ code, output }, text] = await Promise.all([compile(), readFile(join(root, FILE), 'utf8')]);
    const lines = text.split('\n');
    // An error starts a line with its place; the lines under it (indented) are its explanation.
    const failures = output
      .split(/\n(?=\S)/)
      .filter((entry) => entry.trim())
      .map((entry) => {
        const at = /^(.*?)\((\d+),\d+\): /.exec(entry);
        const where = at?.[1] === FILE ? `${titleAt(lines, Number(at[2]))}: ` : '';
        return `${where}${entry.trim()}`;
      });
    // Thrown whole, not as an assertion's diff: a report (JSON, JUnit) keeps an error's message, and cuts
    // the values an assertion shows, where the changed type is named.
    if (failures.length || code !== 0)
      throw new Error(`tsc -p tsconfig.types-test.json (exit ${code}):\n${failures.join('\n\n')}`);
  });
});
