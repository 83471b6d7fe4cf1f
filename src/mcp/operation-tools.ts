// One MCP tool per operation of the registry, none written by hand: its name from the client method, its
// input schema from the operation's parameters, its output schema from its success response, and each
// call made through the package's client (checked before anything is sent, bounded, retried, redacted).

import { operationRegistry } from '../../generated/registry.js';
import type { BindingsClient, BindingsPage } from '../client/index.js';
import { BindingsError } from '../client/index.js';
import { quoted } from '../client/quote.js';
import { textOf } from '../client/redact.js';
import type { OperationId } from '../client/types.js';
import { strayArgument } from './arguments.js';
import { type Cursors, canonical } from './cursors.js';
import type { ToolOf } from './describe.js';
import { errorResult, jsonResult, type Masker } from './results.js';
import {
  componentSchema,
  inputSchema,
  isObject,
  type JsonObject,
  operationNode,
  validatorOf,
} from './schemas.js';
import type { CallToolResult, Tool } from './sdk.js';

type Operation = (typeof operationRegistry)[OperationId];
type Method = (params: unknown, options: { signal?: AbortSignal }) => Promise<unknown>;

/** A tool of an operation: what tools/list shows of it, and its call. */
export interface OperationTool {
  id: OperationId;
  tool: Tool;
  call(args: Record<string, unknown>, signal: AbortSignal): Promise<CallToolResult>;
}

export interface OperationContext {
  contract: JsonObject;
  client: BindingsClient;
  mask: Masker;
  cursors: Cursors<BindingsPage>;
  /** False against the embedded fake: a closed world. */
  openWorld: boolean;
}

/** A client method's name as a tool's: `fetchBindingsPage` → `fetch_bindings_page`. */
export const toolName = (methodName: string) => methodName.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/** Whether an operation's action only reads: anything else is destructive, and exists only when allowed. */
export const readsOnly = (op: Operation) => op.action === 'list' || op.action === 'fetch';

const CURSOR = {
  type: 'string',
  description:
    'The cursor the previous page returned: pass it, with the same other arguments, for the next page.',
};
const NEXT_CURSOR = {
  type: 'string',
  description: 'There is a next page: call again with the same arguments and this cursor for it.',
};

/** What a failed call says: the client's error (its message redacted by the client), or what else went wrong. */
function failure(error: unknown, mask: Masker): CallToolResult {
  if (error instanceof BindingsError) return errorResult(`${error.name}: ${error.message}`, mask);
  return errorResult(`The call failed in this server: ${textOf((error as Error)?.message, mask.text)}`, mask);
}

function descriptionOf(contract: JsonObject, op: Operation): string {
  const { operation } = operationNode(contract, op.id);
  const said = [operation.summary, operation.description]
    .filter((s): s is string => typeof s === 'string')
    .map((s) => (/[.!?]$/.test(s) ? s : `${s}.`));
  if (op.action === 'list')
    said.push(
      'Returns one page and, when there is a next page, a cursor: call again with the same arguments and that cursor for it.',
    );
  if (!readsOnly(op)) said.push('Destructive: it acts on the service, and cannot be undone.');
  said.push('Every argument is checked against the contract before anything is sent.');
  return said.join(' ');
}

/** The MCP descriptor of an operation's tool. */
function toolOf(context: OperationContext, op: Operation): Tool {
  const input = inputSchema(context.contract, op.id);
  const output = op.success.schema ? componentSchema(context.contract, op.success.schema) : undefined;
  if (op.action === 'list') {
    (input.properties as JsonObject).cursor = CURSOR;
    if (output)
      output.properties = { ...(isObject(output.properties) ? output.properties : {}), cursor: NEXT_CURSOR };
  }
  const readOnly = readsOnly(op);
  return {
    name: toolName(op.methodName),
    description: descriptionOf(context.contract, op),
    inputSchema: input as Tool['inputSchema'],
    ...(output?.type === 'object' && { outputSchema: output as Tool['outputSchema'] }),
    annotations: {
      readOnlyHint: readOnly,
      destructiveHint: !readOnly,
      idempotentHint: true,
      openWorldHint: context.openWorld,
    },
  };
}

/** The tool of each operation of the registry that `include` keeps, in the registry's order. */
export function operationTools(
  context: OperationContext,
  include: (op: Operation) => boolean,
): OperationTool[] {
  return Object.values(operationRegistry)
    .filter(include)
    .map((op) => {
      const tool = toolOf(context, op);
      const name = op.action === 'list' ? op.pageMethodName : op.methodName;
      const method = (context.client as unknown as Record<string, Method | undefined>)[name ?? ''];
      if (typeof method !== 'function')
        throw new Error(`the client has no method ${name} for the operation ${op.id}`);
      const bound: Method = (params, options) => method.call(context.client, params, options);
      const call = op.action === 'list' ? listCall : singleCall;
      return {
        id: op.id,
        tool,
        async call(args, signal) {
          const stray = strayArgument(tool.inputSchema as JsonObject, args);
          if (stray) return errorResult(stray, context.mask);
          try {
            return await call({ context, op, tool, method: bound, args, signal });
          } catch (error) {
            if (signal.aborted) throw error;
            return failure(error, context.mask);
          }
        },
      };
    });
}

interface Call {
  context: OperationContext;
  op: Operation;
  tool: Tool;
  method: Method;
  args: Record<string, unknown>;
  signal: AbortSignal;
}

/** A fetch (its resource) or a delete (what was deleted): one request through the client. */
async function singleCall({ context, op, tool, method, args, signal }: Call): Promise<CallToolResult> {
  const answer = await method(args, { signal });
  if (!op.success.schema)
    return jsonResult({ operationId: op.id, done: true, arguments: args }, context.mask);
  return jsonResult(answer, context.mask, {
    structured: tool.outputSchema !== undefined,
    validate: validatorOf(op.success.schema),
  });
}

/** One page of a list: the first, or the one a cursor leads to; a cursor for the next when there is one. */
async function listCall({ context, op, tool, method, args, signal }: Call): Promise<CallToolResult> {
  const { cursor, ...params } = args;
  const key = canonical(params);
  let page: BindingsPage | undefined;
  if (cursor === undefined) page = (await method(params, { signal })) as BindingsPage;
  else {
    const taken = context.cursors.take(cursor, tool.name, key);
    if ('expected' in taken)
      return errorResult(`Invalid cursor: expected ${taken.expected}, got ${quoted(cursor)}.`, context.mask);
    page = await taken.held.next(signal);
    if (!page) return errorResult('The list has no page after the one that cursor came with.', context.mask);
  }
  const fields = Object.keys((tool.outputSchema?.properties as JsonObject | undefined) ?? {});
  const shown: JsonObject = {};
  for (const field of fields)
    if (field !== 'cursor' && field in page) shown[field] = page[field as keyof BindingsPage];
  // The client's page says whether a next page exists by the contract's next_page_url (typed from it).
  const next = page;
  if (typeof page.meta?.next_page_url === 'string')
    shown.cursor = context.cursors.issue({
      tool: tool.name,
      args: key,
      next: (s) => next.next({ signal: s }),
    });
  return jsonResult(shown, context.mask, {
    structured: true,
    validate: validatorOf(op.success.schema),
    advice: 'Ask for fewer at a time (a smaller page size).',
  });
}

/** An operation's tool name in this server, or why it has none (for list_operations and describe_operation). */
export function toolsOf(tools: readonly OperationTool[], why: (id: OperationId) => string): ToolOf {
  return (id) => {
    const tool = tools.find((t) => t.id === id);
    return tool ? { tool: tool.tool.name } : { tool: null, why: why(id) };
  };
}
