// `bindings-contract mock`: a mock of the contract on a port, until Ctrl-C, or for as long as a command
// given after `--` runs: Prism (the independent reference, stateless) or the stateful fake (in this process,
// ready at once). With a command, the mock always stops when it ends, and its exit status is the command's.
import { spawn } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { constants } from 'node:os';
import { quoted } from '../client/quote.js';
import { checkFixtures } from '../testing/index.js';
import { serveFake } from './fake-server.js';
import { credentialsFrom, integer, UsageError, writable } from './flags.js';
import { EXIT, type Io } from './io.js';
import { claimPort, startPrism } from './prism.js';
import { seededFake } from './stateful-target.js';
import { type Flags, helpText, parseFlags } from './usage.js';

/** mock's flags: what is parsed and what `mock --help` prints. */
export const MOCK_FLAGS = {
  port: { type: 'string', value: 'N', default: '4010', about: 'the port (0: any free one)' },
  host: { type: 'string', value: 'HOST', default: '127.0.0.1', about: 'the address to listen on' },
  stateful: {
    type: 'boolean',
    about:
      'the stateful fake instead of Prism: deletes stick, wrong passwords get 401, lists filter and page',
  },
  fixtures: {
    type: 'string',
    value: 'FILE',
    about:
      "with --stateful: a JSON array of bindings to hold (default: the contract's examples and one more verify may delete)",
  },
  'allow-off-contract': {
    type: 'boolean',
    about:
      'with --fixtures: hold bindings whose fields are off the contract, and serve them as the provider would',
  },
  coverage: {
    type: 'string',
    value: 'FILE',
    about:
      'with --stateful: when it stops (Ctrl-C and SIGTERM included), write what its answers exercised of the contract',
  },
  dynamic: { type: 'boolean', about: 'Prism: answers generated from the schemas instead of the examples' },
  seed: { type: 'string', value: 'N', about: 'Prism: the seed of --dynamic' },
} satisfies Flags;

/** How long a command `mock --` runs may take to end once it is passed a stop, before it is killed. */
export const COMMAND_STOP_GRACE_MS = 5_000;

export const MOCK_HELP = helpText(
  [
    'bindings-contract mock [--port 4010] [--host 127.0.0.1] [--dynamic] [--seed N] [-- COMMAND…]',
    'bindings-contract mock --stateful [--fixtures FILE [--allow-off-contract]] [--port 4010] [--host 127.0.0.1] [-- COMMAND…]',
  ],
  "Serves the contract on a port until Ctrl-C: Prism (stateless, the contract's examples) or the stateful fake.",
  MOCK_FLAGS,
  [
    'With `-- COMMAND…`, runs the command once the mock answers, with BINDINGS_MOCK_URL set to it (and, for the',
    "stateful fake's own credentials, BINDINGS_USERNAME and BINDINGS_PASSWORD), then stops the mock whatever",
    "happens and exits with the command's status (128 + the signal's number when a signal ended it):",
    '`bindings-contract mock --stateful -- npm test`. A stop (Ctrl-C, SIGTERM, SIGHUP) is passed on to the',
    `command's process group, which is killed (SIGKILL) if it has not ended ${COMMAND_STOP_GRACE_MS / 1000} s later.`,
    'The stateful fake accepts the credentials in BINDINGS_USERNAME/BINDINGS_PASSWORD (or TWILIO_ACCOUNT_SID/',
    'TWILIO_AUTH_TOKEN) when set, else its own, which it prints.',
  ],
);

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

/**
 * Runs a command with the mock's URL (and credentials) in its environment; resolves to its exit status
 * (128 + the signal's number when a signal ended it, as a shell says). A stop (Ctrl-C, SIGTERM, SIGHUP)
 * is passed on to its process group; one that does not end within `graceMs` is killed (SIGKILL), so the
 * mock always stops and nothing the command started is left running.
 */
