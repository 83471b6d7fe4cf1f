// `bindings-contract verify`: checks a service (or an embedded mock) against the contract and prints the
// report. Every flag is checked before anything is sent; Ctrl-C, SIGTERM and --max-time stop the run,
// which still reports what it found.
import { parameterRules, schemaExamples } from '../../generated/contract.js';
import { coverageModel } from '../../generated/coverage-model.js';
import { DEFAULT_MAX_RESPONSE_BYTES } from '../client/body.js';
import { quoted } from '../client/quote.js';
import { CoverageRecorder } from '../testing/coverage.js';
import { type GivenInstances, skippedWhen, type VerifyOptions } from './check.js';
import { checks, severityNote } from './checks.js';
import { coverageSummary } from './coverage-report.js';
import { BASE_URL_VARIABLE, checkExportFolder } from './export-tests.js';
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
  UsageError,
} from './flags.js';
import { toGitHub } from './github.js';
import { HarRecorder, MAX_HAR_BODY_CHARS } from './har.js';
import { flagOf, givenInstances, INSTANCE_FLAGS } from './instances.js';
import { EXIT, type Io } from './io.js';
import { failsRun, knownFindingsPlan, writeKnownFindings } from './known-findings.js';
import { operation, parameterFacts, resources } from './operations.js';
import { startPrism } from './prism.js';
import { replayOf } from './replay.js';
import type { Report } from './report.js';
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
  /** By resource, the instance it holds that verify may delete. */
  deletable: Record<string, string>;
}

/** The resources an instance's SID may be one of (their delete's rule takes it), each with it. */
const deletableAs = (sid: string | undefined, known: GivenInstances['known'] = {}) =>
  Object.fromEntries(
    resources.flatMap((r) => {
      const id = r.operations.delete;
      const rule = id && operation(id).sid;
      const takes = rule && sid !== undefined && parameterFacts(id, rule.key)?.validate(sid);
      return takes && known[r.schema] !== sid ? [[r.schema, sid]] : [];
    }),
  );

/** The stateful fake over HTTP, holding the contract's examples and an instance verify may delete. */
async function statefulTarget(known: GivenInstances['known']): Promise<Embedded> {
  const { fake, deletableSid } = seededFake();
  const server = await serveFake(fake);
  const deletable = deletableAs(deletableSid, known);
  return { url: server.url, stop: server.close, mock: false, credentials: fake.credentials, deletable };
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
  // One flag per parent and per resource of the contract (--chat-service-sid, --binding-sid, --delete-binding-sid…).
  ...INSTANCE_FLAGS,
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
  reporter: {
    type: 'string',
    value: 'text|json|junit|markdown',
    default: 'text',
    about: 'the report written (markdown: a pull-request comment or a CI job summary)',
  },
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
    about: "generate N cases per operation from the contract's arbitraries (the fuzz_* checks)",
  },
  'max-requests': {
    type: 'string',
    value: 'N',
    default: String(DEFAULT_MAX_FUZZ_REQUESTS),
    about: 'the most requests --fuzz sends in all, shrinking included',
  },
  replay: {
    type: 'string',
    value: 'CHECK/OPERATION/KIND:PATH',
    about: 'with --fuzz and --seed: send only the case a report named (its replay command says it)',
  },
  'export-tests': {
    type: 'string',
    value: 'DIR',
    about: `with --fuzz: write each confirmed failure there as a test of its own (node --test, ${BASE_URL_VARIABLE})`,
  },
  har: {
    type: 'string',
    value: 'FILE',
    about: `write every exchange of the run there as HAR 1.2 (credentials masked, bodies cut at ${MAX_HAR_BODY_CHARS} characters)`,
  },
  coverage: {
    type: 'string',
    value: 'FILE',
    about: 'write what the run exercised of the contract there (for bindings-contract coverage)',
  },
  strict: {
    type: 'boolean',
    about: "warnings (verify's recommendations) and known findings no longer found fail the run too",
  },
  'known-findings': {
    type: 'string',
    value: 'FILE',
    about: 'reviewed findings accepted for now (a reason, an optional expiry): only others fail the run',
  },
  'write-known-findings': {
    type: 'string',
    value: 'FILE',
    about: "write the run's findings there as a starting --known-findings file, to review",
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
      (c) =>
        `  ${c.name.padEnd(24)}${[c.proves ?? c.title, skippedWhen(c), severityNote(c)].filter(Boolean).join(' ')}`,
    ),
    '',
    'Each check runs on every operation of the contract it fits; the report names the operation of each finding',
    'and lists, operation by operation, the checks that ran on it. An instance not named by its flag is the first',
    "its list shows (else the contract's example); nothing is deleted but an instance named by a --delete-…-sid.",
    'Without --base-url it starts an embedded mock, checks it and stops it: the stateful fake (every check runs)',
    'unless --mock prism (stateless: the checks that need state are skipped); the report names the target.',
    'Credentials come from the environment only: BINDINGS_USERNAME and BINDINGS_PASSWORD (or',
    'TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN), a complete pair from one of them.',
    `Exit status: ${EXIT.passed} every check passed, ${EXIT.failed} a check failed (whatever else went wrong), ${EXIT.usage} bad usage, ${EXIT.internal} verify could not run a check`,
    `and none failed (its report says which and why), ${EXIT.SIGHUP}/${EXIT.SIGINT}/${EXIT.SIGTERM} stopped by SIGHUP/SIGINT/SIGTERM.`,
    'A finding a warning check makes, or one the --known-findings file accepts (until its expiry), is reported',
    `and fails nothing (the check warns); --strict fails on warnings and on known findings no longer found (${EXIT.failed}).`,
  ],
);

