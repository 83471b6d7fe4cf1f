// Serves the stateful fake over HTTP with node:http (Node only): `mock --stateful`, and the tests that
// need a real socket. Every request gets an HTTP answer, whatever its method, target or Host header.
import { createServer, type IncomingMessage, type ServerResponse, STATUS_CODES } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { answerSocketRequest, type BindingsFake, type SocketRequest } from '../testing/fake.js';

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

async function send(res: ServerResponse, response: Response): Promise<void> {
  const body = Buffer.from(await response.arrayBuffer());
  res.writeHead(response.status, { ...Object.fromEntries(response.headers), 'content-length': body.length });
  res.end(body);
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
  const server = createServer((req, res) => {
    // A request body (PUT, POST) is not part of the contract: read and dropped.
    req.resume();
    const stop = new AbortController();
    res.once('close', () => stop.abort(new Error('the client went away')));
    let answered: Promise<Response>;
    try {
      answered = answer(socketRequest(req, origin, stop.signal));
    } catch (error) {
      answered = Promise.reject(error);
    }
    answered.then((response) => send(res, response), failed(req.socket));
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
