// `bindings-contract mcp`: the MCP server of the contract, over standard input/output (the default) or
// Streamable HTTP (--http). Loaded only for this command, with the SDK it is written on.
import { server as contractServer } from '../../generated/contract.js';
import { baseUrl, CREDENTIALS_HINT, credentialsFrom, integer, UsageError } from '../cli/flags.js';
import { EXIT, type Io } from '../cli/io.js';
import { claimPort } from '../cli/prism.js';
import { seededFake } from '../cli/stateful-target.js';
import { type Flags, helpText, parseFlags } from '../cli/usage.js';
import { basicAuthorization } from '../client/basic-auth.js';
import { type BindingsClient, createBindingsClient } from '../client/index.js';
import { quoted } from '../client/quote.js';
import { LOOPBACK_NAMES, MCP_PATH, type Policy, serveHttp } from './http.js';
import { createMcpServer, type McpOptions } from './server.js';
import { serveStdio } from './stdio.js';

/** The most bytes of a response body the operation tools' client reads (a page of bindings is tens of KiB). */
export const MAX_MCP_RESPONSE_BYTES = 256 * 1024;
/** The shortest bearer token --token-env accepts. */
export const MIN_TOKEN_LENGTH = 16;

export const MCP_FLAGS = {
  http: { type: 'boolean', about: `serve Streamable HTTP at ${MCP_PATH} instead of standard input/output` },
  host: {
    type: 'string',
    value: 'HOST',
    default: '127.0.0.1',
    about: '--http: the address to listen on (one that is not loopback is warned about)',
  },
  port: { type: 'string', value: 'N', default: '4011', about: '--http: the port (0: any free one)' },
  'allow-origin': {
    type: 'string',
    value: 'ORIGINS',
    about: '--http: comma-separated origins a browser page may call from, besides loopback ones',
  },
  'allow-host': {
    type: 'string',
    value: 'NAMES',
    about: '--http: comma-separated Host names to answer to, besides loopback ones and --host',
  },
  'token-env': {
    type: 'string',
    value: 'NAME',
    about: `--http: require Authorization: Bearer <the value of $NAME> (at least ${MIN_TOKEN_LENGTH} characters)`,
  },
  'base-url': {
    type: 'string',
    value: 'URL',
    default: contractServer,
    about: 'where the operation tools send requests (never a tool argument)',
  },
  mock: {
    type: 'string',
    value: 'stateful',
    about:
      "the operation tools call the embedded stateful fake (its own credentials unless the environment's)",
  },
  'allow-delete': { type: 'boolean', about: 'list the deleting tool too (destructive); off by default' },
} satisfies Flags;

export const MCP_HELP = helpText(
  [
    'bindings-contract mcp [--base-url URL | --mock stateful] [--allow-delete]',
    'bindings-contract mcp --http [--host 127.0.0.1] [--port 4011] [--token-env NAME] [--allow-origin ORIGINS] [--allow-host NAMES] [flags]',
  ],
  "An MCP server of the contract for AI tools: documentation tools and resources, and one tool per operation, called through this package's client.",
  MCP_FLAGS,
  [
    'The documentation tools (list_operations, describe_operation, search_docs, get_schema, validate_value) and',
    'the resources (the contract and each docs page) need no credentials. The operation tools are listed only',
    'with credentials in the environment, never as tool arguments:',
    `  ${CREDENTIALS_HINT}`,
    'or with --mock stateful, and they only read unless --allow-delete is given. Over standard input/output',
    'the server stops when its input closes; over HTTP, on Ctrl-C. What it says of itself goes to stderr.',
  ],
);

type Values = ReturnType<typeof parseFlags<typeof MCP_FLAGS>>;

/** A comma-separated flag's items, each checked by `check` (which returns the item as kept, or undefined). */
function listFlag(
  name: string,
  value: string | undefined,
  rule: string,
  check: (item: string) => string | undefined,
) {
  return (value ?? '')
    .split(',')
    .filter(Boolean)
    .map((item) => {
      const kept = check(item);
      if (kept === undefined) throw new UsageError(`--${name} must be ${rule}, got ${quoted(item)}`);
      return kept;
    });
}

const isLoopback = (host: string) =>
  LOOPBACK_NAMES.includes(host) || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);