function runCommand(
  command: string[],
  env: NodeJS.ProcessEnv,
  signal: AbortSignal | undefined,
  graceMs: number,
): Promise<number> {
  return new Promise((resolve) => {
    const [file = '', ...args] = command;
    // Its own process group, so a stop reaches what it started too (`npm test` → node → workers), not only it.
    const child = spawn(file, args, { stdio: 'inherit', env, detached: process.platform !== 'win32' });
    const group = (name: NodeJS.Signals) => {
      try {
        if (child.pid && process.platform !== 'win32') process.kill(-child.pid, name);
        else child.kill(name);
      } catch {} // the group is gone already
    };
    let kill: NodeJS.Timeout | undefined;
    const forward = () => {
      group((signal?.reason as { signalName?: NodeJS.Signals })?.signalName ?? 'SIGTERM');
      kill = setTimeout(() => group('SIGKILL'), graceMs);
    };
    const done = (status: number) => {
      signal?.removeEventListener('abort', forward);
      clearTimeout(kill);
      resolve(status);
    };
    if (signal?.aborted) forward();
    else signal?.addEventListener('abort', forward, { once: true });
    child.once('error', (error: NodeJS.ErrnoException) => done(error.code === 'ENOENT' ? 127 : 126));
    child.once('exit', (code, killed) =>
      done(code ?? 128 + ((killed && constants.signals[killed]) || constants.signals.SIGTERM)),
    );
  });
}

/** Until the command ends (its status) or, without one, until the stop signal (0). */
async function serveUntil(command: string[], env: NodeJS.ProcessEnv, io: Io, exited?: Promise<unknown>) {
  if (!command.length) {
    await Promise.race([until(io.signal), ...(exited ? [exited] : [])]);
    return EXIT.passed as number;
  }
  return runCommand(command, env, io.signal, io.stopGraceMs ?? COMMAND_STOP_GRACE_MS);
}

export async function runMock(argv: string[], env: NodeJS.ProcessEnv, io: Io): Promise<number> {
  const at = argv.indexOf('--');
  const command = at < 0 ? [] : argv.slice(at + 1);
  if (at >= 0 && !command.length)
    throw new UsageError('nothing after --: give the command to run against the mock');
  const values = parseFlags(at < 0 ? argv : argv.slice(0, at), MOCK_FLAGS);
  const port = integer('port', values.port ?? '4010', 0, 65535) ?? 0;
  const host = values.host ?? '127.0.0.1';
  const seed = integer('seed', values.seed, 0, 2 ** 32 - 1);
  if (values.stateful) {
    if (values.dynamic || seed !== undefined)
      throw new UsageError('--dynamic and --seed are Prism options, not --stateful ones');
    const allowOffContract = values['allow-off-contract'] === true;
    if (allowOffContract && values.fixtures === undefined)
      throw new UsageError('--allow-off-contract needs --fixtures: the seed keeps the contract');
    const bindings =
      values.fixtures === undefined
        ? undefined
        : checkFixtures(await fixturesFrom(values.fixtures), '--fixtures', { allowOffContract });
    const credentials = credentialsFrom(env);
    if (values.coverage !== undefined) await writable(values.coverage, '--coverage');
    const { fake, deletableSid } = seededFake({ bindings, credentials, allowOffContract });
    await claimPort(host, port);
    const server = await serveFake(fake, { host, port, onError: (error) => io.stderr(`${String(error)}\n`) });
    const who = credentials
      ? 'the credentials in the environment'
      : `user ${fake.credentials.username}, password ${fake.credentials.password}`;
    const deletable = deletableSid
      ? ` (verify may delete ${deletableSid}: --delete-binding-sid ${deletableSid})`
      : '';
    io.stdout(
      `Stateful fake of the contract at ${server.url}, ${fake.bindings.length} bindings${deletable}, ${who}${command.length ? '' : ' (stop with Ctrl-C)'}\n`,
    );
    const own = credentials
      ? {}
      : { BINDINGS_USERNAME: fake.credentials.username, BINDINGS_PASSWORD: fake.credentials.password };
    try {
      return await serveUntil(command, { ...env, ...own, BINDINGS_MOCK_URL: server.url }, io);
    } finally {
      await server.close();
      if (values.coverage !== undefined)
        await writeFile(values.coverage, `${JSON.stringify(fake.coverage(), null, 2)}\n`);
    }
  }
  if (values.fixtures !== undefined || values['allow-off-contract'] || values.coverage !== undefined)
    throw new UsageError(
      '--fixtures, --allow-off-contract and --coverage need --stateful: Prism serves the examples',
    );
  const prism = await (io.startPrism ?? startPrism)({
    host,
    port,
    dynamic: values.dynamic === true,
    seed,
    signal: io.signal,
  });
  io.stdout(`Prism mock of the contract at ${prism.url}${command.length ? '' : ' (stop with Ctrl-C)'}\n`);
  const exited = new Promise((resolve) => prism.process.once('exit', resolve));
  try {
    return await serveUntil(command, { ...env, BINDINGS_MOCK_URL: prism.url }, io, exited);
  } finally {
    await prism.stop();
  }
}
