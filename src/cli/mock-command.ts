// `bindings-contract mock`: a mock of the contract on a port, until Ctrl-C: Prism (the independent
// reference, stateless) or the stateful fake (in this process, ready at once).
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { quoted } from '../client/quote.js';
import { checkFixtures, createBindingsFake } from '../testing/index.js';
import { serveFake } from './fake-server.js';
import { credentialsFrom, integer, UsageError } from './flags.js';
import type { Io } from './io.js';
import { claimPort, startPrism } from './prism.js';

/** Resolves when the signal aborts, at once when it already has (never without one). */
const until = (signal: AbortSignal | undefined) =>
  new Promise<void>((resolve) => {
    if (signal?.aborted) resolve();
    signal?.addEventListener('abort', () => resolve(), { once: true });
  });

async function fixturesFrom(path: string): Promise<unknown> {
  const text = await readFile(path, 'utf8').catch(() => {
    throw new UsageError(`--fixtures ${quoted(path)} cannot be read`);
  });
  try {
    return JSON.parse(text);
  } catch {
    throw new UsageError(`--fixtures ${quoted(path)} is not JSON (an array of bindings)`);
  }
}

export async function runMock(args: string[], env: NodeJS.ProcessEnv, io: Io): Promise<number> {
  const { values } = parseArgs({
    args,
    strict: true,
    options: {
      port: { type: 'string', default: '4010' },
      host: { type: 'string', default: '127.0.0.1' },
      dynamic: { type: 'boolean', default: false },
      seed: { type: 'string' },
      stateful: { type: 'boolean', default: false },
      fixtures: { type: 'string' },
      'allow-off-contract': { type: 'boolean', default: false },
    },
  });
  const port = integer('port', values.port, 0, 65535) ?? 0;
  const host = values.host ?? '127.0.0.1';
  const seed = integer('seed', values.seed, 0, 2 ** 32 - 1);
  if (values.stateful) {
    if (values.dynamic || seed !== undefined)
      throw new UsageError('--dynamic and --seed are Prism options, not --stateful ones');
    const allowOffContract = values['allow-off-contract'] === true;
    const bindings =
      values.fixtures === undefined
        ? undefined
        : checkFixtures(await fixturesFrom(values.fixtures), '--fixtures', { allowOffContract });
    const credentials = credentialsFrom(env);
    const fake = createBindingsFake({ ...(bindings && { bindings }), credentials, allowOffContract });
    await claimPort(host, port);
    const server = await serveFake(fake, { host, port, onError: (error) => io.stderr(`${String(error)}\n`) });
    const who = credentials
      ? 'the credentials in the environment'
      : `user ${fake.credentials.username}, password ${fake.credentials.password}`;
    io.stdout(
      `Stateful fake of the contract at ${server.url}, ${fake.bindings.length} bindings, ${who} (stop with Ctrl-C)\n`,
    );
    await until(io.signal);
    await server.close();
    return 0;
  }
  if (values.fixtures !== undefined || values['allow-off-contract'])
    throw new UsageError('--fixtures and --allow-off-contract need --stateful: Prism serves the examples');
  const prism = await (io.startPrism ?? startPrism)({
    host,
    port,
    dynamic: values.dynamic,
    seed,
    signal: io.signal,
  });
  io.stdout(`Prism mock of the contract at ${prism.url} (stop with Ctrl-C)\n`);
  const exited = new Promise((resolve) => prism.process.once('exit', resolve));
  await Promise.race([exited, until(io.signal)]);
  await prism.stop();
  return 0;
}
