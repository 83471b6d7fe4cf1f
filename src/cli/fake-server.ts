// Serves the stateful fake over HTTP with node:http (Node only): `mock --stateful`, and the tests that
// need a real socket. Every request gets an HTTP answer, whatever its method, target or Host header; a
// browser on another origin is answered as the contract's CORS headers say.
import { createServer, type IncomingMessage, type ServerResponse, STATUS_CODES } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { errorAnswer, toResponse } from '../testing/answers.js';
import { answerSocketRequest, type BindingsFake, type SocketRequest } from '../testing/fake.js';
import { firstRoute, route } from '../testing/routing.js';
import { corsHeaders, preflight } from './cross-origin.js';

export interface FakeServer {
  url: string;
  close(): Promise<void>;
}

export interface ServeOptions {
  host?: string;
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Answers each request; default: the fake's own. (Tests wrap it to break the contract on purpose.) */
  handle?: (request: Request) => Promise<Response>;
  /** Told of a fault the fake would not hide: its answer would break the contract. */
  onError?: (error: unknown) => void;
}

/**
 * A request as the fake reads it. The URL is made on the server's own origin, never on the Host header
 * (which may hold anything, userinfo included); header lines are joined as `Headers` joins them (a
 * repeated Authorization is two, so it matches no credential), their ends trimmed as HTTP does.
 */
function socketRequest(
  req: IncomingMessage,
  origin: string,
  signal: AbortSignal,
): SocketRequest & { lines: [string, string][] } {
  const joined = new Map<string, string>();
  const lines: [string, string][] = [];
  for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) {
    const line: [string, string] = [req.rawHeaders[i] as string, req.rawHeaders[i + 1] as string];
    lines.push(line);
    const name = line[0].toLowerCase();
    const value = line[1].trim();
    const before = joined.get(name);
    joined.set(name, before === undefined ? value : `${before}, ${value}`);
  }
  let url: URL;
  try {
    url = new URL(req.url ?? '/', origin);
    if (url.origin !== origin) url = new URL(url.pathname + url.search, origin);
  } catch {
    url = new URL('/', origin);
  }
  const headers = { get: (name: string) => joined.get(name.toLowerCase()) ?? null };
  return { method: req.method ?? 'GET', url, headers, signal, lines };
}

/** The whole answer as bytes on a raw socket (for CONNECT, which node:http leaves to the socket). */
async function writeRaw(socket: Duplex, response: Response): Promise<void> {
  const body = Buffer.from(await response.arrayBuffer());
  const lines = [`HTTP/1.1 ${response.status} ${STATUS_CODES[response.status] ?? ''}`];
  for (const [name, value] of response.headers) lines.push(`${name}: ${value}`);
  lines.push(`content-length: ${body.length}`, 'connection: close', '', '');
  socket.end(Buffer.concat([Buffer.from(lines.join('\r\n')), body]));
}

/** The answer, with the headers `extra` adds where it has none of that name. */
async function send(res: ServerResponse, response: Response, extra: Record<string, string>): Promise<void> {
  const body = Buffer.from(await response.arrayBuffer());
  const headers: Record<string, string | number> = Object.fromEntries(response.headers);
  for (const [name, value] of Object.entries(extra))
    if (!response.headers.has(name)) headers[name.toLowerCase()] = value;
  res.writeHead(response.status, { ...headers, 'content-length': body.length });
  res.end(body);
}

/**
 * uri-host [":" port] (RFC 9112 §3.2, RFC 3986 §3.2.2): an IP literal in brackets, or a reg-name (an IPv4
 * address is one) of unreserved, sub-delims and percent-encoded octets; no userinfo, no path, no space.
 * Never empty: RFC 9110 §7.2 allows an empty Host only for a target URI with no authority, and every
 * target this server answers is an http URI, which has one.
 */
