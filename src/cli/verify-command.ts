// `bindings-contract verify`: checks a service (or an embedded mock) against the contract and prints the
// report. Every flag is checked before anything is sent; Ctrl-C, SIGTERM and --max-time stop the run,
// which still reports what it found.
import { parameterRules, schemaExamples } from '../../generated/contract.js';
import { DEFAULT_MAX_RESPONSE_BYTES } from '../client/body.js';
import { quoted } from '../client/quote.js';
import { CoverageRecorder } from '../testing/coverage.js';
import { skippedWhen } from './check.js';
import { checks } from './checks.js';
import { coverageSummary } from './coverage-report.js';
import { serveFake } from './fake-server.js';
import { checkWritable, writeSignal, writeText } from './file-writes.js';
import {
  baseUrl,
  CREDENTIALS_HINT,
  credentialSource,
  credentialsFrom,
  integer,
  pageSize,
  seconds,
  sid,
  UsageError,
} from './flags.js';
import { EXIT, type Io } from './io.js';
import { startPrism } from './prism.js';
import { reporters, textReport } from './reporters.js';
import { seededRandom, validValue } from './seeded.js';
import { seededFake } from './stateful-target.js';
import { type Flags, helpText, parseFlags } from './usage.js';
import { verify } from './verify.js';

/** The longest a whole run may take by default (each request has its own --timeout-ms too). */
export const DEFAULT_MAX_TIME_S = 300;
/** The most requests --fuzz sends unless told otherwise. */
export const DEFAULT_MAX_FUZZ_REQUESTS = 2000;
/** The most pages --max-pages may ask a list walk to follow. */
export const MAX_VERIFY_PAGES = 1000;

/**
 * The embedded mocks verify starts when given no --base-url, as a report names each; the default is the
 * stateful fake the package carries (Prism is an optional peer a consumer rarely has).
 */
export const EMBEDDED_MOCKS = {
  stateful: 'the embedded stateful fake',
  prism: 'the embedded Prism mock',
} as const;
const DEFAULT_MOCK: keyof typeof EMBEDDED_MOCKS = 'stateful';

/** An embedded target: its URL, how to stop it, and what verify must be told about it. */
interface Embedded {
  url: string;
  stop(): Promise<void>;
  mock: boolean;
  credentials: { username: string; password: string };
  deleteBindingSid?: string;
}

/** The stateful fake over HTTP, holding the contract's examples and a binding verify may delete. */
async function statefulTarget(known: string): Promise<Embedded> {
  const { fake, deletableSid } = seededFake();
  const server = await serveFake(fake);
  return {
    url: server.url,
    stop: server.close,
    mock: false,
    credentials: fake.credentials,
    ...(deletableSid !== known && { deleteBindingSid: deletableSid }),
  };
}

/** verify's flags: what is parsed and what `verify --help` prints. */
export const VERIFY_FLAGS = {
  'base-url': { type: 'string', value: 'URL', about: 'the service to check; without it, an embedded mock' },
  mock: {
    type: 'string',
    value: 'stateful|prism',
    default: DEFAULT_MOCK,
    about: 'the embedded mock to check: the stateful fake this package carries, or Prism (an optional peer)',
  },
  stateless: {
    type: 'boolean',
    about: 'the target keeps no state (a mock started on its own): skip the checks that need it',
  },
  'chat-service-sid': {
    type: 'string',
    value: 'IS…',
    default: "the contract's example",
    about: "the known binding's service",
  },
  'binding-sid': {
    type: 'string',
    value: 'BS…',
    default: "the contract's example",
    about: 'a binding that exists on the target',
  },
  'delete-binding-sid': {
    type: 'string',
    value: 'BS…',
    about: 'a binding verify may delete: runs the destructive checks (nothing is deleted without it)',
  },
  'max-pages': {
    type: 'string',
    value: 'N',
    default: '5',
    about: `the most pages a list walk follows (at most ${MAX_VERIFY_PAGES})`,
  },
  'page-size': {
    type: 'string',
    value: 'N',
    default: String(parameterRules.PageSize.default),
    about: 'the page size a list walk asks for',
  },
  reporter: { type: 'string', value: 'text|json|junit', default: 'text', about: 'the report written' },
  output: {
    type: 'string',
    value: 'FILE',
    about: 'write the report there (the text report still goes to stdout)',
  },
  seed: {
    type: 'string',
    value: 'N',
    default: 'random, printed in the report',
    about: 'replay a run exactly',
  },
  'timeout-ms': { type: 'string', value: 'N', default: '10000', about: 'bounds each request' },
  fuzz: {
    type: 'string',
    value: 'N',
    about:
      "generate N cases per operation from the contract's arbitraries (the fuzz_* checks; needs fast-check)",
  },
  'max-requests': {
    type: 'string',
    value: 'N',
    default: String(DEFAULT_MAX_FUZZ_REQUESTS),
    about: 'the most requests --fuzz sends in all, shrinking included',
  },
  replay: {
    type: 'string',
    value: 'CHECK/KIND:PATH',
    about: 'with --fuzz and --seed: send only the case a report named (its replay command says it)',
  },
  coverage: {
    type: 'string',
    value: 'FILE',
    about: 'write what the run exercised of the contract there (for bindings-contract coverage)',
  },
  'max-time': {
    type: 'string',
    value: 'S',
    default: String(DEFAULT_MAX_TIME_S),
    about: 'bounds the whole run, in seconds (decimals allowed: 0.5)',
  },
} satisfies Flags;

