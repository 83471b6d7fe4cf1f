// The package's own files the MCP server serves (the bundled contract, the docs pages), found from this
// module's place whatever the layout (a clone's src/mcp, the tarball's dist/src/mcp), each read bounded.
import { open, readdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { packageName } from '../../generated/contract.js';

/** The most bytes read of one file of the package: the contract and each docs page are a few tens of KiB. */
export const MAX_PACKAGE_FILE_BYTES = 1024 * 1024;
/** The most docs pages served (and searched). */
export const MAX_DOCS_PAGES = 50;
/** How far up from this module the package root may be (src/mcp in a clone, dist/src/mcp when installed). */
const MAX_LEVELS_UP = 4;

/** A file of the package over MAX_PACKAGE_FILE_BYTES: refused, never read in part. */
export class PackageFileTooLarge extends Error {}

/** A file's text, at most `max` bytes: one read of max + 1 bytes, refused when it gets them all. */
export async function readBounded(path: string, max = MAX_PACKAGE_FILE_BYTES): Promise<string> {
  const file = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(max + 1);
    let length = 0;
    while (length <= max) {
      const { bytesRead } = await file.read(buffer, length, max + 1 - length, null);
      if (bytesRead === 0) break;
      length += bytesRead;
    }
    if (length > max) throw new PackageFileTooLarge(`${path} is larger than ${max} bytes`);
    return buffer.toString('utf8', 0, length);
  } finally {
    await file.close();
  }
}

/** The bundled contract, as generated (`generated/openapi.json`, beside src/ and dist/src/ alike). */
export const contractFile = fileURLToPath(new URL('../../generated/openapi.json', import.meta.url));

/** The folder of the package: the first one up from here whose package.json names this package. */
export async function packageRoot(
  from = dirname(fileURLToPath(import.meta.url)),
): Promise<string | undefined> {
  let dir = from;
  for (let level = 0; level <= MAX_LEVELS_UP; level++, dir = dirname(dir)) {
    const text = await readBounded(join(dir, 'package.json'), 64 * 1024).catch(() => undefined);
    if (text !== undefined && (JSON.parse(text) as { name?: unknown }).name === packageName) return dir;
  }
  return undefined;
}

export interface DocsPage {
  /** Its path in the package: `docs/limits.md`. */
  path: string;
  /** Its first heading. */
  title: string;
  text: string;
}

/** The docs pages the package ships (docs/*.md), in name order, each read bounded; none when there is no root. */
export async function docsPages(root: string | undefined): Promise<DocsPage[]> {
  if (root === undefined) return [];
  const names = await readdir(join(root, 'docs')).catch(() => [] as string[]);
  const pages: DocsPage[] = [];
  for (const name of names
    .filter((n) => n.endsWith('.md'))
    .sort()
    .slice(0, MAX_DOCS_PAGES)) {
    const text = await readBounded(join(root, 'docs', name));
    const title = /^#\s+(.+)$/m.exec(text)?.[1]?.trim() ?? name;
    pages.push({ path: `docs/${name}`, title, text });
  }
  return pages;
}
