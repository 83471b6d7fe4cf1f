// The README and the docs as npm ships them and as a clone runs them: every relative link of each page
// leads to a file of the tarball (a consumer reads the docs in node_modules, not in a clone), every link to
// a section names a heading the page has, and each `npm run cli` command of "Working on this package" runs
// the command line from source (npm, then tsx, as a reader would type it). Run by npm run test:processes
// (they start npm); the rest of what the docs must say is test/golden/docs.test.ts.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { documents } from '../../scripts/docs-regions.ts';
import { root } from '../../scripts/paths.ts';
import { headingAnchors, relativeLinks, sectionCommands } from '../support/markdown.ts';

const read = (doc: string) => readFileSync(join(root, doc), 'utf8');
/**
 * npm as the tests run it: no update check (npm's own, weekly, reaches the registry while the command runs:
 * the likeliest cause of the one CI run where npm pack took past a minute), never the network, and a bound
 * on each command (45 s, within the hook's 60 s, so a hang fails naming npm).
 */
const npmRun = { cwd: root, encoding: 'utf8', timeout: 45_000 } as const;
const npmEnv = { ...process.env, npm_config_update_notifier: 'false', npm_config_offline: 'true' };

it('in a clone (Working on this package): its npm run cli commands run the command line from source', async () => {
  const clone = sectionCommands(read('README.md'), 'Working on this package');
  const cli = clone.filter((c) => c.startsWith('npm run cli'));
  expect(cli.length).toBeGreaterThan(0);
  for (const command of cli) {
    const { stdout } = await promisify(execFile)('sh', ['-c', command], { ...npmRun, env: npmEnv });
    expect(stdout, command).toMatch(/bindings-contract verify .*\n.*bindings-contract mock /);
  }
});

describe('every relative link leads to what the package ships', () => {
  let shipped: string[] = [];
  beforeAll(async () => {
    // What `npm pack` would put in the tarball (package.json's files), listed without building or packing.
    const { stdout } = await promisify(execFile)('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
      ...npmRun,
      env: npmEnv,
    });
    const [pack] = JSON.parse(stdout) as { files: { path: string }[] }[];
    shipped = (pack?.files ?? []).map((f) => f.path);
    expect(shipped).toContain('README.md');
  });
  const ships = (path: string) =>
    shipped.includes(path) || shipped.some((f) => f.startsWith(path.endsWith('/') ? path : `${path}/`));

  it.each(documents())('%s: every relative link leads to a file of the tarball', (doc) => {
    const missing = relativeLinks(doc, read(doc)).filter((link) => !ships(link.path));
    expect(missing.map((link) => link.written)).toEqual([]);
  });

  it.each(documents())('%s: every link to a section of a page names a heading it has', (doc) => {
    const wrong = relativeLinks(doc, read(doc)).filter(
      (link) =>
        link.anchor !== undefined &&
        link.path.endsWith('.md') &&
        ships(link.path) &&
        !headingAnchors(read(link.path)).includes(link.anchor),
    );
    expect(wrong.map((link) => link.written)).toEqual([]);
  });
});