export const VERIFY_HELP = helpText(
  ['bindings-contract verify [--base-url URL | --mock stateful|prism] [flags]'],
  'Checks a service against the contract and reports, check by check, where its answers break it.',
  VERIFY_FLAGS,
  [
    'Checks, in the order they run (a skipped one says why):',
    ...checks.map(
      (c) => `  ${c.name.padEnd(24)}${[c.proves ?? c.title, skippedWhen(c)].filter(Boolean).join(' ')}`,
    ),
    '',
    'Without --base-url it starts an embedded mock, checks it and stops it: the stateful fake (every check runs)',
    'unless --mock prism (stateless: the checks that need state are skipped); the report names the target.',
    'Credentials come from the environment only: BINDINGS_USERNAME and BINDINGS_PASSWORD (or',
    'TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN), a complete pair from one of them.',
    `Exit status: ${EXIT.passed} every check passed, ${EXIT.failed} a check failed, ${EXIT.usage} bad usage, ${EXIT.internal} verify could not run a check`,
    `(its report says which and why), ${EXIT.SIGHUP}/${EXIT.SIGINT}/${EXIT.SIGTERM} stopped by SIGHUP/SIGINT/SIGTERM.`,
  ],
);

async function prismTarget(io: Io, signal: AbortSignal, seed: number, known: string): Promise<Embedded> {
  const prism = await (io.startPrism ?? startPrism)({ signal });
  // The mock stores nothing: deleting a binding of its own choosing destroys nothing.
  let deleteBindingSid = validValue('Sid', seededRandom(~seed));
  if (deleteBindingSid === known) deleteBindingSid = validValue('Sid', seededRandom(seed));
  // It accepts any well-formed Basic credentials: the contract's example account.
  const credentials = { username: schemaExamples.AccountSid[0], password: 'embedded-mock' };
  return { url: prism.url, stop: prism.stop, mock: true, credentials, deleteBindingSid };
}

/** The most steps a --replay path may hold, and the largest shrink step at each (a report's are far smaller). */
export const MAX_REPLAY_STEPS = 500;
export const MAX_REPLAY_SHRINK_INDEX = 1_000;

/**
 * `--replay fuzz_list/valid:4:1:0`: the fuzz check and kind of case, and fast-check's path to the case:
 * the case's index among that kind's runs of --fuzz N, then a shrink step at each level. The path is
 * bounded before it is followed: fast-check walks it synchronously, where no timer or signal can stop it.
 */