/** The HTTP policy from the flags: the names and origins allowed, and the token from --token-env. */
function policyOf(values: Values, env: NodeJS.ProcessEnv, host: string): Policy {
  const origins = listFlag(
    'allow-origin',
    values['allow-origin'],
    'origins (scheme://host[:port], comma-separated)',
    (o) => {
      try {
        const url = new URL(o);
        return /^https?:$/.test(url.protocol) && url.origin === o.toLowerCase() ? url.origin : undefined;
      } catch {
        return undefined;
      }
    },
  );
  const hosts = listFlag('allow-host', values['allow-host'], 'host names (comma-separated)', (h) =>
    /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+)$/.test(h) ? h.toLowerCase() : undefined,
  );
  const bound = host.includes(':') ? `[${host.toLowerCase()}]` : host.toLowerCase();
  if (!['0.0.0.0', '[::]'].includes(bound)) hosts.push(bound);
  const name = values['token-env'];
  if (name === undefined) return { hosts, origins };
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name))
    throw new UsageError(`--token-env must be the name of an environment variable, got ${quoted(name)}`);
  const token = env[name];
  // The token is a credential: said by its length and kind only.
  if (!token) throw new UsageError(`--token-env ${name}: the variable is not set, or empty`);
  if (!/^[\x21-\x7e]+$/.test(token) || token.length < MIN_TOKEN_LENGTH)
    throw new UsageError(
      `--token-env ${name}: the token must be at least ${MIN_TOKEN_LENGTH} printable ASCII characters without spaces (it has ${token.length} characters; not shown)`,
    );
  return { hosts, origins, token };
}

/** The operation tools' client, from the flags and the environment; none (and why) without credentials. */
function clientOf(values: Values, env: NodeJS.ProcessEnv): McpOptions {
  if (values.mock !== undefined && values.mock !== 'stateful')
    throw new UsageError(`--mock must be stateful (the embedded fake), got ${quoted(values.mock)}`);
  if (values.mock && values['base-url'] !== undefined)
    throw new UsageError('--mock stateful and --base-url are two targets: give one');
  const credentials = credentialsFrom(env);
  const options = { maxResponseBytes: MAX_MCP_RESPONSE_BYTES, userAgent: 'mcp' };
  const secretsOf = (c: { username: string; password: string }) => [
    c.password,
    basicAuthorization(c.username, c.password).slice('Basic '.length),
  ];
  if (values.mock) {
    const { fake } = seededFake({ credentials });
    const client: BindingsClient = createBindingsClient({
      ...(credentials ?? fake.credentials),
      ...options,
      fetch: fake.fetch,
    });
    // The fake's own credentials are printed by `mock --stateful`: no secret. The environment's are.
    return { client, openWorld: false, secrets: credentials ? secretsOf(credentials) : [] };
  }
  const target = baseUrl(values['base-url']) ?? contractServer;
  if (!credentials)
    return {
      baseUrl: target,
      withoutClient: `there are no credentials in its environment (${CREDENTIALS_HINT})`,
    };
  const client = createBindingsClient({ ...credentials, ...options, baseUrl: target });
  return { client, baseUrl: target, secrets: secretsOf(credentials) };
}

export async function runMcp(argv: string[], env: NodeJS.ProcessEnv, io: Io): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    io.stdout(MCP_HELP);
    return EXIT.passed;
  }
  const values = parseFlags(argv, MCP_FLAGS);
  const httpOnly = (['host', 'port', 'allow-origin', 'allow-host', 'token-env'] as const).filter(
    (flag) => values[flag] !== undefined,
  );
  if (!values.http && httpOnly.length)
    throw new UsageError(
      `${httpOnly.map((f) => `--${f}`).join(', ')} ${httpOnly.length > 1 ? 'need' : 'needs'} --http (standard input/output has no address)`,
    );
  const host = values.host ?? '127.0.0.1';
  const port = integer('port', values.port ?? '4011', 0, 65535) ?? 0;
  const policy = values.http ? policyOf(values, env, host) : undefined;
  const options = clientOf(values, env);
  // A port taken, or a host that is no address here: exit 2 naming it, before anything starts.
  if (policy) await claimPort(host, port);
  const secrets = [...(options.secrets ?? []), ...(policy?.token ? [policy.token] : [])];
  const say = (line: string) => io.stderr(`bindings-contract mcp: ${line}\n`);
  const mcp = await createMcpServer({
    ...options,
    secrets,
    allowDelete: values['allow-delete'] === true,
    log: say,
  });
  if (!policy) return serveStdio({ mcp, say, signal: io.signal });
  const serving = await serveHttp({ mcp, host, port, policy, redact: mcp.redact, log: say });
  say(`MCP server (Streamable HTTP) at ${serving.url}, ${mcp.tools.length} tools (stop with Ctrl-C)`);
  if (!isLoopback(host))
    say(
      `warning: ${host} is not a loopback address: whoever reaches this machine may call this server at ${serving.url}${policy.token ? '' : ' (set --token-env to require a token)'}; it answers to the Host names ${[...LOOPBACK_NAMES, ...policy.hosts].join(', ')}`,
    );
  await new Promise<void>((resolve) => {
    if (io.signal?.aborted) resolve();
    io.signal?.addEventListener('abort', () => resolve(), { once: true });
  });
  await serving.close();
  return EXIT.passed;
}
