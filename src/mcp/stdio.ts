// The MCP server over standard input/output: one connection, until its input closes or a stop signal
// comes. A message longer than MAX_MESSAGE_BYTES ends it (said on stderr): stdout carries only the protocol.
import { EXIT } from '../cli/io.js';
import { StdioServerTransport } from './sdk.js';
import type { McpServer } from './server.js';

/** The most bytes of one message (one line) read from standard input. */
export const MAX_MESSAGE_BYTES = 4 * 1024 * 1024;

export async function serveStdio(options: {
  mcp: McpServer;
  say: (line: string) => void;
  signal?: AbortSignal | undefined;
  stdin?: NodeJS.ReadableStream & { pause(): unknown };
  stdout?: NodeJS.WritableStream;
}): Promise<number> {
  const { mcp, say, signal, stdin = process.stdin, stdout = process.stdout } = options;
  const server = mcp.connection();
  const transport = new StdioServerTransport(stdin as typeof process.stdin, stdout as typeof process.stdout, {
    maxBufferSize: MAX_MESSAGE_BYTES,
  });
  let failed = false;
  transport.onerror = (error) => {
    // A line that is no JSON-RPC is the client's fault, answered by the SDK; one past the bound ends the server.
    const said = mcp.redact(String(error?.message ?? error).slice(0, 500));
    say(`standard input: ${said}`);
    if (/maximum size/.test(said)) failed = true;
  };
  // Set before connecting (the SDK keeps handlers set before it): input may end as soon as it is read.
  const ended = new Promise<void>((resolve) => {
    if (signal?.aborted) resolve();
    signal?.addEventListener('abort', () => resolve(), { once: true });
    stdin.once('end', () => resolve());
    stdin.once('close', () => resolve());
    // Output that can no longer be written (the client is gone: EPIPE) ends the server, never crashes it.
    stdout.once('error', () => resolve());
    transport.onclose = () => resolve();
  });
  await server.connect(transport);
  say(`MCP server on standard input/output, ${mcp.tools.length} tools (it stops when its input closes)`);
  await ended;
  await server.close();
  return failed ? EXIT.usage : EXIT.passed;
}
