// What the tests read of a Markdown page, the same way in the repository's docs test and in the
// pack-and-consume test of the tarball: its relative links, its headings' anchors, its shell commands.
import { posix } from 'node:path';

export interface RelativeLink {
  /** The link as written, `[text](target#anchor)`. */
  written: string;
  /** The path it leads to from the package's root (`''` for a link to a section of the page itself). */
  path: string;
  anchor: string | undefined;
}

/** Fenced code is text shown, not Markdown: a `# comment` there is no heading, `](x)` no link. */
const prose = (markdown: string) => markdown.replace(/^```[^\n]*\n[\s\S]*?^```$/gm, '');

/** Every link of `page` (a path from the package's root) that is not a URL, resolved from the root. */
export function relativeLinks(page: string, markdown: string): RelativeLink[] {
  return [...prose(markdown).matchAll(/\]\(([^)#\s]*)(?:#([^)\s]+))?\)/g)]
    .filter(([, target = '']) => !/^[a-z][a-z+.-]*:/i.test(target))
    .map(([written, target = '', anchor]) => ({
      written,
      path: target ? posix.normalize(posix.join(posix.dirname(page), target)) : page,
      anchor,
    }));
}

/** The anchors the headings of a page make. */
export function headingAnchors(markdown: string): string[] {
  return [...prose(markdown).matchAll(/^#+ (.+)$/gm)].map((h) =>
    (h[1] as string)
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s-]/gu, '')
      .trim()
      .replace(/\s/g, '-'),
  );
}

/** The commands of the page's `sh` blocks: continued lines joined, comments left out. */
export function shellCommands(markdown: string): string[] {
  return [...markdown.matchAll(/^```sh\n([\s\S]*?)^```$/gm)]
    .flatMap((m) => (m[1] ?? '').replace(/\\\n\s*/g, '').split('\n'))
    .map((line) => line.replace(/(^|\s+)#.*$/, '').trim())
    .filter(Boolean);
}

/** The commands of the `sh` blocks of a markdown page's `## section`, without their comments. */
export function sectionCommands(page: string, section: string): string[] {
  const from = page.indexOf(`\n## ${section}\n`);
  const to = page.indexOf('\n## ', from + 1);
  return shellCommands(page.slice(from, to === -1 ? undefined : to));
}
