// A scripted HTTP server on 127.0.0.1 for client tests: each request gets the next scripted answer
// (the last one repeats), and every request is recorded.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { jsonType } from './contract.ts';

export type Answer = (req: IncomingMessage, res: ServerResponse) => void;

export interface RecordedRequest {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  at: number;
}

export interface FaultServer {
  url: string;
  requests: RecordedRequest[];
  /** Replace the script; the recorded requests are cleared. */
  script(...answers: Answer[]): void;
  close(): Promise<void>;
}

export const json =
  (status: number, body: unknown, headers: Record<string, string> = {}): Answer =>
  (_req, res) => {
    res.writeHead(status, { 'content-type': jsonType, ...headers });
    res.end(typeof body === 'string' ? body : JSON.stringify(body));
  };

export const text =
  (status: number, body: string, contentType: string): Answer =>
  (_req, res) => {
    res.writeHead(status, { 'content-type': contentType });
    res.end(body);
  };

/** Destroys the socket without an answer: the client sees a reset connection. */
export const reset: Answer = (req) => req.socket.destroy();

/** Never answers (until the server closes). */
export const hang: Answer = () => {};

export async function startFaultServer(): Promise<FaultServer> {
  let answers: Answer[] = [];
  const requests: RecordedRequest[] = [];
  const server = createServer((req, res) => {
    requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, at: Date.now() });
    const answer = answers[Math.min(requests.length - 1, answers.length - 1)];
    if (answer) answer(req, res);
    else text(500, 'no script', 'text/plain')(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    script(...next) {
      answers = next;
      requests.length = 0;
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
