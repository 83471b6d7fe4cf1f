// npm run mcp:session (and the end of npm start): a session with `bindings-contract mcp` as an AI tool has
// one, over standard input/output with the SDK's own client: start the server, list its tools, call one.
// Its flags are this script's arguments (default --mock stateful: the embedded fake, nothing to set up).
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { exampleParameters } from '../generated/contract.js';
import { operationRegistry } from '../generated/registry.js';
import { toolName } from '../src/mcp/operation-tools.ts';
import { root } from './paths.ts';

/** The most characters of an answer printed. */
const SHOWN = 1200;

const given = process.argv.slice(2);
const flags = given.length ? given : ['--mock', 'stateful'];
const transport = new StdioClientTransport({
  command: process.execPath,
  args: ['--import', 'tsx', 'src/cli/bin.ts', 'mcp', ...flags],
  cwd: root,
  // The server reads its credentials from its environment: this one's, whole.
  env: Object.fromEntries(
    Object.entries(process.env).filter((e): e is [string, string] => e[1] !== undefined),
  ),
  stderr: 'inherit',
});
const client = new Client({ name: 'bindings-contract-mcp-session', version: '1.0.0' });
await client.connect(transport);
const server = client.getServerVersion();
console.log(`$ bindings-contract mcp ${flags.join(' ')}\nconnected to ${server?.name} ${server?.version}`);

const { tools } = await client.listTools();
console.log(`\ntools/list: ${tools.length} tools`);
for (const tool of tools)
  console.log(`  ${tool.name}${tool.annotations?.destructiveHint ? ' (destructive)' : ''}`);

// The fetch operation's tool with the contract's example SIDs (the embedded fake holds that binding);
// describe_operation when the server lists no operation tool (no credentials).
const fetchOp = Object.values(operationRegistry).find((op) => op.action === 'fetch');
if (!fetchOp) throw new Error('the registry has no fetch operation');
const sids = exampleParameters[fetchOp.id];
const listed = tools.some((t) => t.name === toolName(fetchOp.methodName));
const [name, args] = listed
  ? [toolName(fetchOp.methodName), sids]
  : ['describe_operation', { operationId: fetchOp.id }];
const result = (await client.callTool({ name, arguments: args })) as CallToolResult;
const text = result.content.map((part) => (part.type === 'text' ? part.text : `[${part.type}]`)).join('\n');
console.log(`\ntools/call ${name} ${JSON.stringify(args)}${result.isError ? ' (a tool error)' : ''}:`);
console.log(text.length > SHOWN ? `${text.slice(0, SHOWN)}…` : text);
await client.close();
// Against the embedded fake the call must succeed; against a deployment its example SIDs may well be a 404.
if (result.isError && !given.length) process.exitCode = 1;
