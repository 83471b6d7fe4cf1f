// What the MCP tests share: the server in this process, reached by the SDK's own Client over its
// in-memory transport, and the tools the contract's registry says it must have.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { operationRegistry } from '../../generated/registry.js';
import type { OperationId } from '../../src/client/index.ts';
import { createMcpServer, type McpOptions } from '../../src/mcp/server.ts';

/** The operations of the contract, as the registry places them. */
export const operations = Object.values(operationRegistry);
export type Operation = (typeof operations)[number];
export const opOf = (id: OperationId) => operationRegistry[id];

/** An operation's tool name: its client method's, in snake case (`fetchBinding` → `fetch_binding`). */
export const toolNameOf = (op: Operation) => op.methodName.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/** The registry's operation of an action (the contract has one of each). */
export const byAction = (action: Operation['action']) => {
  const op = operations.find((o) => o.action === action);
  if (!op) throw new Error(`the registry has no ${action} operation`);
  return op;
};

/** A Client of the SDK connected to a server of these options in this process. */
export async function connect(options: McpOptions = {}) {
  const mcp = await createMcpServer(options);
  const [serverSide, clientSide] = InMemoryTransport.createLinkedPair();
  await mcp.connection().connect(serverSide);
  const client = new Client({ name: 'bindings-contract-tests', version: '1.0.0' });
  await client.connect(clientSide);
  const call = async (name: string, args: Record<string, unknown> = {}) =>
    (await client.callTool({ name, arguments: args })) as CallToolResult;
  return { client, mcp, call, close: () => client.close() };
}

/** A result's text, all its parts joined. */
export const textOf = (result: CallToolResult) =>
  result.content.map((part) => (part.type === 'text' ? part.text : '')).join('\n');