async function prismTarget(io: Io, signal: AbortSignal, seed: number, known: GivenInstances['known']) {
  const prism = await (io.startPrism ?? startPrism)({ signal });
  // The mock stores nothing: deleting an instance of its own choosing destroys nothing.
  const deletable: Record<string, string> = {};
  for (const r of resources) {
    const pattern = r.operations.delete && operation(r.operations.delete).sid?.pattern;
    if (!pattern) continue;
    deletable[r.schema] = validValue(pattern, seededRandom(~seed));
    if (deletable[r.schema] === known?.[r.schema])
      deletable[r.schema] = validValue(pattern, seededRandom(seed));
  }
  // It accepts any well-formed Basic credentials: the contract's example account.
  const credentials = { username: schemaExamples.AccountSid[0], password: 'embedded-mock' };
  return { url: prism.url, stop: prism.stop, mock: true, credentials, deletable } satisfies Embedded;
}

/** A run as the flags ask for it, every flag checked before anything is sent. */
interface Plan {
  /** --base-url; without it, the embedded mock `engine`. */
  target?: string;
  engine: keyof typeof EMBEDDED_MOCKS;
  /** How a report names an embedded target: `the embedded stateful fake (--mock stateful, the default)`. */
  targetName: string;
  reporter: keyof typeof reporters;
  output?: string;
  coverageFile?: string;
  /** --write-known-findings FILE. */
  writeKnownTo?: string;
  /** --har FILE and what records it. */
  har?: { file: string; recorder: HarRecorder };
  instances: GivenInstances;
  credentials?: { username: string; password: string };
  maxTime: number;
  /** What verify is told besides the target, its credentials and the instances. */
  options: Omit<VerifyOptions, 'baseUrl' | 'username' | 'password' | 'mock' | 'instances'>;
}

type Values = ReturnType<typeof parseFlags<typeof VERIFY_FLAGS>>;

/** The target: --base-url, or the embedded mock chosen (--mock); the two exclude each other. */
function targetOf(values: Values): Pick<Plan, 'target' | 'engine' | 'targetName'> {
  const target = baseUrl(values['base-url']);
  const engine = values.mock ?? DEFAULT_MOCK;
  if (!Object.hasOwn(EMBEDDED_MOCKS, engine))
    throw new UsageError(`--mock must be stateful or prism, got ${quoted(engine)}`);
  if (target && values.mock)
    throw new UsageError('--mock and --base-url exclude each other: one target at a time');
  if (!target && values.stateless)
    throw new UsageError('--stateless describes a --base-url target: an embedded mock is known already');
  const targetName = `${EMBEDDED_MOCKS[engine as Plan['engine']]} (--mock ${engine}${values.mock === undefined ? ', the default' : ''})`;
  return { ...(target && { target }), engine: engine as Plan['engine'], targetName };
}

