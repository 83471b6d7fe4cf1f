// The docs say what the code and the contract say: every part of README.md and docs/*.md that restates
// them (usage, checks, limits, budgets, exit statuses, sample reports and messages) is written by
// `npm run docs:regions`, and this test fails, naming the region and the lines that changed, when one is
// stale. A golden test: a contract change that shows in the docs is meant to fail it. It also holds the
// README to a newcomer's length and every relative link to a file that exists.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { documents, regions, render } from '../../scripts/docs-regions.ts';
import { root } from '../../scripts/paths.ts';

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
    expect(read('README.md').split('\n').length).toBeLessThanOrEqual(250);
  });

  it.each(documents())('%s: every relative link leads to a file of the repository', (doc) => {
    const links = [...read(doc).matchAll(/\]\(([^)#\s]+)(#[^)]*)?\)/g)]
      .map((m) => m[1] as string)
      .filter((target) => !/^[a-z]+:/.test(target));
    const missing = links.filter((target) => !existsSync(join(root, dirname(doc), target)));
    expect(missing).toEqual([]);
  });

  it.each(documents())('%s: every link to a section of a page names a heading it has', (doc) => {
    const anchorOf = (heading: string) =>
      heading
        .toLowerCase()
        .replace(/[^\p{L}\p{N}\s-]/gu, '')
        .trim()
        .replace(/\s/g, '-');
    const wrong = [...read(doc).matchAll(/\]\(([^)#\s]*)#([^)\s]+)\)/g)].filter(([, target, anchor]) => {
      const page = target ? join(dirname(doc), target) : doc;
      if (!page.endsWith('.md') || !existsSync(join(root, page))) return false;
      const headings = [...read(page).matchAll(/^#+ (.+)$/gm)].map((h) => anchorOf(h[1] as string));
      return !headings.includes(anchor as string);
    });
    expect(wrong.map((m) => m[0])).toEqual([]);
  });
});
