// The docs say what the code and the contract say: every part of README.md and docs/*.md that restates
// them (usage, checks, limits, budgets, exit statuses, sample reports and messages) is written by
// `npm run docs:regions`, and this test fails, naming the region and the lines that changed, when one is
// stale. A golden test: a contract change that shows in the docs is meant to fail it. It also holds the
// README to a newcomer's length, every relative link to a file the package ships (a consumer reads the
// docs in node_modules, not in a clone), and the README's commands to where they run (that those for a
// clone run: test/golden/readme-commands.process.test.ts).
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { documents, regions, render } from '../../scripts/docs-regions.ts';
import { root } from '../../scripts/paths.ts';
import { headingAnchors, relativeLinks, sectionCommands } from '../support/markdown.ts';

const read = (doc: string) => readFileSync(join(root, doc), 'utf8');
const REGION = /<!-- generated: ([a-z-]+) \(npm run docs:regions\) -->\n([\s\S]*?)\n?<!-- end: \1 -->/g;
const regionsOf = (text: string) => new Map([...text.matchAll(REGION)].map((m) => [m[1], m[2] ?? '']));

/** The lines of a region that changed: `- was` and `+ is now`, at most 20. */
function changed(was: string, now: string): string[] {
  const before = was.split('\n');
  const after = now.split('\n');
  return [
    ...before.filter((l) => !after.includes(l)).map((l) => `- ${l}`),
    ...after.filter((l) => !before.includes(l)).map((l) => `+ ${l}`),
  ].slice(0, 20);
}

describe('the docs say what the code and the contract say', () => {
  it.each(documents())('%s: every generated region is current', async (doc) => {
    const source = read(doc);
    const { text } = await render(source);
    const was = regionsOf(source);
    const stale = [...regionsOf(text)]
      .filter(([name, body]) => was.get(name) !== body)
      .map(
        ([name, body]) =>
          `${doc}, region ${name} (run npm run docs:regions):\n${changed(was.get(name) ?? '', body).join('\n')}`,
      );
    // In full (an assertion's diff would cut it): the lines that changed name what changed.
    if (stale.length) throw new Error(stale.join('\n\n'));
  });

  it('every region the script can write is used by some page', () => {
    const used = new Set(documents().flatMap((doc) => [...regionsOf(read(doc)).keys()]));
    expect(Object.keys(regions).filter((name) => !used.has(name))).toEqual([]);
  });

  it('the README stays what a newcomer reads in a few minutes', () => {
    expect(read('README.md').split('\n').length).toBeLessThanOrEqual(200);
  });

  describe('every relative link leads to what the package ships', () => {
    let shipped: string[] = [];
    beforeAll(async () => {
      // What `npm pack` would put in the tarball (package.json's files), listed without building or packing.
      const { stdout } = await promisify(execFile)(
        'npm',
        ['pack', '--dry-run', '--json', '--ignore-scripts'],
        {
          cwd: root,
          encoding: 'utf8',
        },
      );
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
});

/** The commands of a README section's `sh` blocks, without their comments. */
const commandsOf = (section: string) => sectionCommands(read('README.md'), section);

describe("the README's commands run where it says they do", () => {
  it('in a clone (Working on this package): no npx bindings-contract, which a clone does not install; npm run cli instead', () => {
    const clone = commandsOf('Working on this package');
    // npx finds no bindings-contract in a clone: the package does not install itself.
    expect(clone.filter((c) => c.includes('npx bindings-contract'))).toEqual([]);
    // That they run is test/golden/readme-commands.process.test.ts's.
    expect(clone.filter((c) => c.startsWith('npm run cli')).length).toBeGreaterThan(0);
  });

  it('where the package is installed (The contract check): npx bindings-contract, and it says so', () => {
    const installed = commandsOf('The contract check');
    expect(installed.filter((c) => !c.startsWith('npx bindings-contract '))).toEqual([]);
    expect(installed).toContain('npx bindings-contract --help');
    expect(read('README.md')).toMatch(/in a clone of this repository[^.]*`npm run cli --`/);
  });
});
