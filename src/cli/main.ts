// bindings-contract: the contract check (`verify`) and the contract mock (`mock`) from the command line.
import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import {
  operationFacts,
  parameterExamples,
  parameterRules,
  schemaExamples,
} from '../../generated/contract.js';
import { echo } from '../client/echo.js';
import { BASE_URL_RULE, checkBaseUrl } from '../client/url.js';
import { PrismNotInstalledError, startPrism as spawnPrism } from './prism.js';
import { reporters, textReport } from './reporters.js';
import { seededRandom, validValue } from './seeded.js';
import { verify } from './verify.js';

export const USAGE = `Usage:
  bindings-contract verify [--base-url URL] [--chat-service-sid IS…] [--binding-sid BS…]
                           [--delete-binding-sid BS…] [--max-pages 5] [--page-size N]
                           [--reporter text|json|junit] [--output FILE] [--seed N] [--timeout-ms N]
  bindings-contract mock   [--port 4010] [--host 127.0.0.1] [--dynamic] [--seed N]

verify checks a service against the contract; without --base-url it checks the embedded Prism mock.
Nothing is deleted unless --delete-binding-sid names a binding verify may delete (not the known one).
Credentials come from the environment only: BINDINGS_USERNAME and BINDINGS_PASSWORD
(or TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN).
Exit status: 0 every check passed, 1 a check failed, 2 bad usage.
`;

export interface Io {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Resolves when the process is asked to stop (SIGINT, SIGTERM): ends `mock`. */
  stopped?: Promise<unknown>;
  /** Starts the embedded Prism mock (tests give one that is already running). */
  startPrism?: typeof spawnPrism;
}

const defaultIo: Io = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
};

/** A bad command line: one line naming what was wrong; exit status 2. */
class UsageError extends Error {}

function integer(name: string, value: string | undefined, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!/^\d{1,16}$/.test(value) || n < min || n > max)
    throw new UsageError(`--${name} must be an integer from ${min} to ${max}, got ${echo(value)}`);
  return n;
}

const fetchParameters = operationFacts.FetchServiceBinding.parameters;

/** A SID flag checked by the contract's rule for the fetch operation's parameter; default: the contract's example. */
function sid(flag: string, key: (typeof fetchParameters)[number]['key'], value: string | undefined): string {
  const rule = fetchParameters.find((p) => p.key === key) as (typeof fetchParameters)[number];
  if (value === undefined) return parameterExamples[rule.name];
  if (!rule.validate(value)) throw new UsageError(`--${flag} must be ${rule.expected}, got ${echo(value)}`);
  return value;
}

/** --page-size, checked by the contract's rule for the list's page size; default: the contract's default. */
function pageSize(value: string | undefined): number {
  const rule = operationFacts.ListServiceBinding.parameters.find((p) => p.key === 'pageSize');
  if (value === undefined) return Number(parameterRules.PageSize.default);
  const n = /^\d{1,6}$/.test(value) ? Number(value) : Number.NaN;
  if (!rule?.validate(n)) throw new UsageError(`--page-size must be ${rule?.expected}, got ${echo(value)}`);
  return n;
}

function baseUrl(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const checked = checkBaseUrl(value);
  if (checked.problem !== undefined)
    throw new UsageError(`--base-url must be ${BASE_URL_RULE}, ${checked.problem}`);
  return checked.url;
}

