// `bindings-contract mock`: a mock of the contract on a port, until Ctrl-C, or for as long as a command
// given after `--` runs: Prism (the independent reference, stateless) or the stateful fake (in this process,
// ready at once). With a command, the mock always stops when it ends, and its exit status is the command's.
import { rm } from 'node:fs/promises';
import { quoted } from '../client/quote.js';
import { checkFixtures } from '../testing/index.js';
import { runGuarded } from './command-guardian.js';
import { serveFake } from './fake-server.js';
import { checkWritable, writeSignal, writeText } from './file-writes.js';
import { readJsonFile } from './files.js';
import { credentialsFrom, integer, UsageError } from './flags.js';
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
  'ready-file': {
    type: 'string',
    value: 'FILE',
    about:
      'once it answers, write there (whole, by a rename) one JSON object: url and, --stateful, bindings, deleteBindingSid, and its own username and password; removed when it stops',
  },
  dynamic: { type: 'boolean', about: 'Prism: answers generated from the schemas instead of the examples' },
  seed: { type: 'string', value: 'N', about: 'Prism: the seed of --dynamic' },
} satisfies Flags;

/** How long a command `mock --` runs may take to end once it is passed a stop, before it is killed. */
export const COMMAND_STOP_GRACE_MS = 5_000;

export const MOCK_HELP = helpText(
  [
    'bindings-contract mock [--port 4010] [--host 127.0.0.1] [--dynamic] [--seed N] [--ready-file FILE] [-- COMMAND…]',
    'bindings-contract mock --stateful [--fixtures FILE [--allow-off-contract]] [--port 4010] [--host 127.0.0.1] [--ready-file FILE] [-- COMMAND…]',
  ],
  "Serves the contract on a port until Ctrl-C: Prism (stateless, the contract's examples) or the stateful fake.",
  MOCK_FLAGS,
  [
    'With `-- COMMAND…`, runs the command once the mock answers, with BINDINGS_MOCK_URL set to it (and, for the',
    "stateful fake's own credentials, BINDINGS_USERNAME and BINDINGS_PASSWORD), then stops the mock whatever",
    "happens and exits with the command's status (128 + the signal's number when a signal ended it):",
    '`bindings-contract mock --stateful -- npm test`. Nothing the command starts outlives it: it runs in a',
    `process group of its own, stopped (SIGTERM, then SIGKILL if it has not ended ${COMMAND_STOP_GRACE_MS / 1000} s later) when the`,
    'command ends, when the mock is stopped (Ctrl-C, SIGTERM, SIGHUP: that signal is passed on), and when the',
    'mock dies however it dies (SIGKILL included: a small guardian process watches it). Out of its reach: a',
    'process that leaves the group for a session of its own (`setsid`, a daemon) outlives the mock. A command',
    'that cannot be found exits 127, one that cannot be run 126, stderr naming it. The status is 3 when',
    'the command passed but --coverage could not be written (stderr says so).',
    'The stateful fake accepts the credentials in BINDINGS_USERNAME/BINDINGS_PASSWORD (or TWILIO_ACCOUNT_SID/',
    'TWILIO_AUTH_TOKEN) when set, else its own, which it prints (and --ready-file holds, with the SID).',
  ],
);

/** Resolves when the signal aborts, at once when it already has (never without one). */
const until = (signal: AbortSignal | undefined) =>
  new Promise<void>((resolve) => {
    if (signal?.aborted) resolve();
    signal?.addEventListener('abort', () => resolve(), { once: true });
  });

/** --fixtures, read as every file the command line reads is: bounded, and ended by a stop. */
const fixturesFrom = (path: string, signal: AbortSignal | undefined) =>
  readJsonFile(path, { named: `--fixtures ${quoted(path)}`, as: 'a JSON array of bindings', signal });

/** Until the command ends (its status) or, without one, until the stop signal (0). */
async function serveUntil(command: string[], env: NodeJS.ProcessEnv, io: Io, exited?: Promise<unknown>) {
  if (!command.length) {
    await Promise.race([until(io.signal), ...(exited ? [exited] : [])]);
    return EXIT.passed as number;
  }
  const graceMs = io.stopGraceMs ?? COMMAND_STOP_GRACE_MS;
  return runGuarded({ command, env, signal: io.signal, graceMs, stderr: io.stderr });
}

/** How serving ended: the command's status (0 without one), or what went wrong. */
type Served = { status: number } | { error: unknown };

interface Serving {
  /** --ready-file, if given. */
  file: string | undefined;
  /** What it holds: where the mock answers, and what a script needs to know of it. */
  ready: object;
  serve: () => Promise<number>;
}

/** Serves (`serve`), with the --ready-file written once it answers and removed once it stops. */
async function serving({ file, ready, serve }: Serving): Promise<Served> {
  let written = false;
  try {
    // Whole or not at all (a temporary file renamed over it): a script waiting for it never reads a part.
    if (file !== undefined)
      await writeText(file, `${JSON.stringify(ready)}\n`, { named: `--ready-file ${quoted(file)}` });
    written = true;
    return { status: await serve() };
  } catch (error) {
    return { error };
  } finally {
    if (file !== undefined && written) await rm(file, { force: true });
  }
}