const HOST =
  /^(?:\[[0-9A-Za-z:._~!$&'()*+,;=-]+\]|(?:[0-9A-Za-z._~!$&'()*+,;=-]|%[0-9A-Fa-f]{2})+)(?::\d*)?$/;
/** The authority of an absolute-form request target (`GET http://host/path HTTP/1.1`, RFC 9112 §3.2.2). */
const ABSOLUTE_FORM = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/([^/?#]*)/;

/**
 * Whether a request's Host is as RFC 9112 §3.2 requires (one line, a valid value, present in HTTP/1.1), and
 * an absolute-form target's authority too (it stands for the Host then: userinfo in it is as bad).
 */
function hostIsValid(req: IncomingMessage, lines: [string, string][]): boolean {
  const absolute = ABSOLUTE_FORM.exec(req.url ?? '');
  if (absolute && !HOST.test(absolute[1] ?? '')) return false;
  const hosts = lines.filter(([name]) => name.toLowerCase() === 'host');
  if (hosts.length > 1) return false;
  const [host] = hosts;
  return host ? HOST.test(host[1].trim()) : req.httpVersion !== '1.1';
}

/** 400 with the contract's error body for the operation asked for (the Host is not quoted: it may hold anything). */
function badHost(request: SocketRequest): Response {
  const { found, onPath } = route(request);
  const operation = found?.id ?? onPath[0]?.id ?? firstRoute.id;
  const rule =
    'one Host header, a non-empty host[:port] with no user information, and the same of an absolute-form target (RFC 9112 §3.2)';
  return toResponse(errorAnswer(operation, 400, `Invalid Host header: expected ${rule}`));
}

/** Starts an HTTP server answering with the fake; resolves once it listens. */
export async function serveFake(fake: BindingsFake, options: ServeOptions = {}): Promise<FakeServer> {
  const host = options.host ?? '127.0.0.1';
  const wrapped = options.handle;
  const answer = (request: ReturnType<typeof socketRequest>): Promise<Response> =>
    wrapped
      ? wrapped(new Request(request.url, { method: request.method, headers: request.lines }))
      : answerSocketRequest(fake, request);
  /** A dropped connection is a fault the fake was asked for; anything else is reported, then dropped too. */
  const failed = (socket: Socket | Duplex) => (error: unknown) => {
    if (!(error instanceof TypeError)) options.onError?.(error);
    socket.destroy();
  };
  let origin = '';
  // The Host header is judged here (RFC 9112 §3.2), with the contract's error body, not by node:http.
  const server = createServer({ requireHostHeader: false }, (req, res) => {
    // A request body (PUT, POST) is not part of the contract: read and dropped.
    req.resume();
    const stop = new AbortController();
    res.once('close', () => stop.abort(new Error('the client went away')));
    const request = socketRequest(req, origin, stop.signal);
    let answered: Promise<Response>;
    try {
      const early = hostIsValid(req, request.lines) ? preflight(request) : badHost(request);
      answered = early ? Promise.resolve(early) : answer(request);
    } catch (error) {
      answered = Promise.reject(error);
    }
    answered.then((response) => send(res, response, corsHeaders(request)), failed(req.socket));
  });
  // CONNECT never reaches the request handler: node:http hands over the socket.
  server.on('connect', (req: IncomingMessage, socket: Duplex) => {
    const stop = new AbortController();
    answerSocketRequest(fake, socketRequest(req, origin, stop.signal)).then(
      (response) => writeRaw(socket, response),
      failed(socket),
    );
  });
  // What node:http cannot parse (an unknown method, a malformed line) is answered 400 by the fake too.
  server.on('clientError', (_error: Error, socket: Duplex) => {
    if (!socket.writable) return socket.destroy();
    const unreadable: SocketRequest = {
      method: '',
      url: new URL('/', origin),
      headers: { get: () => null },
      signal: undefined,
    };
    answerSocketRequest(fake, unreadable).then((response) => writeRaw(socket, response), failed(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  origin = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  return {
    url: origin,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
