// `bindings-contract mcp` from the command line, in this process: its help, each bad flag refused in one
// line with exit status 2 (never echoing a token), --http on a free port with its URL on stderr, a warning
// for an address that is not loopback, and the token it then requires.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { describe, expect, it } from 'vitest';
import { CREDENTIAL_SOURCES } from '../../src/cli/flags.ts';
import { main, USAGE } from '../../src/cli/main.ts';
import { MCP_FLAGS, MIN_TOKEN_LENGTH } from '../../src/mcp/command.ts';
import { byAction, toolNameOf } from './support.ts';

const [[user, secret]] = CREDENTIAL_SOURCES;

/** Runs the command line; with `until`, stops it (as Ctrl-C does) once stderr matches it, and hands over that match first. */
async function cli(
  args: string[],
  env: NodeJS.ProcessEnv = {},
  until?: RegExp,
  meanwhile?: (m: RegExpMatchArray) => Promise<void>,
) {
  let stdout = '';
  let stderr = '';
  const controller = new AbortController();
  let seen: Promise<void> = Promise.resolve();
  const status = main(['mcp', ...args], env, {
    stdout: (t) => {
      stdout += t;
    },
    stderr: (t) => {
      stderr += t;
      const match = until && stderr.match(until);
      if (match) seen = (meanwhile?.(match) ?? Promise.resolve()).finally(() => controller.abort());
    },
    signal: controller.signal,
  });
  const result = { status: await status, stdout, stderr };
  await seen;
  return { ...result, stderr };
}

describe('bindings-contract mcp', () => {
  it('--help: every flag; the top-level usage names the command', async () => {
    const { status, stdout } = await cli(['--help']);
    expect(status).toBe(0);
    for (const [name, flag] of Object.entries(MCP_FLAGS)) {
      expect(stdout).toContain(`--${name}`);
      if ('default' in flag) expect(stdout).toContain(`(default ${flag.default})`);
    }
    expect(USAGE).toMatch(/^ {2}bindings-contract mcp /m);
  });

  const short = 'y'.repeat(MIN_TOKEN_LENGTH - 1);
  it.each([
    [['--port', '0'], {}, '--port needs --http (standard input/output has no address)'],
    [['--mock', 'prism'], {}, '--mock must be stateful (the embedded fake), got "prism" (5 characters)'],
    [
      ['--mock', 'stateful', '--base-url', 'https://x.example'],
      {},
      '--mock stateful and --base-url are two targets',
    ],
    [['--base-url', 'ftp://x.example'], {}, '--base-url must be an absolute http(s) URL'],
    [['--http', '--port', '65536'], {}, '--port must be an integer from 0 to 65535, got "65536"'],
    [['--http', '--token-env', 'MCP_TOKEN'], {}, '--token-env MCP_TOKEN: the variable is not set, or empty'],
    [
      ['--http', '--token-env', 'MCP_TOKEN'],
      { MCP_TOKEN: short },
      `at least ${MIN_TOKEN_LENGTH} printable ASCII`,
    ],
    [['--http', '--token-env', 'A-B'], {}, '--token-env must be the name of an environment variable'],
    [['--http', '--allow-origin', 'https://ok.example,evil'], {}, '--allow-origin must be origins'],
    [['--http', '--allow-origin', 'https://ok.example/path'], {}, '--allow-origin must be origins'],
    [['--http', '--allow-host', 'a b'], {}, '--allow-host must be host names'],
    [[], { [user]: 'ACx' }, `set ${secret} too`],
    [['--stdio'], {}, "Unknown option '--stdio'"],
  ])('%j: exit 2, one line naming the flag and its rule', async (args, env, said) => {
    const { status, stderr } = await cli(args, env);
    expect(status).toBe(2);
    expect(stderr).toContain(said);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).not.toContain(short);
  });

  it('--http on a port in use: exit 2 naming it, nothing started', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const { port } = taken.address() as AddressInfo;
    const { status, stderr } = await cli(['--http', '--port', String(port)]);
    taken.close();
    expect(status).toBe(2);
    expect(stderr).toContain(`port ${port} on 127.0.0.1 is already in use`);
  });

  it('--http --port 0: the URL on stderr, where the SDK client lists the tools; Ctrl-C stops it (exit 0)', async () => {
    let names: string[] = [];
    const { status, stderr } = await cli(
      ['--http', '--port', '0', '--mock', 'stateful'],
      {},
      /at (http:\/\/127\.0\.0\.1:\d+\/mcp)/,
      async ([, url]) => {
        const client = new Client({ name: 'bindings-contract-tests', version: '1.0.0' });
        await client.connect(new StreamableHTTPClientTransport(new URL(url as string)));
        names = (await client.listTools()).tools.map((t) => t.name);
        await client.close();
      },
    );
    expect(status).toBe(0);
    expect(stderr).not.toContain('warning');
    expect(names).toContain(toolNameOf(byAction('fetch')));
    expect(names).not.toContain(toolNameOf(byAction('delete')));
  });

  it('without credentials (nor --mock): the documentation tools only, and the instructions name the variables to set', async () => {
    let names: string[] = [];
    let instructions = '';
    await cli(['--http', '--port', '0'], {}, /at (http:\S+\/mcp)/, async ([, url]) => {
      const client = new Client({ name: 'bindings-contract-tests', version: '1.0.0' });
      await client.connect(new StreamableHTTPClientTransport(new URL(url as string)));
      names = (await client.listTools()).tools.map((t) => t.name);
      instructions = client.getInstructions() ?? '';
      await client.close();
    });
    expect(names).toEqual([
      'list_operations',
      'describe_operation',
      'search_docs',
      'get_schema',
      'validate_value',
    ]);
    expect(instructions).toContain(`set ${user} and ${secret}`);
  });

  it('an address that is not loopback: a warning on start, naming the token flag when none is set', async () => {
    const { status, stderr } = await cli(['--http', '--host', '0.0.0.0', '--port', '0'], {}, /warning: .*\n/);
    expect(status).toBe(0);
    expect(stderr).toMatch(
      /warning: 0\.0\.0\.0 is not a loopback address: whoever reaches this machine may call this server at http:\/\/0\.0\.0\.0:\d+\/mcp \(set --token-env to require a token\)/,
    );
  });

  it('--token-env: a request without the token gets 401; the token never appears on stderr', async () => {
    const token = 'z'.repeat(MIN_TOKEN_LENGTH);
    let status401 = 0;
    const { stderr } = await cli(
      ['--http', '--port', '0', '--token-env', 'MCP_TOKEN'],
      { MCP_TOKEN: token },
      /at (http:\S+\/mcp)/,
      async ([, url]) => {
        status401 = (await fetch(url as string, { method: 'POST', body: '{}' })).status;
      },
    );
    expect(status401).toBe(401);
    expect(stderr).not.toContain(token.slice(0, 4));
  });
});
