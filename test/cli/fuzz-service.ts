// What the verify --fuzz tests share: the stateful fake with one fault, served in process (what verify judges
// is the same over a socket: test/support/in-process.ts), and a fuzz run of it.
import { parameterOf } from '../../generated/contract.js';
import { serveFake } from '../../src/cli/fake-server.ts';
import { main } from '../../src/cli/main.ts';
import { type BindingsFake, bindingFor, createBindingsFake } from '../../src/testing/index.ts';
import { bindingExample, errorBody, jsonType } from '../support/contract.ts';
import { inProcess, inProcessFetch } from '../support/in-process.ts';

export const name = (key: keyof typeof parameterOf.ListServiceBinding) =>
  parameterOf.ListServiceBinding[key].name;
export const listPathOf = (url: URL) => /\/Bindings$/.test(url.pathname);

/**
 * A stateful fake, broken by `fault` (a request it answers its own way, or undefined to let the fake), served
 * in process at `url`; with `http: true`, over loopback HTTP too at `httpUrl`, for another process to reach.
 */
export async function service(
  fault?: (
    url: URL,
    request: Request,
    fake: BindingsFake,
  ) => Response | undefined | Promise<Response | undefined>,
  { http = false } = {},
) {
  const fake = createBindingsFake({
    bindings: [bindingExample, bindingFor({ identity: 'alice' }), bindingFor({ identity: 'bob' })],
  });
  const requests: string[] = [];
  const handle = async (request: Request) => {
    const url = new URL(request.url);
    requests.push(`${request.method} ${url.pathname}${url.search}`);
    return (await fault?.(url, request, fake)) ?? fake.handle(request);
  };
  const served = inProcess(fake, handle);
  const socket = http ? await serveFake(fake, { handle }) : undefined;
  const env = { BINDINGS_USERNAME: fake.credentials.username, BINDINGS_PASSWORD: fake.credentials.password };
  const close = async () => {
    await Promise.all([served.close(), socket?.close()]);
  };
  return { url: served.url, httpUrl: socket?.url ?? '', close, requests, env, fake };
}

export async function fuzz(url: string, env: NodeJS.ProcessEnv, extra: string[] = []) {
  let stdout = '';
  const status = await main(['verify', '--base-url', url, '--fuzz', '40', ...extra], env, {
    stdout: (t) => {
      stdout += t;
    },
    stderr: () => {},
    fetch: inProcessFetch,
  });
  return { status, stdout };
}

export const serverError = () =>
  new Response(JSON.stringify(errorBody(500)), { status: 500, headers: { 'content-type': jsonType } });
/** The reported minimal request of a failed fuzz check, from the text report (after the operation it names). */
export const minimal = (stdout: string, check: string) =>
  stdout
    .split(`\n✗ ${check}\n  `)[1]
    ?.split(' → ')[0]
    ?.replace(/^\w+: /, '') ?? '';
