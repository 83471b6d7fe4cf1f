// Searching the contract and the docs pages: each described node of the contract (at its JSON pointer)
// and each section of a page (under its heading) is an entry; hits are ranked, bounded, and name where.
import type { DocsPage } from './package-files.js';
import { isObject, type JsonObject, pointerToken } from './schemas.js';

/** The most hits one search returns, and how many when not told. */
export const MAX_HITS = 20;
export const DEFAULT_HITS = 8;
/** The most characters of a query read, and the most words of it that count. */
export const MAX_QUERY_CHARS = 200;
const MAX_TERMS = 12;
/** The most characters of a hit's excerpt. */
export const EXCERPT_CHARS = 240;
/** A term counts at most this many times in one entry: a long section does not win by length alone. */
const MAX_COUNTED = 5;
/** Keywords of OpenAPI left out of a contract entry's title: `ServiceBinding › identity`. */
const STRUCTURE = new Set(['components', 'schemas', 'properties', 'paths', 'parameters', 'responses']);

export interface Entry {
  /** Where it is: `docs/limits.md › The MCP server`, or the JSON pointer `#/components/schemas/X`. */
  where: string;
  /** The resource holding it, with the heading's anchor or the pointer as its fragment. */
  uri: string;
  title: string;
  text: string;
}

/** Every node of the contract with a summary or description, at its JSON pointer. */
export function contractEntries(contract: JsonObject, uri: string): Entry[] {
  const entries: Entry[] = [];
  const walk = (node: unknown, tokens: string[]) => {
    if (Array.isArray(node)) for (const [i, item] of node.entries()) walk(item, [...tokens, String(i)]);
    if (!isObject(node) || tokens.length > 32) return;
    const words = [node.operationId, node.name, node.summary, node.description].filter(
      (w): w is string => typeof w === 'string',
    );
    if (typeof node.summary === 'string' || typeof node.description === 'string') {
      const pointer = `#/${tokens.map(pointerToken).join('/')}`;
      const title = tokens.filter((t) => !STRUCTURE.has(t)).join(' › ') || 'the contract';
      entries.push({ where: pointer, uri: `${uri}${pointer}`, title, text: words.join('\n') });
    }
    for (const [key, value] of Object.entries(node)) if (!key.startsWith('x-')) walk(value, [...tokens, key]);
  };
  walk(contract, []);
  return entries;
}

/** A heading's anchor, as GitHub makes it. */
export const anchorOf = (heading: string) =>
  heading
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s-]/gu, '')
    .trim()
    .replace(/\s/g, '-');

/** Each section of each page (the text under a heading, fenced code included; a fence's `#` is no heading). */
export function docsEntries(pages: readonly DocsPage[], uriOf: (page: DocsPage) => string): Entry[] {
  const entries: Entry[] = [];
  for (const page of pages) {
    let heading = page.title;
    let lines: string[] = [];
    let fenced = false;
    const flush = () => {
      const where = `${page.path} › ${heading}`;
      if (lines.some((l) => l.trim()))
        entries.push({
          where,
          uri: `${uriOf(page)}#${anchorOf(heading)}`,
          title: heading,
          text: lines.join('\n'),
        });
      lines = [];
    };
    // The docs:regions markers are for the script that writes them, not for a reader.
    for (const line of page.text.replace(/<!--[\s\S]*?-->\n?/g, '').split('\n')) {
      if (line.startsWith('```')) fenced = !fenced;
      const match = fenced ? null : /^#{1,6}\s+(.+)$/.exec(line);
      if (!match) {
        lines.push(line);
        continue;
      }
      flush();
      heading = (match[1] as string).trim();
    }
    flush();
  }
  return entries;
}

/** A word without its English ending, so `retry` finds `retries` and `paging` finds `pages`. */
const stem = (word: string) => (word.length > 4 ? word.replace(/(ies|es|s|y|ing|ed|e)$/, '') : word);

/** The words of a query that count, stemmed: lower case, letters and digits, two characters or more, each once. */
export function termsOf(query: string): string[] {
  const words = query
    .slice(0, MAX_QUERY_CHARS)
    .toLowerCase()
    .split(/[^\p{L}\p{N}_]+/u);
  return [...new Set(words.filter((w) => w.length >= 2).map(stem))].slice(0, MAX_TERMS);
}

function count(haystack: string, term: string): number {
  let n = 0;
  for (let at = haystack.indexOf(term); at >= 0 && n < MAX_COUNTED; at = haystack.indexOf(term, at + 1)) n++;
  return n;
}

/** A bounded excerpt of `text` around the first place a term appears, on one line. */
function excerptOf(text: string, terms: readonly string[]): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  const lower = flat.toLowerCase();
  const first = Math.min(...terms.map((t) => lower.indexOf(t)).filter((i) => i >= 0), flat.length);
  const start = Math.max(0, Math.min(first - EXCERPT_CHARS / 4, flat.length - EXCERPT_CHARS));
  const cut = flat.slice(start, start + EXCERPT_CHARS);
  return `${start > 0 ? '…' : ''}${cut}${start + EXCERPT_CHARS < flat.length ? '…' : ''}`;
}

export interface Hit {
  where: string;
  uri: string;
  score: number;
  excerpt: string;
}

/**
 * The entries a query finds, best first: a term in the title counts three times one in the text, each at
 * most MAX_COUNTED times; an entry holding every term, or the query as written, counts double. Ties keep
 * the entries' order (the contract first, then the pages in order).
 */
export function search(entries: readonly Entry[], query: string, limit = DEFAULT_HITS) {
  const terms = termsOf(query);
  const phrase = query.slice(0, MAX_QUERY_CHARS).toLowerCase().trim();
  const scored: (Hit & { index: number })[] = [];
  entries.forEach((entry, index) => {
    const title = entry.title.toLowerCase();
    const body = entry.text.toLowerCase();
    let score = 0;
    let held = 0;
    for (const term of terms) {
      const found = 3 * count(title, term) + count(body, term);
      score += found;
      if (found) held++;
    }
    if (!score) return;
    if (held === terms.length && terms.length > 1) score *= 2;
    if (phrase.includes(' ') && `${title}\n${body}`.includes(phrase)) score *= 2;
    scored.push({ where: entry.where, uri: entry.uri, score, excerpt: excerptOf(entry.text, terms), index });
  });
  scored.sort((a, b) => b.score - a.score || a.index - b.index);
  const hits = scored.slice(0, Math.min(limit, MAX_HITS)).map(({ index: _, ...hit }) => hit);
  return { terms, matched: scored.length, hits };
}
