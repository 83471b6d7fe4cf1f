// The README's commands for a clone run in one: each `npm run cli` command of "Working on this package"
// runs the command line from source (npm, then tsx, as a reader would type it). Run by npm run
// test:processes; what the README says of where each command runs is test/golden/docs.test.ts.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';
import { root } from '../../scripts/paths.ts';
import { sectionCommands } from '../support/markdown.ts';

it('in a clone (Working on this package): its npm run cli commands run the command line from source', async () => {
  const clone = sectionCommands(readFileSync(join(root, 'README.md'), 'utf8'), 'Working on this package');
  const cli = clone.filter((c) => c.startsWith('npm run cli'));
  expect(cli.length).toBeGreaterThan(0);
  for (const command of cli) {
    const { stdout } = await promisify(execFile)('sh', ['-c', command], { cwd: root, encoding: 'utf8' });
    expect(stdout, command).toMatch(/bindings-contract verify .*\n.*bindings-contract mock /);
  }
});