/** --fuzz N and its bounds, and the case a --replay names (it needs --fuzz, --seed, and what it deletes). */
function fuzzOf(
  values: Values,
  target: string | undefined,
  instances: GivenInstances,
): VerifyOptions['fuzz'] {
  const runs = integer('fuzz', values.fuzz, 1, 100_000);
  const maxRequests =
    integer('max-requests', values['max-requests'], 1, 10_000_000) ?? DEFAULT_MAX_FUZZ_REQUESTS;
  if (values.replay !== undefined && (runs === undefined || values.seed === undefined))
    throw new UsageError('--replay needs --fuzz N and --seed S: the case is found from them');
  if (values['export-tests'] !== undefined && runs === undefined)
    throw new UsageError('--export-tests needs --fuzz N: it writes the failures fuzzing confirmed');
  if (runs === undefined) return undefined;
  const replay = values.replay === undefined ? undefined : replayOf(values.replay, runs);
  const op = replay && operation(replay.operation);
  if (op?.action === 'delete' && target && instances.deletable?.[op.resource] === undefined)
    throw new UsageError(
      `--replay of ${replay?.check.split('/')[0]} needs ${flagOf('deletable', op.resource)}, as the run it replays had`,
    );
  return {
    runs,
    maxRequests,
    sent: 0,
    ...(replay && { replay: { check: replay.check, path: replay.path } }),
    ...(values['export-tests'] !== undefined && { exportTests: values['export-tests'] }),
  };
}

/** The whole plan of a run from its flags and environment, or a UsageError naming what is wrong. */
async function planOf(values: Values, env: NodeJS.ProcessEnv): Promise<Plan> {
  const { target, engine, targetName } = targetOf(values);
  const reporter = values.reporter ?? 'text';
  if (!Object.hasOwn(reporters, reporter))
    throw new UsageError(`--reporter must be text, json, junit or markdown, got ${quoted(reporter)}`);
  if (values.output !== undefined) await checkWritable(values.output);
  if (values.coverage !== undefined) await checkWritable(values.coverage, { flag: '--coverage' });
  const known = await knownFindingsPlan(values);
  if (values.har !== undefined) await checkWritable(values.har, { flag: '--har' });
  const har = values.har === undefined ? undefined : { file: values.har, recorder: harRecorder() };
  const instances = givenInstances(values);
  const fuzz = fuzzOf(values, target, instances);
  if (fuzz?.exportTests !== undefined) await checkExportFolder(fuzz.exportTests);
  // The base URL as verify sends it (percent-encoded where the WHATWG URL parser encodes), so a pasted
  // replay reaches the same place whatever the shell or terminal does with what was typed.
  const href = target && new URL(target).href;
  const sentBase = href && !target.endsWith('/') && href.endsWith('/') ? href.slice(0, -1) : href;
  const seed =
    integer('seed', values.seed, 0, 2 ** 32 - 1) ?? crypto.getRandomValues(new Uint32Array(1))[0] ?? 0;
  const timeoutMs = integer('timeout-ms', values['timeout-ms'], 1, 600_000) ?? 10_000;
  const maxTime = seconds('max-time', values['max-time'], 0.1, 86_400) ?? DEFAULT_MAX_TIME_S;
  const maxPages = integer('max-pages', values['max-pages'], 1, MAX_VERIFY_PAGES) ?? 5;
  const walkPageSize = pageSize(values['page-size']);
  const credentials = credentialsFrom(env);
  if (target && !credentials) throw new UsageError(`${CREDENTIALS_HINT} to verify ${target}`);
  // What a replayed case depends on besides --fuzz, --seed and the instances (the run adds those): the target.
  const replayFlags = [
    ...(sentBase ? ['--base-url', sentBase] : ['--mock', engine]),
    ...(values.stateless ? ['--stateless'] : []),
    ...(values['timeout-ms'] === undefined ? [] : ['--timeout-ms', String(timeoutMs)]),
  ];
  const credentialVariables = credentialSource(env);
  const coverage = values.coverage === undefined ? undefined : new CoverageRecorder();
  return {
    ...{ ...(target && { target }), engine, targetName, reporter: reporter as Plan['reporter'] },
    ...{ instances, maxTime },
    ...(values.output !== undefined && { output: values.output }),
    ...(values.coverage !== undefined && { coverageFile: values.coverage }),
    ...(known.writeTo !== undefined && { writeKnownTo: known.writeTo }),
    ...(har && { har }),
    ...(credentials && { credentials }),
    options: {
      ...{ seed, timeoutMs, maxPages, pageSize: walkPageSize, maxResponseBytes: DEFAULT_MAX_RESPONSE_BYTES },
      ...{ stateless: values.stateless === true, replayFlags },
      ...known.options,
      ...(coverage && { coverage }),
      ...(har && { record: har.recorder.record }),
      ...(fuzz && { fuzz }),
      ...(credentialVariables && { credentialVariables }),
    },
  };
}

