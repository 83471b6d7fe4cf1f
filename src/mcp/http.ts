// Streamable HTTP at /mcp, stateless (a Server per request, each answer one JSON body), behind what the MCP
// specification asks of a local server: the Host and Origin headers checked (DNS rebinding), and a bearer
// token when one is set. Every refusal is an HTTP status with a JSON-RPC error body naming what was refused.
import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { quoted } from '../client/quote.js';
import type { Redact } from '../client/redact.js';
import { StreamableHTTPServerTransport } from './sdk.js';
import type { McpServer } from './server.js';

/** Where the server answers. */
export const MCP_PATH = '/mcp';
/** The most bytes of a request's body read; past it the answer is 413. */
export const MAX_REQUEST_BYTES = 1024 * 1024;
/** The most connections open at once; past it new ones are closed at once. */
export const MAX_HTTP_CONNECTIONS = 64;
/** How long a client may take to send a whole request (not how long a tool call takes). */
export const REQUEST_RECEIVE_MS = 30_000;
/** The names a loopback Host or Origin may carry. */
export const LOOPBACK_NAMES: readonly string[] = ['localhost', '127.0.0.1', '[::1]'];

export interface Policy {
  /** Host names a request may name besides the loopback ones (lower case; IPv6 in brackets). */
  hosts: readonly string[];
  /** Origins a browser page may call from besides loopback ones (`https://app.example`). */
  origins: readonly string[];
  /** When set, every request must carry `Authorization: Bearer <token>`. */
  token?: string | undefined;
}

export interface Refusal {
  status: number;
  message: string;
  headers?: Record<string, string>;
}

/** A Host header's name (lower case, an IPv6 literal in brackets) and port; undefined when it is no host. */
export function hostOf(header: string): { name: string; port: string | undefined } | undefined {
  const match = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+)(?::(\d{1,5}))?$/.exec(header);
  return match ? { name: (match[1] as string).toLowerCase(), port: match[2] } : undefined;
}

/** An origin as the URL parser writes it, and whether it is a loopback one; undefined when it is no origin. */
export function originOf(text: string): { origin: string; loopback: boolean } | undefined {
  try {
    const url = new URL(text);
    if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.origin !== text.toLowerCase())
      return undefined;
    return { origin: url.origin, loopback: LOOPBACK_NAMES.includes(url.hostname) };
  } catch {
    return undefined;
  }
}

const digest = (text: string) => createHash('sha256').update(text).digest();

/** Why a request is refused before the MCP server reads it (undefined: it is not). */
export function refusal(
  request: { url?: string | undefined; headers: IncomingHttpHeaders },
  policy: Policy & { port: number },
  redact: Redact,
): Refusal | undefined {
  const path = (request.url ?? '').split('?')[0];
  if (path !== MCP_PATH)
    return { status: 404, message: `Not found: this server answers at ${MCP_PATH} only` };
  const header = request.headers.host ?? '';
  const host = hostOf(header);
  const known = host && (LOOPBACK_NAMES.includes(host.name) || policy.hosts.includes(host.name));
  if (!host || !known || (host.port ?? '80') !== String(policy.port))
    return {
      status: 403,
      message: `Forbidden: the Host header ${quoted(header, redact)} names no address of this server (DNS rebinding protection; --allow-host adds a name)`,
    };
  const origin = request.headers.origin;
  if (origin !== undefined) {
    const parsed = originOf(origin);
    if (!parsed || !(parsed.loopback || policy.origins.includes(parsed.origin)))
      return {
        status: 403,
        message: `Forbidden: the Origin ${quoted(origin, redact)} is not allowed (DNS rebinding protection; --allow-origin adds one)`,
      };
  }
  if (policy.token !== undefined) {
    const given = /^Bearer +(\S+) *$/i.exec(request.headers.authorization ?? '')?.[1] ?? '';
    if (!timingSafeEqual(digest(given), digest(policy.token)))
      return {
        status: 401,
        message: 'Unauthorized: this server requires the header Authorization: Bearer <its token>',
        headers: { 'www-authenticate': 'Bearer realm="bindings-contract mcp"' },
      };
  }
  return undefined;
}

function refuse(res: ServerResponse, { status, message, headers = {} }: Refusal): void {
  const body = JSON.stringify({ jsonrpc: '2.0', error: { code: -32000, message }, id: null });
  res.writeHead(status, {
    ...headers,
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(body),
  });
  res.end(body);
}

export interface HttpServing {
  url: string;
  close(): Promise<void>;
}

/** The URL of a server listening on `host` and `port` (an IPv6 address in brackets). */
export const urlOf = (host: string, port: number) =>
  `http://${host.includes(':') ? `[${host}]` : host}:${port}${MCP_PATH}`;

/** Serves `mcp` over Streamable HTTP on `host`:`port` (0: a free one) until closed. */
export async function serveHttp(options: {
  mcp: McpServer;
  host: string;
  port: number;
  policy: Policy;
  redact: Redact;
  log: (line: string) => void;
}): Promise<HttpServing> {
  const { mcp, policy, redact, log } = options;
  let port = options.port;
  const http = createServer(async (req, res) => {
    const refused = refusal(req, { ...policy, port }, redact);
    if (refused) return refuse(res, refused);
    if (req.method !== 'POST')
      return refuse(res, {
        status: 405,
        message: 'Method not allowed: this server keeps no session and no stream; it answers POST only',
        headers: { allow: 'POST' },
      });
    const server = mcp.connection();
    const transport = new StreamableHTTPServerTransport({
      sessionIdGenerator: undefined,
      enableJsonResponse: true,
      maxRequestBodySize: MAX_REQUEST_BYTES,
    });
    res.on('close', () => {
      void transport.close();
      void server.close();
    });
    try {
      await server.connect(transport);
      await transport.handleRequest(req, res);
    } catch (error) {
      log(`a request failed: ${redact(String((error as Error)?.message ?? error).slice(0, 500))}`);
      if (!res.headersSent) refuse(res, { status: 500, message: 'Internal error of the MCP server' });
    }
  });
  http.maxConnections = MAX_HTTP_CONNECTIONS;
  http.requestTimeout = REQUEST_RECEIVE_MS;
  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(options.port, options.host, () => resolve());
  });
  port = (http.address() as AddressInfo).port;
  return {
    url: urlOf(options.host, port),
    close: () =>
      new Promise<void>((resolve) => {
        http.close(() => resolve());
        http.closeAllConnections();
      }),
  };
}
