// bindings-contract: the contract check (`verify`) and the contract mock (`mock`) from the command line.
import { secretRedactor } from '../client/redact.js';
import { FixtureError } from '../testing/index.js';
import { CREDENTIAL_SOURCES, UsageError } from './flags.js';
import { EXIT, type Io, Stopped } from './io.js';
import { runMock } from './mock-command.js';
import { ListenError, PortInUseError, PrismNotInstalledError } from './prism.js';
import { DEFAULT_MAX_TIME_S, runVerify } from './verify-command.js';

export { type Io, Stopped };

export const USAGE = `Usage:
  bindings-contract verify [--base-url URL | --mock prism|stateful] [--chat-service-sid IS…] [--binding-sid BS…]
                           [--delete-binding-sid BS…] [--max-pages 5] [--page-size N]
                           [--reporter text|json|junit] [--output FILE] [--seed N]
                           [--timeout-ms 10000] [--max-time ${DEFAULT_MAX_TIME_S}]
  bindings-contract mock   [--port 4010] [--host 127.0.0.1] [--dynamic] [--seed N]
  bindings-contract mock   --stateful [--fixtures FILE] [--port 4010] [--host 127.0.0.1]

verify checks a service against the contract; without --base-url it checks an embedded mock (Prism,
or the stateful fake with --mock stateful). Nothing is deleted unless --delete-binding-sid names a
binding verify may delete (not the known one). --timeout-ms bounds each request, --max-time (seconds)
the whole run.
Credentials come from the environment only: BINDINGS_USERNAME and BINDINGS_PASSWORD
(or TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN), a complete pair from one of them.
Exit status: 0 every check passed, 1 a check failed, 2 bad usage, 3 verify could not run a check (its
report says which and why), 130/143 stopped by SIGINT/SIGTERM.
`;

const defaultIo: Io = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
};

/** Errors that are the user's to fix, said in one line with exit status 2. */
const USAGE_ERRORS = [UsageError, PrismNotInstalledError, PortInUseError, ListenError, FixtureError];

/** Runs the command line; resolves to the exit status. */
export async function main(
  argv: string[],
  env: NodeJS.ProcessEnv = process.env,
  io: Io = defaultIo,
): Promise<number> {
  const [command, ...args] = argv;
  const who = `bindings-contract${command ? ` ${command}` : ''}`;
  // What the CLI prints of a flag's value never shows a credential the environment holds.
  const redact = secretRedactor(
    CREDENTIAL_SOURCES.map(([, secret]) => env[secret]).filter((v): v is string => Boolean(v)),
  );
  try {
    if (args.includes('--help') || args.includes('-h')) {
      io.stdout(USAGE);
      return 0;
    }
    if (command === 'verify') return await runVerify(args, env, io);
    if (command === 'mock') return await runMock(args, env, io);
    if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
      io.stdout(USAGE);
      return command === undefined ? 2 : 0;
    }
    throw new UsageError(`unknown command ${JSON.stringify(command.slice(0, 64))}`);
  } catch (error) {
    if (error instanceof Stopped) {
      io.stderr(`${who}: ${error.message}\n`);
      return EXIT[error.signalName];
    }
    const code = (error as { code?: string }).code;
    if (USAGE_ERRORS.some((type) => error instanceof type) || code?.startsWith('ERR_PARSE_ARGS')) {
      const line = redact(String((error as Error).message).split('\n')[0] ?? '');
      const hint = error instanceof UsageError || code ? ' (see bindings-contract --help)' : '';
      io.stderr(`${who}: ${line}${hint}\n`);
      return EXIT.usage;
    }
    // Anything else is a fault of this program (or its machine), not of the target: said, with its own status.
    const said = redact(
      String((error as Error)?.message ?? error)
        .split('\n')[0]
        ?.slice(0, 500) ?? '',
    );
    io.stderr(`${who}: internal error: ${said}\n`);
    return EXIT.internal;
  }
}
