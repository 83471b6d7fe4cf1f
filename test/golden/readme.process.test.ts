// The README's commands for a clone run in one: each `npm run cli` command of "Working on this package"
// runs the command line from source (npm, then tsx, as a reader would type it). Run by npm run
// test:processes (it starts npm); that every link of the packed README and docs leads into the tarball is
// test/consumer/consumer.test.ts's (the real tarball); the rest of what the docs say is golden/docs.test.ts.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';
import { root } from '../../scripts/paths.ts';
import { sectionCommands } from '../support/markdown.ts';

const read = (doc: string) => readFileSync(join(root, doc), 'utf8');
/**
 * npm as a reader's shell runs it: none of the npm_* variables of an npm script this run may be under (its
 * local prefix would point npm at another tree), no update check (npm's own reaches the registry), offline,
 * and bounded (45 s).
 */
const npmRun = { cwd: root, encoding: 'utf8', timeout: 45_000 } as const;
const npmEnv = {
  ...Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('npm_'))),
  npm_config_update_notifier: 'false',
  npm_config_offline: 'true',
};

it('in a clone (Working on this package): its npm run cli commands run the command line from source', async () => {
  const clone = sectionCommands(read('README.md'), 'Working on this package');
  const cli = clone.filter((c) => c.startsWith('npm run cli'));
  expect(cli.length).toBeGreaterThan(0);
  for (const command of cli) {
    const { stdout } = await promisify(execFile)('sh', ['-c', command], { ...npmRun, env: npmEnv });
    expect(stdout, command).toMatch(/bindings-contract verify .*\n.*bindings-contract mock /);
  }
});
