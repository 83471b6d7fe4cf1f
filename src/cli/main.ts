// bindings-contract: the contract check (`verify`) and the contract mock (`mock`) from the command line.
import { secretRedactor } from '../client/redact.js';
import { FixtureError } from '../testing/index.js';
import { COVERAGE_HELP, runCoverage } from './coverage-command.js';
import { CREDENTIAL_SOURCES, UsageError } from './flags.js';
import { EXIT, type Io, Stopped } from './io.js';
import { MOCK_HELP, runMock } from './mock-command.js';
import { ListenError, PortInUseError, PrismNotInstalledError } from './prism.js';
import { runVerify, VERIFY_HELP } from './verify-command.js';

export { type Io, Stopped };

export const USAGE = `Usage:
  bindings-contract verify [--base-url URL | --mock stateful|prism] [flags]   check a service against the contract
  bindings-contract mock [--stateful] [flags] [-- COMMAND…]                   serve a mock of the contract
  bindings-contract coverage FILE… [--min PERCENT] [--baseline FILE] [flags]  report and gate contract coverage
  bindings-contract mcp [--http] [--base-url URL | --mock stateful] [flags]   serve the contract to AI tools (MCP)

Run \`bindings-contract <command> --help\` for a command's flags, their defaults, and (verify) its checks.
`;

/** Each command's own help. */
const HELP: Record<string, string> = { verify: VERIFY_HELP, mock: MOCK_HELP, coverage: COVERAGE_HELP };

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
    // mcp and the SDK it is written on load only when asked for, its own --help included.
    if (command === 'mcp') return await (await import('../mcp/command.js')).runMcp(args, env, io);
    // A command's own --help (not one after `--`, which belongs to the command mock runs).
    const own = args.includes('--') ? args.slice(0, args.indexOf('--')) : args;
    if (own.includes('--help') || own.includes('-h')) {
      io.stdout(HELP[command ?? ''] ?? USAGE);
      return 0;
    }
    if (command === 'verify') return await runVerify(args, env, io);
    if (command === 'mock') return await runMock(args, env, io);
    if (command === 'coverage') return await runCoverage(args, env, io);
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
