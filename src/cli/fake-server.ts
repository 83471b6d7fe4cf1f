// Serves the stateful fake over HTTP with node:http (Node only): `mock --stateful`, and the tests that
// need a real socket.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { BindingsFake } from '../testing/fake.js';

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

/** The request's URL and init as fetch takes them (the raw header lines, in order, repeats kept). */
function toInit(req: IncomingMessage, origin: string): [URL, RequestInit] {
  const headers: [string, string][] = [];
  for (let i = 0; i + 1 < req.rawHeaders.length; i += 2)
    headers.push([req.rawHeaders[i] as string, req.rawHeaders[i + 1] as string]);
  return [new URL(req.url ?? '/', origin), { method: req.method ?? 'GET', headers }];
}

async function send(res: ServerResponse, response: Response): Promise<void> {
  const body = Buffer.from(await response.arrayBuffer());
  res.writeHead(response.status, Object.fromEntries(response.headers));
  res.end(body);
}

/** Starts an HTTP server answering with the fake; resolves once it listens. */
export async function serveFake(fake: BindingsFake, options: ServeOptions = {}): Promise<FakeServer> {
  const handle: (url: URL, init: RequestInit) => Promise<Response> = options.handle
    ? (url, init) => (options.handle as NonNullable<ServeOptions['handle']>)(new Request(url, init))
    : fake.fetch;
  const host = options.host ?? '127.0.0.1';
  const server = createServer((req, res) => {
    // A request body (PUT, POST) is not part of the contract: read and dropped.
    req.resume();
    const origin = `http://${req.headers.host ?? host}`;
    let answered: Promise<Response>;
    try {
      answered = handle(...toInit(req, origin));
    } catch (error) {
      answered = Promise.reject(error);
    }
    answered.then(
      (response) => send(res, response),
      (error: unknown) => {
        // A dropped connection is a fault the fake was asked for; anything else is reported, then dropped too.
        if (!(error instanceof TypeError)) options.onError?.(error);
        req.socket.destroy();
      },
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
