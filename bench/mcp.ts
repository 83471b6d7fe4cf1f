// 11. What an MCP tool call adds over calling the client directly: the same fetch of the contract's example
// binding from the in-process stateful fake, by the client, by the MCP server's tool through the SDK's
// in-memory transport, and through Streamable HTTP over loopback (the server in this process).
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { operationRegistry } from '../generated/registry.js';
import { createBindingsClient } from '../src/client/index.ts';
import { serveHttp } from '../src/mcp/http.ts';
import { toolName } from '../src/mcp/operation-tools.ts';
import { createMcpServer } from '../src/mcp/server.ts';
import { createBindingsFake } from '../src/testing/index.ts';
import { SIDS } from './contract.ts';
import { costPer } from './meter.ts';
import { ratioCell, type Section, table } from './report.ts';
import { interleaved, spread } from './stats.ts';

const CALLS = 300;
const DIRECT = 'client.fetchBinding, direct';
const IN_MEMORY = 'MCP tool call, in-memory transport';
const HTTP = 'MCP tool call, Streamable HTTP over loopback';
const LOOPBACK = 'a bare POST to a node:http echo over loopback (what HTTP costs alone)';

/** A node:http server that answers each POST with its body: the loopback round trip with nothing on it. */
async function echoServer() {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(Buffer.concat(chunks));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  return { url, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

export const mcpSection: Section = {
  number: 11,
  title: 'An MCP tool call over a direct client call',
  async run({ rounds }) {
    const fake = createBindingsFake();
    const client = createBindingsClient({ ...fake.credentials, fetch: fake.fetch, retry: false });
    const mcp = await createMcpServer({ client, openWorld: false });
    const fetchOp = Object.values(operationRegistry).find((op) => op.action === 'fetch');
    const name = toolName(fetchOp?.methodName ?? '');
    const [serverSide, clientSide] = InMemoryTransport.createLinkedPair();
    await mcp.connection().connect(serverSide);
    const inMemory = new Client({ name: 'bench', version: '1.0.0' });
    await inMemory.connect(clientSide);
    const served = await serveHttp({
      mcp,
      host: '127.0.0.1',
      port: 0,
      policy: { hosts: [], origins: [] },
      redact: mcp.redact,
      log: () => {},
    });
    const overHttp = new Client({ name: 'bench', version: '1.0.0' });
    await overHttp.connect(new StreamableHTTPClientTransport(new URL(served.url)));
    const echo = await echoServer();
    const echoed = JSON.stringify({ name, arguments: SIDS });
    const tool = (mcpClient: Client) => async () => {
      const result = await mcpClient.callTool({ name, arguments: SIDS });
      if (result.isError) throw new Error(`${name} failed: ${JSON.stringify(result.content)}`);
    };
    const calls: Record<string, () => Promise<unknown>> = {
      [DIRECT]: () => client.fetchBinding(SIDS),
      [IN_MEMORY]: tool(inMemory),
      [HTTP]: tool(overHttp),
      [LOOPBACK]: async () => (await fetch(echo.url, { method: 'POST', body: echoed })).text(),
    };
    const timed = Object.fromEntries(
      Object.entries(calls).map(([label, call]) => [
        label,
        async () =>
          (
            await costPer(CALLS, async () => {
              for (let i = 0; i < CALLS; i++) await call();
            })
          ).wall,
      ]),
    );
    try {
      const wall = await interleaved(timed, rounds);
      return {
        markdown: [
          `## 11. An MCP tool call over a direct client call (${name} of the example binding from the in-process fake; ${CALLS} calls a round, one at a time)`,
          '',
          ...table(
            ['call', 'per call', 'vs the client directly'],
            Object.entries(wall).map(([label, s]) => [label, spread(s, 'µs', 1), ratioCell(s, wall[DIRECT])]),
          ),
          '',
          "The tool call adds the SDK's JSON-RPC framing and schema checks of the request and the result, the tool's argument check, the masking of the result and its JSON text; over HTTP, a request a call (a new Server for it: the server keeps no session) through node:http and the SDK's web-standard transport.",
        ],
      };
    } finally {
      await inMemory.close();
      await overHttp.close();
      await served.close();
      await echo.close();
    }
  },
};