/** Runs the checks against the target (an embedded mock started for it, and stopped after). */
async function checked(plan: Plan, io: Io, signal: AbortSignal): Promise<Report> {
  let embedded: Embedded | undefined;
  try {
    if (!plan.target)
      embedded = await (plan.engine === 'stateful'
        ? statefulTarget(plan.instances.known)
        : prismTarget(io, signal, plan.options.seed, plan.instances.known)
      ).catch((error: unknown) => {
        // Stopped while the mock started: the report still says so (every check not finished).
        if (signal.aborted) return undefined;
        throw error;
      });
    const report = await verify({
      ...plan.options,
      baseUrl: plan.target ?? embedded?.url ?? `(the embedded ${plan.engine} mock, not started)`,
      ...(embedded?.credentials ?? plan.credentials ?? { username: '', password: '' }),
      mock: embedded?.mock ?? false,
      ...(io.fetch && { fetch: io.fetch }),
      instances: { ...plan.instances, deletable: { ...embedded?.deletable, ...plan.instances.deletable } },
      signal,
    });
    if (plan.target) return report;
    return { ...report, target: plan.targetName };
  } finally {
    await embedded?.stop();
  }
}

/** What --har records: the run's exchanges, by verify for this contract. */
const harRecorder = () =>
  new HarRecorder({
    name: 'bindings-contract verify',
    version: `contract ${coverageModel.contract.version}`,
  });

/** Writes --har, replaced whole (a stopped run's too: what it sent). */
async function writeHar(plan: Plan, io: Io): Promise<void> {
  if (!plan.har) return;
  const named = `--har ${quoted(plan.har.file)}`;
  await writeText(plan.har.file, plan.har.recorder.text(), { named, signal: writeSignal(io.signal, named) });
}

/** Prints the report (and writes it to --output), and writes --coverage and --har. */
async function writeReports(plan: Plan, io: Io, report: Report): Promise<void> {
  const rendered = reporters[plan.reporter](report);
  if (plan.output !== undefined) {
    io.stdout(textReport(report));
    const named = `--output ${quoted(plan.output)}`;
    // A stopped run still writes its report: a pipe's reader gets a moment, not forever.
    const signal = writeSignal(io.signal, named);
    await writeText(plan.output, rendered, { named, signal }).catch((error: unknown) => {
      // The run is not lost: the report goes to stdout instead, and the status says the file is missing.
      if (plan.reporter !== 'text') io.stdout(rendered);
      throw error;
    });
  } else io.stdout(rendered);
  const { coverage } = plan.options;
  if (coverage && plan.coverageFile !== undefined) {
    const data = coverage.data('verify');
    const named = `--coverage ${quoted(plan.coverageFile)}`;
    const signal = writeSignal(io.signal, named);
    await writeText(plan.coverageFile, `${JSON.stringify(data, null, 2)}\n`, { named, signal });
    io.stdout(
      `${coverageSummary(data)}; \`bindings-contract coverage ${plan.coverageFile}\` says what is missing\n`,
    );
  }
  if (plan.writeKnownTo !== undefined) await writeKnownFindings(plan.writeKnownTo, report, io.signal);
  await writeHar(plan, io);
}

/**
 * The exit status of a report: a failed check (or, under --strict, a known finding no longer found) is 1
 * whatever else went wrong; else 3 when one could not run. A check that only warned fails nothing.
 */
export const exitOf = (report: Report) =>
  failsRun(report) ? EXIT.failed : report.summary.errored ? EXIT.internal : EXIT.passed;

export async function runVerify(args: string[], env: NodeJS.ProcessEnv, io: Io): Promise<number> {
  const values = parseFlags(args, VERIFY_FLAGS);
  const plan = await planOf(values, env);
  const overtime = new AbortController();
  const clock = setTimeout(
    () => overtime.abort(new Error(`the run passed --max-time ${plan.maxTime} s`)),
    Math.round(plan.maxTime * 1000),
  );
  const signal = io.signal ? AbortSignal.any([io.signal, overtime.signal]) : overtime.signal;
  const status = await (async () => {
    try {
      const report = await checked(plan, io, signal);
      await writeReports(plan, io, report);
      await toGitHub(report, {
        env,
        io,
        stdoutIsText: plan.reporter === 'text' || plan.output !== undefined,
      });
      return exitOf(report);
    } finally {
      clearTimeout(clock);
    }
  })().catch((error: unknown) => {
    if (io.signal?.aborted) throw io.signal.reason;
    throw error;
  });
  // A stop that came in while the mock was stopping still decides the status.
  if (io.signal?.aborted) throw io.signal.reason;
  return status;
}