function replayOf(value: string, runs: number): { check: string; path: string } {
  const [check = '', ...path] = value.split(':');
  const fuzzChecks = checks.filter((c) => c.name.startsWith('fuzz_')).map((c) => c.name);
  const [name, kind, ...rest] = check.split('/');
  const steps = path.join(':');
  if (
    rest.length ||
    !fuzzChecks.includes(name ?? '') ||
    !['valid', 'invalid'].includes(kind ?? '') ||
    !/^\d{1,9}(:\d{1,9})*$/.test(steps)
  )
    throw new UsageError(
      `--replay must be CHECK/KIND:PATH as a report prints it (CHECK one of ${fuzzChecks.join(', ')}; KIND valid or invalid; e.g. ${fuzzChecks[0]}/valid:12:0:3), got ${quoted(value)}`,
    );
  // As fuzz.ts splits --fuzz N: the valid cases first, then the invalid ones.
  const ofKind = kind === 'valid' ? Math.ceil(runs / 2) : Math.floor(runs / 2);
  const [first = 0, ...shrinks] = path.map(Number);
  if (first >= ofKind)
    throw new UsageError(
      `--replay ${quoted(value)} names case ${first}, but --fuzz ${runs} makes ${ofKind} ${kind} cases of ${name}: give the run's own --fuzz N`,
    );
  if (shrinks.length > MAX_REPLAY_STEPS || shrinks.some((i) => i > MAX_REPLAY_SHRINK_INDEX))
    throw new UsageError(
      `--replay ${quoted(value)}: a path of at most ${MAX_REPLAY_STEPS} shrink steps, each at most ${MAX_REPLAY_SHRINK_INDEX}, as a report prints it`,
    );
  return { check, path: steps };
}