async function runVerify(args: string[], env: NodeJS.ProcessEnv, io: Io): Promise<number> {
  const { values } = parseArgs({
    args,
    strict: true,
    options: {
      'base-url': { type: 'string' },
      'chat-service-sid': { type: 'string' },
      'binding-sid': { type: 'string' },
      reporter: { type: 'string', default: 'text' },
      output: { type: 'string' },
      seed: { type: 'string' },
      'timeout-ms': { type: 'string' },
      'delete-binding-sid': { type: 'string' },
      'max-pages': { type: 'string' },
      'page-size': { type: 'string' },
    },
  });
  const target = baseUrl(values['base-url']);
  const reporter = values.reporter as keyof typeof reporters;
  if (!(reporter in reporters))
    throw new UsageError(`--reporter must be text, json or junit, got ${echo(String(reporter))}`);
  const chatServiceSid = sid('chat-service-sid', 'chatServiceSid', values['chat-service-sid']);
  const bindingSid = sid('binding-sid', 'sid', values['binding-sid']);
  const seed =
    integer('seed', values.seed, 0, 2 ** 32 - 1) ?? crypto.getRandomValues(new Uint32Array(1))[0] ?? 0;
  const timeoutMs = integer('timeout-ms', values['timeout-ms'], 1, 600_000) ?? 10_000;
  const maxPages = integer('max-pages', values['max-pages'], 1, 1000) ?? 5;
  const walkPageSize = pageSize(values['page-size']);
  const given = values['delete-binding-sid'];
  let deleteBindingSid = given === undefined ? undefined : sid('delete-binding-sid', 'sid', given);
  if (deleteBindingSid === bindingSid)
    throw new UsageError(
      '--delete-binding-sid must name another binding than --binding-sid: the known one must stay',
    );
  // The embedded mock stores nothing: deleting a binding of its own choosing destroys nothing.
  if (!target && deleteBindingSid === undefined) deleteBindingSid = validValue('Sid', seededRandom(~seed));
  let username = env.BINDINGS_USERNAME ?? env.TWILIO_ACCOUNT_SID;
  let password = env.BINDINGS_PASSWORD ?? env.TWILIO_AUTH_TOKEN;
  if (!username || !password) {
    if (target)
      throw new UsageError(
        `set BINDINGS_USERNAME and BINDINGS_PASSWORD (or TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN) to verify ${target}`,
      );
    // The mock accepts any well-formed Basic credentials: the contract's example account.
    [username, password] = [schemaExamples.AccountSid[0], 'embedded-mock'];
  }
  const mock = target ? undefined : await (io.startPrism ?? spawnPrism)();
  try {
    const report = await verify({
      baseUrl: target ?? mock?.url ?? '',
      username,
      password,
      chatServiceSid,
      bindingSid,
      seed,
      timeoutMs,
      mock: !target,
      maxPages,
      pageSize: walkPageSize,
      deleteBindingSid,
    });
    const rendered = reporters[reporter](report);
    if (values.output) {
      await writeFile(values.output, rendered);
      io.stdout(textReport(report));
    } else {
      io.stdout(rendered);
    }
    return report.summary.failed ? 1 : 0;
  } finally {
    await mock?.stop();
  }
}

async function runMock(args: string[], io: Io): Promise<number> {
  const { values } = parseArgs({
    args,
    strict: true,
    options: {
      port: { type: 'string', default: '4010' },
      host: { type: 'string', default: '127.0.0.1' },
      dynamic: { type: 'boolean', default: false },
      seed: { type: 'string' },
    },
  });
  const port = integer('port', values.port, 0, 65535);
  const seed = integer('seed', values.seed, 0, 2 ** 32 - 1);
  const prism = await (io.startPrism ?? spawnPrism)({
    host: values.host,
    port: port || undefined,
    dynamic: values.dynamic,
    seed,
  });
  io.stdout(`Prism mock of the contract at ${prism.url} (stop with Ctrl-C)\n`);
  const exited = new Promise((resolve) => prism.process.once('exit', resolve));
  await Promise.race([exited, io.stopped ?? new Promise(() => {})]);
  await prism.stop();
  return 0;
}

/** Runs the command line; resolves to the exit status. */
export async function main(
  argv: string[],
  env: NodeJS.ProcessEnv = process.env,
  io: Io = defaultIo,
): Promise<number> {
  const [command, ...args] = argv;
  try {
    if (command === 'verify') return await runVerify(args, env, io);
    if (command === 'mock') return await runMock(args, io);
    if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
      io.stdout(USAGE);
      return command === undefined ? 2 : 0;
    }
    throw new UsageError(`unknown command ${echo(command)}`);
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (error instanceof UsageError || code?.startsWith('ERR_PARSE_ARGS')) {
      const line = (error as Error).message.split('\n')[0];
      io.stderr(`bindings-contract${command ? ` ${command}` : ''}: ${line} (see bindings-contract --help)\n`);
      return 2;
    }
    if (error instanceof PrismNotInstalledError) {
      io.stderr(`bindings-contract${command ? ` ${command}` : ''}: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
}
