// The MCP resources: the bundled contract (openapi.json) and each docs page the package ships, read once
// at start (bounded, package-files.ts) and served whole.

import { quoted } from '../client/quote.js';
import type { Redact } from '../client/redact.js';
import type { DocsPage } from './package-files.js';
import { McpError, type Resource } from './sdk.js';

/** The scheme of this server's resources. */
const SCHEME = 'bindings-contract';
/** JSON-RPC's "resource not found" (the MCP specification's code for it). */
const RESOURCE_NOT_FOUND = -32002;

/** The contract's URI, and a docs page's. */
export const contractUri = `${SCHEME}://contract/openapi.json`;
export const uriOf = (page: DocsPage) => `${SCHEME}://${page.path}`;

export function resourcesOf(contractText: string, pages: readonly DocsPage[]) {
  const list: Resource[] = [
    {
      uri: contractUri,
      name: 'openapi.json',
      title: 'The contract (OpenAPI 3.1, bundled)',
      description: 'The contract every tool of this server is made from, as the package ships it.',
      mimeType: 'application/json',
    },
    ...pages.map((page) => ({
      uri: uriOf(page),
      name: page.path,
      title: page.title,
      description: `The package's docs page ${page.path}: ${page.title}.`,
      mimeType: 'text/markdown',
    })),
  ];
  const texts = new Map<string, string>([
    [contractUri, contractText],
    ...pages.map((p) => [uriOf(p), p.text] as const),
  ]);

  /** A resource whole, by its URI (a fragment, as search hits carry, is ignored). */
  function read(uri: string, redact: Redact) {
    const bare = uri.split('#')[0] as string;
    const text = texts.get(bare);
    const resource = list.find((r) => r.uri === bare);
    if (text === undefined || !resource)
      throw new McpError(
        RESOURCE_NOT_FOUND,
        redact(`Resource not found: ${quoted(uri)} is none of this server's`),
      );
    return { contents: [{ uri: bare, mimeType: resource.mimeType, text }] };
  }

  return { list, read };
}
