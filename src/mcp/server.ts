// The MCP server of the contract on the SDK's low-level Server: the documentation tools and resources
// always, the operation tools when it has a client. One set of tools, cursors and masks per process; a
// Server per connection (stdio has one; Streamable HTTP, stateless, one per request).
import { packageName, packageVersion } from '../../generated/contract.js';
import { operationRegistry } from '../../generated/registry.js';
import type { BindingsClient, BindingsPage } from '../client/index.js';
import { quoted } from '../client/quote.js';
import { type Redact, textOf } from '../client/redact.js';
import type { OperationId } from '../client/types.js';
import { Cursors } from './cursors.js';
import { type DocTool, docTools } from './doc-tools.js';
import { type OperationTool, operationTools, readsOnly, toolName, toolsOf } from './operation-tools.js';
import { contractFile, type DocsPage, docsPages, packageRoot, readBounded } from './package-files.js';
import { contractUri, resourcesOf, uriOf } from './resources.js';
import { errorResult, type Masker, masker } from './results.js';
import { at, isObject, type JsonObject } from './schemas.js';
import {
  CallToolRequestSchema,
  type CallToolResult,
  ErrorCode,
  ListResourcesRequestSchema,
  ListToolsRequestSchema,
  McpError,
  ReadResourceRequestSchema,
  Server,
  type Tool,
} from './sdk.js';
import { contractEntries, docsEntries } from './search.js';

export interface McpOptions {
  /** The client the operation tools call through; none: they are not listed (`withoutClient` says why). */
  client?: BindingsClient | undefined;
  withoutClient?: string | undefined;
  /** Expose the destructive tools (the delete). */
  allowDelete?: boolean | undefined;
  /** Where the operation tools send requests, for curl lines; default the contract's server. */
  baseUrl?: string | undefined;
  /** False against the embedded fake. */
  openWorld?: boolean | undefined;
  /** Credentials no answer may hold a piece of (the client's password, its Basic token, a bearer token). */
  secrets?: string[] | undefined;
  /** Told (one line, masked) of a fault of this server's own. */
  log?: ((line: string) => void) | undefined;
}

export interface McpServer {
  /** A Server with every handler, for one connection. */
  connection(): Server;
  tools: readonly Tool[];
  instructions: string;
  /** Masks every piece of a credential this server holds, in a line it says. */
  redact: Redact;
}

type Operation = (typeof operationRegistry)[OperationId];

/** Every pattern of the contract: a value matching one is masked only where it holds a long run of a secret. */
function patternsOf(contract: JsonObject): string[] {
  const found = new Set<string>();
  const walk = (node: unknown, depth: number) => {
    if (depth > 64 || node === null || typeof node !== 'object') return;
    if (isObject(node) && typeof node.pattern === 'string') found.add(node.pattern);
    for (const value of Object.values(node)) walk(value, depth + 1);
  };
  walk(at(contract, '#/components'), 0);
  return [...found];
}

/** Why an operation has no tool here. */
function whyNot(options: McpOptions, op: Operation): string {
  if (!options.client) return options.withoutClient ?? 'this server has no client';
  return `${toolName(op.methodName)} changes the service: it exists only when the server is started with --allow-delete`;
}

function instructionsOf(options: McpOptions, title: string, operations: readonly OperationTool[]): string {
  const said = [
    `This server documents ${title} and calls its operations.`,
    'The documentation tools (list_operations, describe_operation, search_docs, get_schema, validate_value) and the resources (the contract, openapi.json, and each docs page) need no credentials.',
  ];
  if (operations.length)
    said.push(
      `The operation tools (${operations.map((o) => o.tool.name).join(', ')}) call the service through the package's client: every argument is checked against the contract before anything is sent. A list returns one page and a cursor for the next.`,
    );
  else said.push(`No operation tool is listed: ${options.withoutClient ?? 'this server has no client'}.`);
  const hidden = Object.values(operationRegistry).filter(
    (op) => options.client && !readsOnly(op) && !options.allowDelete,
  );
  for (const op of hidden) said.push(`${whyNot(options, op)}.`);
  return said.join(' ');
}

