// The docs say what the code and the contract say: every part of README.md and docs/*.md that restates
// them (usage, checks, limits, budgets, exit statuses, sample reports and messages) is written by
// `npm run docs:regions`, and this test fails, naming the region and the lines that changed, when one is
// stale. A golden test: a contract change that shows in the docs is meant to fail it. It also holds the
// README to a newcomer's length, and the README's commands to where they run. That every relative link
// leads to a file the package ships is test/consumer/consumer.test.ts's (the real tarball); that the
// commands for a clone run, test/golden/readme.process.test.ts's (npm runs them).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { documents, regions, render } from '../../scripts/docs-regions.ts';
import { root } from '../../scripts/paths.ts';
import { sectionCommands } from '../support/markdown.ts';

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
});

/** The commands of a README section's `sh` blocks, without their comments. */
const commandsOf = (section: string) => sectionCommands(read('README.md'), section);

describe("the README's commands run where it says they do", () => {
  it('in a clone (Working on this package): no npx bindings-contract, which a clone does not install; npm run cli instead', () => {
    const clone = commandsOf('Working on this package');
    // npx finds no bindings-contract in a clone: the package does not install itself.
    expect(clone.filter((c) => c.includes('npx bindings-contract'))).toEqual([]);
    // That they run is test/golden/readme.process.test.ts's.
    expect(clone.filter((c) => c.startsWith('npm run cli')).length).toBeGreaterThan(0);
  });

  it('where the package is installed (The contract check): npx bindings-contract, and it says so', () => {
    const installed = commandsOf('The contract check');
    expect(installed.filter((c) => !c.startsWith('npx bindings-contract '))).toEqual([]);
    expect(installed).toContain('npx bindings-contract --help');
    expect(read('README.md')).toMatch(/in a clone of this repository[^.]*`npm run cli --`/);
  });
});
