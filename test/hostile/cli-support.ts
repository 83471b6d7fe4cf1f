// What the command line's hostile tests share (cli.test.ts, cli.process.test.ts, verify.test.ts):
// the credentials they run with, an HTTP server answering as a test says, and the command line run in
// process (a service of test/support/in-process.ts answered there, any other over the network).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { main } from '../../src/cli/main.ts';
import { inProcessFetch } from '../support/in-process.ts';

export const env = { BINDINGS_USERNAME: 'cli-user', BINDINGS_PASSWORD: 'Zq7Xv9Lk2Pw4Rt6Yb8' };

/** An HTTP server answering with `answer`, counting requests. */
export async function serve(answer: (req: IncomingMessage, res: ServerResponse) => void) {
  const requests: string[] = [];
  const server: Server = createServer((req, res) => {
    requests.push(`${req.method} ${req.url}`);
    answer(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export async function cli(args: string[], vars: NodeJS.ProcessEnv = env, signal?: AbortSignal) {
  let stdout = '';
  let stderr = '';
  const status = await main(args, vars, {
    stdout: (t) => {
      stdout += t;
    },
    stderr: (t) => {
      stderr += t;
    },
    ...(signal && { signal }),
    fetch: inProcessFetch,
  });
  return { status, stdout, stderr };
}