/** Every tool of a server of these options, and what its instructions say. */
function toolsFor(options: McpOptions, contract: JsonObject, pages: readonly DocsPage[], mask: Masker) {
  const { client } = options;
  const context = {
    contract,
    mask,
    cursors: new Cursors<BindingsPage>(),
    openWorld: options.openWorld ?? true,
  };
  const operations: OperationTool[] = client
    ? operationTools({ ...context, client }, (op) => readsOnly(op) || options.allowDelete === true)
    : [];
  const title = String((at(contract, '#/info/title') as string | undefined) ?? packageName);
  const note = instructionsOf(options, title, operations);
  const docs: DocTool[] = docTools({
    contract,
    entries: [...contractEntries(contract, contractUri), ...docsEntries(pages, uriOf)],
    mask,
    toolOf: toolsOf(operations, (id) => whyNot(options, operationRegistry[id])),
    baseUrl: options.baseUrl,
    note,
  });
  const names = [...docs, ...operations].map((t) => t.tool.name);
  if (new Set(names).size !== names.length) throw new Error(`two tools share a name: ${names.join(', ')}`);
  return { docs, operations, title, note };
}

/** A tool call: the tool's answer; an unknown tool (or one this server does not list) a protocol error saying why. */
function caller(
  options: McpOptions,
  docs: readonly DocTool[],
  operations: readonly OperationTool[],
  mask: Masker,
) {
  return async (
    name: string,
    args: Record<string, unknown>,
    signal: AbortSignal,
  ): Promise<CallToolResult> => {
    const doc = docs.find((d) => d.tool.name === name);
    if (doc) return doc.call(args);
    const operation = operations.find((o) => o.tool.name === name);
    if (operation) return operation.call(args, signal);
    const missing = Object.values(operationRegistry).find((op) => toolName(op.methodName) === name);
    const why = missing ? `: ${whyNot(options, missing)}` : '';
    throw new McpError(ErrorCode.InvalidParams, mask.text(`Unknown tool ${quoted(name)}${why}`));
  };
}

/** The server of the contract: reads the contract and the docs pages (bounded), builds every tool once. */
export async function createMcpServer(options: McpOptions = {}): Promise<McpServer> {
  const contractText = await readBounded(contractFile);
  const contract = JSON.parse(contractText) as JsonObject;
  const pages = await docsPages(await packageRoot());
  const mask = masker(options.secrets ?? [], patternsOf(contract));
  const { docs, operations, title, note } = toolsFor(options, contract, pages, mask);
  const resources = resourcesOf(contractText, pages);
  const tools = [...docs.map((d) => d.tool), ...operations.map((o) => o.tool)];
  const call = caller(options, docs, operations, mask);

  function connection(): Server {
    const server = new Server(
      { name: packageName, version: packageVersion, title },
      { capabilities: { tools: {}, resources: {} }, instructions: note },
    );
    server.setRequestHandler(ListToolsRequestSchema, () => ({ tools }));
    server.setRequestHandler(CallToolRequestSchema, async ({ params }, extra) => {
      try {
        return await call(params.name, params.arguments ?? {}, extra.signal);
      } catch (error) {
        if (error instanceof McpError || extra.signal.aborted) throw error;
        const said = textOf((error as Error)?.message ?? error, mask.text);
        options.log?.(`${params.name}: ${said}`);
        return errorResult(`This server failed on ${params.name}: ${said}`, mask);
      }
    });
    server.setRequestHandler(ListResourcesRequestSchema, () => ({ resources: resources.list }));
    server.setRequestHandler(ReadResourceRequestSchema, ({ params }) =>
      resources.read(params.uri, mask.text),
    );
    return server;
  }

  return { connection, tools, instructions: note, redact: mask.text };
}
