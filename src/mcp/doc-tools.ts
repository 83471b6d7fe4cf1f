// The documentation tools: the contract and the docs pages, read, searched and applied, with no credential
// needed. Every answer comes from generated/ and the pages the package ships.
import type { Validator } from '../../generated/validators.js';
import { violationsFrom } from '../client/response.js';
import { argumentProblem } from './arguments.js';
import { describeOperation, listOperations, operationIds, type ToolOf } from './describe.js';
import { errorResult, jsonResult, type Masker } from './results.js';
import { componentSchema, type JsonObject, schemaNames, validatorOf } from './schemas.js';
import type { CallToolResult, Tool } from './sdk.js';
import { DEFAULT_HITS, type Entry, MAX_HITS, MAX_QUERY_CHARS, search } from './search.js';

export interface DocContext {
  contract: JsonObject;
  /** What search_docs searches: the contract's described nodes, then each section of each page. */
  entries: readonly Entry[];
  mask: Masker;
  toolOf: ToolOf;
  /** The base URL of the operation tools, for curl lines (default: the contract's server). */
  baseUrl?: string | undefined;
  /** Said by list_operations when some operation has no tool here. */
  note: string;
}

export interface DocTool {
  tool: Tool;
  call(args: Record<string, unknown>): CallToolResult;
}

const READ_ONLY = { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false };

/** A tool of this server's own, its input checked against its schema before it runs. */
function docTool(
  context: DocContext,
  tool: Omit<Tool, 'annotations'>,
  run: (args: Record<string, unknown>) => unknown,
): DocTool {
  return {
    tool: { ...tool, annotations: READ_ONLY },
    call(args) {
      const problem = argumentProblem(tool.inputSchema as JsonObject, args);
      if (problem) return errorResult(problem, context.mask);
      return jsonResult(run(args), context.mask, { structured: true });
    },
  };
}

const object = (properties: JsonObject, required: string[] = []) =>
  ({ type: 'object', properties, required, additionalProperties: false }) as Tool['inputSchema'];

const listOperationsTool = (context: DocContext) =>
  docTool(
    context,
    {
      name: 'list_operations',
      description:
        "The contract's operations: each one's id, action, method and path, summary, and its tool in this server (or why it has none).",
      inputSchema: object({}),
    },
    () => ({ operations: listOperations(context.contract, context.toolOf), note: context.note }),
  );

const describeOperationTool = (context: DocContext) =>
  docTool(
    context,
    {
      name: 'describe_operation',
      description:
        'One operation as the reference page shows it: its parameters with their rules, its responses with status, headers and schema, its example, and a curl line.',
      inputSchema: object({ operationId: { type: 'string', enum: operationIds } }, ['operationId']),
    },
    ({ operationId }) =>
      describeOperation(context.contract, operationId as (typeof operationIds)[number], {
        toolOf: context.toolOf,
        baseUrl: context.baseUrl,
      }),
  );

const searchDocsTool = (context: DocContext) =>
  docTool(
    context,
    {
      name: 'search_docs',
      description: `Searches the contract and the docs pages; the best hits first (at most ${MAX_HITS}), each naming where it is (a page and its heading, or a JSON pointer into the contract) and the resource that holds it.`,
      inputSchema: object(
        {
          query: { type: 'string', minLength: 1, maxLength: MAX_QUERY_CHARS, description: 'Words to find.' },
          limit: { type: 'integer', minimum: 1, maximum: MAX_HITS, description: `Default ${DEFAULT_HITS}.` },
        },
        ['query'],
      ),
    },
    ({ query, limit }) =>
      search(context.entries, query as string, (limit as number | undefined) ?? DEFAULT_HITS),
  );

const getSchemaTool = (context: DocContext) =>
  docTool(
    context,
    {
      name: 'get_schema',
      description: "A schema of the contract's components by name, its references inlined.",
      inputSchema: object({ name: { type: 'string', enum: schemaNames(context.contract) } }, ['name']),
    },
    ({ name }) => ({
      name,
      pointer: `#/components/schemas/${name}`,
      schema: componentSchema(context.contract, name as string),
    }),
  );

const validateValueTool = (context: DocContext) =>
  docTool(
    context,
    {
      name: 'validate_value',
      description:
        "Checks a JSON value against a schema of the contract, with the contract's own validator: the violations as the client reports them (a JSON pointer and what is wrong there).",
      inputSchema: object(
        {
          schema: { type: 'string', enum: schemaNames(context.contract).filter((n) => validatorOf(n)) },
          value: { description: 'Any JSON value.' },
        },
        ['schema', 'value'],
      ),
    },
    ({ schema, value }) => {
      const check = validatorOf(schema as string) as Validator;
      const valid = check(value);
      const violations = valid
        ? []
        : violationsFrom(check.errors ?? [], value, context.mask.text, check.omitted);
      return { schema, valid, violations };
    },
  );

/** The documentation tools, in the order tools/list shows them. */
export const docTools = (context: DocContext): DocTool[] =>
  [listOperationsTool, describeOperationTool, searchDocsTool, getSchemaTool, validateValueTool].map((make) =>
    make(context),
  );