/**
 * The exit status: the command's (0 without one). A --coverage file that could not be written is said in
 * one line with how the command ended, so a passing run is never mistaken for a failing one (exit 3).
 */
function outcome(served: Served, lost?: { file: string; error: unknown; io: Io; command: string[] }): number {
  if (lost) {
    const { code, message } = (lost.error ?? {}) as { code?: string; message?: string };
    const status = 'status' in served ? served.status : undefined;
    const how = !lost.command.length
      ? 'the mock stopped'
      : status === EXIT.passed
        ? 'the command passed (exit status 0)'
        : status === undefined
          ? 'the command did not finish'
          : `the command exited with status ${status}`;
    lost.io.stderr(
      `bindings-contract mock: ${how}, but --coverage ${quoted(lost.file)} could not be written (${typeof code === 'string' ? code : quoted(String(message ?? lost.error))}): its coverage is lost\n`,
    );
  }
  if ('error' in served) throw served.error;
  return lost && served.status === EXIT.passed ? EXIT.internal : served.status;
}

type MockValues = ReturnType<typeof parseFlags<typeof MOCK_FLAGS>>;
interface MockRun {
  values: MockValues;
  command: string[];
  env: NodeJS.ProcessEnv;
  io: Io;
  host: string;
  port: number;
}

export async function runMock(argv: string[], env: NodeJS.ProcessEnv, io: Io): Promise<number> {
  const at = argv.indexOf('--');
  const command = at < 0 ? [] : argv.slice(at + 1);
  if (at >= 0 && !command.length)
    throw new UsageError('nothing after --: give the command to run against the mock');
  const values = parseFlags(at < 0 ? argv : argv.slice(0, at), MOCK_FLAGS);
  const port = integer('port', values.port ?? '4010', 0, 65535) ?? 0;
  const host = values.host ?? '127.0.0.1';
  if (values['ready-file'] !== undefined)
    await checkWritable(values['ready-file'], { flag: '--ready-file', replaceOnly: true });
  const run = { values, command, env, io, host, port };
  return values.stateful ? runStateful(run) : runPrism(run);
}

async function runStateful({ values, command, env, io, host, port }: MockRun): Promise<number> {
  if (values.dynamic || values.seed !== undefined)
    throw new UsageError('--dynamic and --seed are Prism options, not --stateful ones');
  const allowOffContract = values['allow-off-contract'] === true;
  if (allowOffContract && values.fixtures === undefined)
    throw new UsageError('--allow-off-contract needs --fixtures: the seed keeps the contract');
  const bindings =
    values.fixtures === undefined
      ? undefined
      : checkFixtures(await fixturesFrom(values.fixtures, io.signal), '--fixtures', { allowOffContract });
  const credentials = credentialsFrom(env);
  if (values.coverage !== undefined) await checkWritable(values.coverage, { flag: '--coverage' });
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
  const ready = {
    url: server.url,
    bindings: fake.bindings.length,
    deleteBindingSid: deletableSid,
    ...(credentials ? {} : fake.credentials),
  };
  const served = await serving({
    file: values['ready-file'],
    ready,
    serve: () => serveUntil(command, { ...env, ...own, BINDINGS_MOCK_URL: server.url }, io),
  }).finally(() => server.close());
  if (values.coverage === undefined) return outcome(served);
  const file = values.coverage;
  // Written as the mock stops: a pipe's reader gets a moment, not forever.
  const named = `--coverage ${quoted(file)}`;
  const coverage = `${JSON.stringify(fake.coverage(), null, 2)}\n`;
  const lost = await writeText(file, coverage, { named, signal: writeSignal(io.signal, named) }).then(
    () => undefined,
    (error: unknown) => error,
  );
  return outcome(served, lost === undefined ? undefined : { file, error: lost, io, command });
}

async function runPrism({ values, command, env, io, host, port }: MockRun): Promise<number> {
  if (values.fixtures !== undefined || values['allow-off-contract'] || values.coverage !== undefined)
    throw new UsageError(
      '--fixtures, --allow-off-contract and --coverage need --stateful: Prism serves the examples',
    );
  const prism = await (io.startPrism ?? startPrism)({
    host,
    port,
    dynamic: values.dynamic === true,
    seed: integer('seed', values.seed, 0, 2 ** 32 - 1),
    signal: io.signal,
  });
  io.stdout(`Prism mock of the contract at ${prism.url}${command.length ? '' : ' (stop with Ctrl-C)'}\n`);
  const exited = new Promise((resolve) => prism.process.once('exit', resolve));
  const served = await serving({
    file: values['ready-file'],
    ready: { url: prism.url },
    serve: () => serveUntil(command, { ...env, BINDINGS_MOCK_URL: prism.url }, io, exited),
  }).finally(() => prism.stop());
  return outcome(served);
}
