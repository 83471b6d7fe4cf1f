// The MCP server over standard input/output: one spawned `bindings-contract mcp` driven by the SDK's own
// Client (the transport an AI tool's mcp.json starts), and, in this process, what ends it: its input
// closing, and a message past the bound.
import { PassThrough } from 'node:stream';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { describe, expect, it } from 'vitest';
import { root } from '../../scripts/paths.ts';
import { CREDENTIAL_SOURCES } from '../../src/cli/flags.ts';
import { EXIT } from '../../src/cli/io.ts';
import { createMcpServer } from '../../src/mcp/server.ts';
import { MAX_MESSAGE_BYTES, serveStdio } from '../../src/mcp/stdio.ts';
import { exampleBindings } from '../../src/testing/index.ts';
import { expectNoPiece } from '../hostile/leaks.ts';
import { cliArgs } from '../support/cli-process.ts';
import { byAction, operations, toolNameOf } from './support.ts';

const [[user, secret]] = CREDENTIAL_SOURCES;

describe('bindings-contract mcp over standard input/output (a spawned process)', () => {
  it('lists every tool with --allow-delete, fetches and deletes in the embedded fake, with the credentials of its environment', async () => {
    const [binding] = exampleBindings();
    const username = String(binding?.account_sid);
    const password = 'stdio-secret-7f3a9c2e41d05b86';
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: cliArgs(['mcp', '--mock', 'stateful', '--allow-delete']),
      cwd: root,
      env: { PATH: process.env.PATH ?? '', [user]: username, [secret]: password },
      stderr: 'pipe',
    });
    let stderr = '';
    transport.stderr?.on('data', (chunk) => {
      stderr += chunk;
    });
    const client = new Client({ name: 'bindings-contract-tests', version: '1.0.0' });
    await client.connect(transport);
    const { tools } = await client.listTools();
    const sids = { chatServiceSid: String(binding?.chat_service_sid), sid: String(binding?.sid) };
    const call = async (name: string) => (await client.callTool({ name, arguments: sids })) as CallToolResult;
    const fetched = await call(toolNameOf(byAction('fetch')));
    const deleted = await call(toolNameOf(byAction('delete')));
    const gone = await call(toolNameOf(byAction('fetch')));
    await client.close();

    for (const op of operations) expect(tools.map((t) => t.name)).toContain(toolNameOf(op));
    expect(fetched.structuredContent).toEqual(binding);
    expect(deleted.isError).toBeFalsy();
    expect(gone.isError).toBe(true);
    // stderr says what it is, once; no credential in anything it said or answered.
    expect(stderr.trim().split('\n')).toEqual([
      expect.stringMatching(/^bindings-contract mcp: MCP server on standard input\/output, \d+ tools/),
    ]);
    expectNoPiece([fetched, deleted, gone, stderr], username, password);
  });
});

describe('serveStdio, in this process', () => {
  const streams = () => ({ stdin: new PassThrough(), stdout: new PassThrough() });

  it('ends (exit 0) when its input closes', async () => {
    const mcp = await createMcpServer();
    const { stdin, stdout } = streams();
    const said: string[] = [];
    const served = serveStdio({ mcp, say: (l) => said.push(l), stdin, stdout });
    stdin.end();
    expect(await served).toBe(EXIT.passed);
  });

  it('ends (exit 0) when stopped (Ctrl-C), and when its output breaks (the client gone)', async () => {
    const mcp = await createMcpServer();
    const controller = new AbortController();
    const stopped = serveStdio({ mcp, say: () => {}, signal: controller.signal, ...streams() });
    controller.abort();
    expect(await stopped).toBe(EXIT.passed);
    const { stdin, stdout } = streams();
    const broken = serveStdio({ mcp, say: () => {}, stdin, stdout });
    stdout.destroy(new Error('EPIPE'));
    expect(await broken).toBe(EXIT.passed);
  });

  it(`ends (exit ${EXIT.usage}) on a message past ${MAX_MESSAGE_BYTES} bytes, and says so on stderr, not stdout`, async () => {
    const mcp = await createMcpServer();
    const { stdin, stdout } = streams();
    let out = '';
    stdout.on('data', (chunk) => {
      out += chunk;
    });
    const said: string[] = [];
    const served = serveStdio({ mcp, say: (l) => said.push(l), stdin, stdout });
    stdin.write(Buffer.alloc(MAX_MESSAGE_BYTES + 1, 'x'));
    expect(await served).toBe(EXIT.usage);
    expect(said.join('\n')).toContain(`maximum size of ${MAX_MESSAGE_BYTES} bytes`);
    expect(out).toBe('');
  });
});