export async function runVerify(args: string[], env: NodeJS.ProcessEnv, io: Io): Promise<number> {
  const values = parseFlags(args, VERIFY_FLAGS);
  const target = baseUrl(values['base-url']);
  const engine = values.mock ?? DEFAULT_MOCK;
  if (!Object.hasOwn(EMBEDDED_MOCKS, engine))
    throw new UsageError(`--mock must be stateful or prism, got ${quoted(engine)}`);
  const targetName = `${EMBEDDED_MOCKS[engine as keyof typeof EMBEDDED_MOCKS]} (--mock ${engine}${values.mock === undefined ? ', the default' : ''})`;
  if (target && values.mock)
    throw new UsageError('--mock and --base-url exclude each other: one target at a time');
  if (!target && values.stateless)
    throw new UsageError('--stateless describes a --base-url target: an embedded mock is known already');
  const reporter = values.reporter ?? 'text';
  if (!Object.hasOwn(reporters, reporter))
    throw new UsageError(`--reporter must be text, json or junit, got ${quoted(reporter)}`);
  if (values.output !== undefined) await checkWritable(values.output);
  if (values.coverage !== undefined) await checkWritable(values.coverage, { flag: '--coverage' });
  const coverage = values.coverage === undefined ? undefined : new CoverageRecorder();
  const fuzzRuns = integer('fuzz', values.fuzz, 1, 100_000);
  const maxRequests =
    integer('max-requests', values['max-requests'], 1, 10_000_000) ?? DEFAULT_MAX_FUZZ_REQUESTS;
  if (values.replay !== undefined && (fuzzRuns === undefined || values.seed === undefined))
    throw new UsageError('--replay needs --fuzz N and --seed S: the case is found from them');
  const replay =
    values.replay === undefined || fuzzRuns === undefined ? undefined : replayOf(values.replay, fuzzRuns);
  if (replay?.check.startsWith('fuzz_delete/') && target && values['delete-binding-sid'] === undefined)
    throw new UsageError('--replay of fuzz_delete needs --delete-binding-sid, as the run it replays had');
  const fuzz =
    fuzzRuns === undefined ? undefined : { runs: fuzzRuns, maxRequests, sent: 0, ...(replay && { replay }) };
  // The base URL as verify sends it (percent-encoded where the WHATWG URL parser encodes), so a pasted
  // replay reaches the same place whatever the shell or terminal does with what was typed.
  const href = target && new URL(target).href;
  const sentBase = href && !target.endsWith('/') && href.endsWith('/') ? href.slice(0, -1) : href;
  const targetFlags = sentBase ? ['--base-url', sentBase] : ['--mock', engine];
  const chatServiceSid = sid('chat-service-sid', 'chatServiceSid', values['chat-service-sid']);
  const bindingSid = sid('binding-sid', 'sid', values['binding-sid']);
  const seed =
    integer('seed', values.seed, 0, 2 ** 32 - 1) ?? crypto.getRandomValues(new Uint32Array(1))[0] ?? 0;
  const timeoutMs = integer('timeout-ms', values['timeout-ms'], 1, 600_000) ?? 10_000;
  const maxTime = seconds('max-time', values['max-time'], 0.1, 86_400) ?? DEFAULT_MAX_TIME_S;
  const maxPages = integer('max-pages', values['max-pages'], 1, MAX_VERIFY_PAGES) ?? 5;
  const walkPageSize = pageSize(values['page-size']);
  const given = values['delete-binding-sid'];
  const deleteBindingSid = given === undefined ? undefined : sid('delete-binding-sid', 'sid', given);
  if (deleteBindingSid === bindingSid)
    throw new UsageError(
      '--delete-binding-sid must name another binding than --binding-sid: the known one must stay',
    );
  const credentials = credentialsFrom(env);
  if (target && !credentials) throw new UsageError(`${CREDENTIALS_HINT} to verify ${target}`);
  // What a replayed case depends on besides --fuzz and --seed: the target, the known binding, what may go.
  const replayFlags = [
    ...targetFlags,
    ...(values.stateless ? ['--stateless'] : []),
    ...['--chat-service-sid', chatServiceSid, '--binding-sid', bindingSid],
    ...(deleteBindingSid ? ['--delete-binding-sid', deleteBindingSid] : []),
    ...(values['timeout-ms'] === undefined ? [] : ['--timeout-ms', String(timeoutMs)]),
  ];
  const credentialVariables = credentialSource(env);

  const overtime = new AbortController();
  const clock = setTimeout(
    () => overtime.abort(new Error(`the run passed --max-time ${maxTime} s`)),
    Math.round(maxTime * 1000),
  );
  const signal = io.signal ? AbortSignal.any([io.signal, overtime.signal]) : overtime.signal;
  let embedded: Embedded | undefined;
  const status = await (async () => {
    try {
      if (!target)
        embedded = await (engine === 'stateful'
          ? statefulTarget(bindingSid)
          : prismTarget(io, signal, seed, bindingSid)
        ).catch((error: unknown) => {
          // Stopped while the mock started: the report still says so (every check not finished).
          if (signal.aborted) return undefined;
          throw error;
        });
      const checked = await verify({
        baseUrl: target ?? embedded?.url ?? `(the embedded ${engine} mock, not started)`,
        ...(embedded?.credentials ?? credentials ?? { username: '', password: '' }),
        chatServiceSid,
        bindingSid,
        seed,
        timeoutMs,
        mock: embedded?.mock ?? false,
        stateless: values.stateless === true,
        maxPages,
        pageSize: walkPageSize,
        deleteBindingSid: deleteBindingSid ?? embedded?.deleteBindingSid,
        maxResponseBytes: DEFAULT_MAX_RESPONSE_BYTES,
        signal,
        ...(coverage && { coverage }),
        ...(fuzz && { fuzz }),
        replayFlags,
        ...(credentialVariables && { credentialVariables }),
      });
      const report = target ? checked : { ...checked, target: targetName };
      const rendered = reporters[reporter as keyof typeof reporters](report);
      if (values.output !== undefined) {
        io.stdout(textReport(report));
        const named = `--output ${quoted(values.output)}`;
        // A stopped run still writes its report: a pipe's reader gets a moment, not forever.
        const signal = writeSignal(io.signal, named);
        await writeText(values.output, rendered, { named, signal }).catch((error: unknown) => {
          // The run is not lost: the report goes to stdout instead, and the status says the file is missing.
          if (reporter !== 'text') io.stdout(rendered);
          throw error;
        });
      } else io.stdout(rendered);
      if (coverage && values.coverage !== undefined) {
        const data = coverage.data('verify');
        const named = `--coverage ${quoted(values.coverage)}`;
        const signal = writeSignal(io.signal, named);
        await writeText(values.coverage, `${JSON.stringify(data, null, 2)}\n`, { named, signal });
        io.stdout(
          `${coverageSummary(data)}; \`bindings-contract coverage ${values.coverage}\` says what is missing\n`,
        );
      }
      return report.summary.errored ? EXIT.internal : report.summary.failed ? EXIT.failed : EXIT.passed;
    } finally {
      clearTimeout(clock);
      await embedded?.stop();
    }
  })().catch((error: unknown) => {
    if (io.signal?.aborted) throw io.signal.reason;
    throw error;
  });
  // A stop that came in while the mock was stopping still decides the status.
  if (io.signal?.aborted) throw io.signal.reason;
  return status;
}
