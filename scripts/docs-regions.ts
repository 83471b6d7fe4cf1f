// npm run docs:regions: the parts of README.md and docs/*.md that restate code, written from the code
// itself: the command line's usage and help, the checks, the size budgets, every limit with its value, the
// exit statuses and the coverage dimensions. A region is the text between
//   <!-- generated: NAME (npm run docs:regions) -->  and  <!-- end: NAME -->
// test/golden/docs.test.ts fails, naming the region, when one is stale; `--check` does the same here.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parameterOf, parameterRules } from '../generated/contract.js';
import { coverageModel } from '../generated/coverage-model.js';
import { skippedWhen } from '../src/cli/check.ts';
import { checks, MAX_VERIFY_WALK_MEMORY, severityNote } from '../src/cli/checks.ts';
import { COVERAGE_HELP } from '../src/cli/coverage-command.ts';
import { MAX_EXPORTED_FINDING, MAX_EXPORTED_NAME } from '../src/cli/export-tests.ts';
import { LOCK_STALE_MS, LOCK_WAIT_MS } from '../src/cli/file-lock.ts';
import { MAX_WRITE_AFTER_STOP_MS } from '../src/cli/file-writes.ts';
import { MAX_FILE_BYTES, MAX_FILE_JSON_ITEMS } from '../src/cli/files.ts';
import {
  FUZZ_CONFIRMATIONS,
  MAX_FUZZ_RETRY_WAIT_S,
  MAX_FUZZ_TARGET,
  MAX_FUZZ_TRIES,
} from '../src/cli/fuzz.ts';
import { ANNOTATION_FINDINGS, MAX_STEP_SUMMARY_BYTES } from '../src/cli/github.ts';
import { MAX_HAR_BODY_CHARS } from '../src/cli/har.ts';
import { EXIT } from '../src/cli/io.ts';
import { MAX_KNOWN_FINDINGS } from '../src/cli/known-findings.ts';
import { main, USAGE } from '../src/cli/main.ts';
import { COMMAND_STOP_GRACE_MS, MOCK_HELP } from '../src/cli/mock-command.ts';
import { MAX_COMMAND, MAX_QUOTE as MAX_REPORT_QUOTE } from '../src/cli/said.ts';
import { MAX_EVIDENCE } from '../src/cli/verify.ts';
import {
  DEFAULT_MAX_FUZZ_REQUESTS,
  DEFAULT_MAX_TIME_S,
  MAX_VERIFY_PAGES,
  VERIFY_FLAGS,
  VERIFY_HELP,
} from '../src/cli/verify-command.ts';
import { bindingTypes } from '../src/client/binding-types.ts';
import { DEFAULT_MAX_RESPONSE_BYTES, MAX_JSON_DEPTH } from '../src/client/body.ts';
import { MAX_TIMER_MS } from '../src/client/bounds.ts';
import { type BindingsClientOptions, createBindingsClient } from '../src/client/index.ts';
import { DEFAULT_MAX_PAGES, MAX_EMPTY_PAGES, MAX_WALK_MEMORY } from '../src/client/listing.ts';
import { DEFAULT_TIMEOUT_MS } from '../src/client/options.ts';
import { MAX_COUNT, MAX_QUOTED } from '../src/client/quote.ts';
import { cost } from '../src/client/recent.ts';
import { MAX_CAUSE_TEXT, MAX_REDACT_DEPTH, RUN } from '../src/client/redact.ts';
import {
  EXCERPT_LENGTH,
  EXCERPT_SCAN,
  MAX_LISTED,
  MAX_QUOTE,
  MAX_VIOLATIONS,
} from '../src/client/response.ts';
import { MAX_RETRY_AFTER } from '../src/client/retry.ts';
import { MAX_BASE_URL } from '../src/client/url.ts';
import { MAX_ERRORS } from '../src/client/validator-runtime.ts';
import { MAX_ACTUAL, MAX_BODY_QUOTE } from '../src/client/violations.ts';
import { MAX_MCP_RESPONSE_BYTES, MCP_HELP, MIN_TOKEN_LENGTH } from '../src/mcp/command.ts';
import { MAX_CURSORS } from '../src/mcp/cursors.ts';
import { MAX_HTTP_CONNECTIONS, MAX_REQUEST_BYTES, REQUEST_RECEIVE_MS } from '../src/mcp/http.ts';
import { MAX_DOCS_PAGES, MAX_PACKAGE_FILE_BYTES } from '../src/mcp/package-files.ts';
import { MAX_ERROR_CHARS, MAX_RESULT_BYTES, PATTERN_RUN } from '../src/mcp/results.ts';
import { DEFAULT_HITS, EXCERPT_CHARS, MAX_HITS, MAX_QUERY_CHARS } from '../src/mcp/search.ts';
import { createMcpServer } from '../src/mcp/server.ts';
import { MAX_MESSAGE_BYTES } from '../src/mcp/stdio.ts';
import { LONG_STRING_SHARE, MAX_ARRAY_LENGTH, MAX_STRING_LENGTH } from '../src/testing/arbitraries.ts';
import { MAX_BODY_PROBLEMS } from '../src/testing/conformance.ts';
import { NEXT_PAGES_MEMORY } from '../src/testing/coverage.ts';
import { DIMENSIONS, type Dimension } from '../src/testing/coverage-items.ts';
import { createBindingsFake, MAX_LOGGED_REQUESTS } from '../src/testing/fake.ts';
import { exampleBindings, exampleSids } from '../src/testing/fixtures.ts';
import { budgets } from './check-size.ts';
import { root } from './paths.ts';

const n = (value: number) => value.toLocaleString('en-US');
const bytes = (value: number) =>
  value === 0
    ? '0 B'
    : value % (1024 * 1024) === 0
      ? `${n(value / 1024 / 1024)} MiB`
      : value % 1024 === 0
        ? `${n(value / 1024)} KiB`
        : `${n(value)} B`;
const text = (body: string) => `\`\`\`text\n${body.trimEnd()}\n\`\`\``;
const cell = (value: string) => value.replaceAll('|', '\\|').replaceAll('\n', ' ');
function table(head: string[], rows: string[][]): string {
  return [head, head.map(() => '---'), ...rows].map((r) => `| ${r.map(cell).join(' | ')} |`).join('\n');
}
const limits = (rows: [limit: string, value: string, past: string][]) =>
  table(['limit', 'value', 'what you see past it'], rows);

/** Each exit status, in words (a status EXIT gains must be described here, or this script fails). */
const EXIT_MEANING: Record<keyof typeof EXIT, string> = {
  passed:
    'every check passed (skipped ones allowed: each says why; warnings and known findings fail nothing without `--strict`) / every coverage gate passed',
  failed:
    'a check failed (whatever else went wrong: a check that could not run does not hide one that failed) on a finding not accepted by `--known-findings` or whose entry expired; with `--strict`, a warning too, or a known finding no longer found; or a coverage gate: the report says which, with its evidence',
  usage:
    'bad usage: an unknown flag, a malformed URL or SID, a port taken, an unreadable file, a coverage file of another contract (one line on stderr naming it; never a credential)',
  internal:
    'verify could not run a check (a bug, or a target that broke the tool itself) and none failed: the report marks it `error` with why, and still lists the others',
  SIGINT:
    "stopped by Ctrl-C (SIGINT): requests and the embedded mock stop, and the report of what finished is printed; `coverage` stopped before its report writes nothing (no report, no `--baseline`), and one stopped while it waits for another run's `--baseline` lock has printed its report and leaves the baseline unchanged",
  SIGHUP: 'stopped by SIGHUP (a closed terminal, a dropped ssh session), as for SIGINT',
  SIGTERM: 'stopped by SIGTERM, as for SIGINT',
};

/** The first items of a dimension, as the model names them: what the table shows as examples. */
const examplesOf = (d: Dimension, count = 3) =>
  coverageModel.items
    .filter((item) => item.dimension === d)
    .slice(0, count)
    .map((item) => `\`${item.id}\``)
    .join(', ');

/** How an item of each dimension is counted, and why the dimension is there. */
const DIMENSION_MEANING: Record<Dimension, [counted: string, why: string]> = {
  status: [
    'an answer with that documented status, to that operation',
    'a consumer that never saw a 404 or a 429 never proved it handles one (Schemathesis #1147)',
  ],
  'media-type': [
    'an answer with that status and that Content-Type',
    'the error bodies come in two media types; a parser tested on one breaks on the other',
  ],
  header: [
    'an answer with that status carrying that documented header',
    '`Retry-After` and the CORS headers are promises too: code that reads them needs an answer that has them',
  ],
  parameter: [
    'a request that gave that parameter, and one that left it out',
    "a default (PageSize's) is only proven when a request omits it; a filter only when one gives it",
  ],
  'parameter-value': [
    `a request with that enum value, or a bounded parameter's bound (${examplesOf('parameter-value')})`,
    'each value of an enum, and each edge of a range, is where servers and clients diverge',
  ],
  property: [
    'a conforming response body in which that property was present with a value, or `null` where it is nullable',
    'code that reads `identity` must have met it `null` once (the contract allows it)',
  ],
  'response-value': [
    `a response body with that enum value in that property (${examplesOf('response-value')})`,
    'a switch over `binding_type` has a branch per value: each needs a response that takes it',
  ],
  paging: [
    'a list answer that was an empty page, that was reached by following `next_page_url`, or whose `next_page_url` was null',
    'the walk has three outcomes; a loop tested on one page never followed a link',
  ],
};

const budgetRows = budgets.map((b) => [
  `\`${b.entry}\``,
  bytes(b.maxGzipBytes),
  b.maxOnDemandGzipBytes ? bytes(b.maxOnDemandGzipBytes) : '',
  b.why,
]);

/** How many SIDs of the contract's length a walk remembers: three quarters of its memory (src/client/pages.ts). */
const sidsRemembered = Math.floor((MAX_WALK_MEMORY * 3) / 4 / cost(String(exampleSids.sid)));
const itemsOf = (d: Dimension) => coverageModel.items.filter((item) => item.dimension === d).length;
/** Each check: its findings and one "… and N more", each with its problems and one more for the rest. */
const reportLines = checks.length * (MAX_EVIDENCE + 1) * (1 + MAX_BODY_PROBLEMS + 1);

/** A value the provider's own description documents for `binding_type` and this contract does not. */
function providerOnlyBindingType(): string {
  const provider = JSON.parse(
    readFileSync(join(root, 'test/fixtures/provider/twilio_conversations_v1.bindings.json'), 'utf8'),
  );
  const found: string[] = [];
  const visit = (node: unknown) => {
    if (Array.isArray(node)) node.forEach(visit);
    else if (node && typeof node === 'object')
      for (const [key, value] of Object.entries(node)) {
        // The provider's enum of push technologies: the one that shares values with the contract's.
        if (key === 'enum' && Array.isArray(value) && bindingTypes.some((t) => value.includes(t)))
          found.push(...value.filter((v) => !(bindingTypes as readonly unknown[]).includes(v)));
        else visit(value);
      }
  };
  visit(provider);
  const [value] = found;
  if (!value) throw new Error('the provider fixture documents no binding type beyond the contract');
  return value;
}

const SHOWN_URL = 'https://staging.example.com';

/** What `bindings-contract verify` prints for `args` against the fake, at SHOWN_URL (answered in this process). */
async function printed(
  args: string[],
  {
    offContract = false,
    fault,
  }: {
    offContract?: boolean;
    /** The requests the service answers with a 500 (the contract's error body), and only those. */
    fault?: (url: URL) => boolean;
  } = {},
): Promise<string> {
  const [known, ...rest] = exampleBindings();
  const bindings =
    offContract && known
      ? [{ ...known, binding_type: providerOnlyBindingType() }, ...rest]
      : [known, ...rest];
  const fake = createBindingsFake({
    bindings: bindings as never,
    allowOffContract: offContract,
    recordCoverage: false,
  });
  const handle = (request: Request) => {
    if (fault?.(new URL(request.url))) fake.inject({ status: 500 });
    return fake.handle(request);
  };
  const env = {
    BINDINGS_USERNAME: fake.credentials.username,
    BINDINGS_PASSWORD: fake.credentials.password,
  };
  let out = '';
  // Sent to the fake in this process (the command line's Io.fetch): the report is what a socket would give.
  await main(['verify', '--base-url', SHOWN_URL, '--seed', '42', ...args], env, {
    stdout: (t) => {
      out += t;
    },
    stderr: () => {},
    fetch: async (input, init) => handle(new Request(input, init)),
  });
  return out.trimEnd();
}

/** The report of a service that answers a binding_type the contract does not document. */
let offContract: Promise<string> | undefined;
const offContractReport = () => {
  offContract ??= printed([], { offContract: true });
  return offContract;
};

/** A fuzz run against a service with one fault only generated input reaches: a 500 at PageSize's maximum. */
async function fuzzReport(): Promise<string> {
  const pageSize = parameterOf.ListServiceBinding.pageSize.name;
  const most = String(parameterRules.PageSize.maximum);
  const report = await printed(['--fuzz', '50'], {
    fault: (url) => url.searchParams.get(pageSize) === most,
  });
  // The checks that passed, and the fuzz failure in full. The run-wide check's evidence is left out: it
  // quotes the first failing case of each kind as generated, which every change to the contract's rules
  // changes (the minimal case, shrunk, stays).
  const runWide = /\n✗ not_a_server_error\n[\s\S]*?\n\n/;
  // The operations, each with its checks, as the verify sample shows them.
  const operations = /\nOperations, with the checks run on each:\n[\s\S]*?\n\n/;
  return report
    .replace(
      runWide,
      '\n✗ not_a_server_error\n  … (the first failing case of each kind, as generated, before shrinking)\n\n',
    )
    .replace(operations, '\nOperations, with the checks run on each:\n… (as in the sample above)\n\n')
    .split('\n')
    .flatMap((line, i, all) =>
      !/^[✓○] /.test(line) || /fuzz_/.test(line)
        ? [line]
        : /^[✓○] /.test(all[i - 1] ?? '')
          ? []
          : ['… (the fixed checks, passed or skipped)'],
    )
    .join('\n');
}

/** What the client says for each kind of error, printed by the client itself against the fake. */
async function clientErrors(): Promise<string> {
  const fake = createBindingsFake({ recordCoverage: false });
  const make = (extra: Partial<BindingsClientOptions> = {}) =>
    createBindingsClient({ ...fake.credentials, fetch: fake.fetch, retry: false, ...extra });
  const known = { chatServiceSid: exampleSids.chatServiceSid, sid: exampleSids.sid };
  // The binding's field that holds a push technology: where the example holds one of the documented values.
  const [example] = exampleBindings();
  const field = Object.keys(example ?? {}).find((k) =>
    (bindingTypes as readonly unknown[]).includes((example as Record<string, unknown>)[k]),
  ) as string;
  const lines: string[] = [];
  const said = async (call: () => Promise<unknown>, arrange?: () => void) => {
    fake.reset();
    arrange?.();
    try {
      await call();
      throw new Error('docs-regions: the call was meant to fail');
    } catch (error) {
      lines.push(`${(error as Error).name}: ${(error as Error).message}`);
    }
  };
  await said(() => make().fetchBinding({ ...known, sid: known.sid.slice(0, 5) }));
  await said(() =>
    make().fetchBindingsPage({
      chatServiceSid: known.chatServiceSid,
      pageSize: Number(parameterRules.PageSize.minimum) - 1,
    }),
  );
  await said(() =>
    make().fetchBindingsPage({
      chatServiceSid: known.chatServiceSid,
      bindingType: [bindingTypes[0], providerOnlyBindingType()] as never,
    }),
  );
  await said(() => make().fetchBinding({ ...known, sid: `${known.sid.slice(0, -1)}0` }));
  await said(
    () => make().fetchBinding(known),
    () =>
      fake.inject({ breakContract: (body) => ({ ...(body as object), [field]: providerOnlyBindingType() }) }),
  );
  await said(() => make({ maxResponseBytes: 64 }).fetchBinding(known));
  await said(
    () => make({ timeoutMs: 50 }).fetchBinding(known),
    () => fake.inject({ delayMs: 1000 }),
  );
  await said(
    () => make().fetchBinding(known),
    () => fake.inject({ drop: true }),
  );
  return text(lines.join('\n'));
}

/** The text report of `coverage` over what a few tests exercised through the fake. */
async function coverageReport(): Promise<string> {
  const fake = createBindingsFake();
  const client = createBindingsClient({ ...fake.credentials, fetch: fake.fetch, retry: false });
  const { chatServiceSid, sid } = exampleSids;
  await client.fetchBinding({ chatServiceSid, sid });
  for await (const _ of client.listBindings({ chatServiceSid })) break;
  await client.fetchBinding({ chatServiceSid, sid: `${sid.slice(0, -1)}0` }).catch(() => undefined);
  const dir = mkdtempSync(join(tmpdir(), 'docs-coverage-'));
  const file = join(dir, 'coverage.json');
  writeFileSync(file, JSON.stringify(fake.coverage()));
  let out = '';
  try {
    await main(
      ['coverage', file, '--min', '90'],
      {},
      {
        stdout: (t) => {
          out += t;
        },
        stderr: () => {},
      },
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return text(out.replaceAll(file, 'coverage.json'));
}

/** The MCP server's tools as tools/list shows them with credentials and --allow-delete: every one it lists. */
async function mcpTools(): Promise<string> {
  const fake = createBindingsFake();
  const client = createBindingsClient({ ...fake.credentials, fetch: fake.fetch });
  const { tools } = await createMcpServer({ client, allowDelete: true });
  const listed = (hints: { destructiveHint?: boolean; openWorldHint?: boolean } = {}) =>
    hints.destructiveHint
      ? 'with credentials and `--allow-delete` (destructive)'
      : hints.openWorldHint
        ? 'with credentials (reads only)'
        : 'always (reads only, no credentials)';
  return table(
    ['tool', 'what it does', 'listed'],
    tools.map((t) => [`\`${t.name}\``, t.description ?? '', listed(t.annotations)]),
  );
}

export const regions: Record<string, () => string | Promise<string>> = {
  'coverage-sample': coverageReport,
  'client-errors': clientErrors,
  'verify-sample': async () => text(await offContractReport()),
  'verify-sample-short': async () => {
    const lines = (await offContractReport()).split('\n');
    const failing = lines.findIndex((l) => /^✗ \w+$/.test(l));
    const short = [
      ...lines.filter((l) => /^[✗] \w+:/.test(l)).slice(0, 1),
      ...lines.filter((l) => /^[✓] \w+:/.test(l)).slice(0, 1),
      ...lines.filter((l) => /^[○] \w+:/.test(l)).slice(0, 1),
      '…',
      ...lines.slice(failing, lines.indexOf('', failing)),
      '…',
      lines.at(-1) ?? '',
    ];
    return text(short.join('\n'));
  },
  'fuzz-sample': async () => text(await fuzzReport()),
  usage: () => text(USAGE),
  'verify-help': () => text(VERIFY_HELP),
  'mock-help': () => text(MOCK_HELP),
  'coverage-help': () => text(COVERAGE_HELP),
  checks: () =>
    table(
      ['check', 'severity', 'what it proves'],
      checks.map((c) => [
        `\`${c.name}\``,
        c.severity === 'error' ? 'error: fails the run' : 'warning: fails only with `--strict`',
        [c.proves ?? c.title, skippedWhen(c), severityNote(c)].filter(Boolean).join(' '),
      ]),
    ),
  'exit-codes': () =>
    table(
      ['exit status', 'meaning'],
      (Object.keys(EXIT) as (keyof typeof EXIT)[]).map((k) => [String(EXIT[k]), EXIT_MEANING[k]]),
    ),
  budgets: () => table(['entry', 'loaded at once (gzip)', 'on demand (gzip)', 'why'], budgetRows),
  'coverage-dimensions': () =>
    table(
      ['dimension', 'items here', 'an item is covered by', 'why it is there'],
      DIMENSIONS.map((d) => [`\`${d}\``, String(itemsOf(d)), ...DIMENSION_MEANING[d]]),
    ),
  'limits-client': () =>
    limits([
      [
        'time per attempt (status and whole body), also with a `fetch` that ignores its signal',
        `\`timeoutMs\`, default ${n(DEFAULT_TIMEOUT_MS)} ms`,
        '`TimeoutError` once no attempt is left; the connection is released',
      ],
      [
        'any wait (`timeoutMs`, `retry.*DelayMs`, a `Retry-After`)',
        `${n(MAX_TIMER_MS)} ms (setTimeout's largest); a retry wait also \`maxDelayMs\``,
        'an option above it is a `TypeError`; a longer `Retry-After` is cut to `maxDelayMs`',
      ],
      [
        '`Retry-After` read',
        `its first ${MAX_RETRY_AFTER} characters`,
        'the rest is ignored; a value in neither form (seconds, HTTP-date) means the backoff applies',
      ],
      [
        'response body read, decoded, success and error alike',
        `\`maxResponseBytes\`, default ${bytes(DEFAULT_MAX_RESPONSE_BYTES)}`,
        '2xx: `ContractViolationError` (`body: is larger than maxResponseBytes`); an error status: `ApiError` with the cut body; the stream is cancelled',
      ],
      [
        'JSON nesting',
        `${MAX_JSON_DEPTH} levels`,
        '`ContractViolationError` (`body: nests deeper than …`), never a `RangeError`',
      ],
      [
        'the `page` a list call asks for (the contract sets `Page` no maximum; the fake and Prism take any)',
        `${n(Number.MAX_SAFE_INTEGER)} (2^53 − 1: a JavaScript number past it is no longer exact; a string or a bigint is not taken)`,
        '`InvalidParameterError` naming `page` and the bound, before anything is sent',
      ],
      [
        'pages in one walk',
        `\`maxPages\`, default ${n(DEFAULT_MAX_PAGES)}`,
        '`ContractViolationError` naming `/meta/next_page_url`; nothing more is fetched',
      ],
      [
        'empty pages in a row that each have a next page',
        String(MAX_EMPTY_PAGES),
        '`ContractViolationError` naming `/meta/next_page_url`',
      ],
      [
        'memory a walk keeps to notice repeats (page URLs and SIDs, 2 bytes a character plus 64 an entry)',
        bytes(MAX_WALK_MEMORY),
        `the oldest are forgotten first: a repeat of a recent page or SID (the last ${n(sidsRemembered)} SIDs, three quarters of it) is still a \`ContractViolationError\`, an older one is not; \`maxPages\` still ends the walk`,
      ],
      [
        'violations in one error',
        `${MAX_VIOLATIONS} kept, ${MAX_LISTED} in the message`,
        'one last `…` entry counts the rest; the message ends `…; and N more`',
      ],
      [
        'what one `ContractViolationError` keeps, thrown or reported',
        `\`body\`: the part at fault (the binding that holds the first violation), ${n(MAX_BODY_QUOTE)} characters of its JSON text; ${MAX_VIOLATIONS} violations, each quoting ${MAX_ACTUAL} characters of a value`,
        'cut, with `…`: never a copy of the page, so keeping every report of a long walk grows the heap by tens of KB a page, not by the page',
      ],
      [
        'validator errors per value',
        String(MAX_ERRORS),
        'the rest are not kept, but the value is read whole: their locations are counted into the `…` entry, and what `report` may tolerate is judged on the whole page',
      ],
      [
        'bad input quoted in an `InvalidParameterError`',
        `${MAX_QUOTED} characters; lengths counted up to ${n(MAX_COUNT)}`,
        `a prefix and its length ("over ${MAX_COUNT}" past the count): a huge value is checked as fast as a short one`,
      ],
      [
        "the service's own words in a message (`message`, `more_info`, a value)",
        `${MAX_QUOTE} characters`,
        'cut, with `…`',
      ],
      [
        "a non-JSON body's excerpt",
        `${EXCERPT_LENGTH} characters, from its first ${n(EXCERPT_SCAN)}`,
        'tags removed by one linear scan of that prefix (no regex over the body)',
      ],
      [
        "`baseUrl` (and the command line's `--base-url`)",
        `${n(MAX_BASE_URL)} characters, http(s), no query, fragment, credentials or whitespace`,
        '`TypeError` at `createBindingsClient`; exit 2 from the command line',
      ],
      [
        'redaction',
        `every run of ${RUN} or more characters of the password or the Basic token, as is, JSON-escaped or percent-encoded, in what the service or the caller sent`,
        "`[REDACTED]`, even where a value shares those characters by chance; the client's words and the contract's field names (paths, keys) are never masked",
      ],
      [
        'depth of a body shown in an error',
        `${MAX_REDACT_DEPTH} levels`,
        'deeper parts are `[too deep to show]`',
      ],
      [
        "a transport error's `cause`",
        `\`name\`, \`code\`, \`errno\`, \`syscall\`, and ${n(MAX_CAUSE_TEXT)} characters of \`message\``,
        'a sanitised copy: a fetch that attaches the request to its errors cannot leak it',
      ],
      [
        'redirects',
        'never followed (`redirect: manual`)',
        '`ApiError` with the 3xx status: credentials never follow a `Location`',
      ],
    ]),
  'limits-cli': () =>
    limits([
      [
        'a whole `verify` run',
        `\`--max-time\`, default ${DEFAULT_MAX_TIME_S} s`,
        'the unfinished checks fail with that reason; the report of the rest is printed',
      ],
      [
        'each request',
        `\`--timeout-ms\`, default ${n(Number(VERIFY_FLAGS['timeout-ms'].default))} ms`,
        'that request is a finding of the check that sent it',
      ],
      [
        'pages a list check follows',
        `\`--max-pages\`, default ${VERIFY_FLAGS['max-pages'].default}, at most ${n(MAX_VERIFY_PAGES)}`,
        '`list_pagination` stops there (a list that goes on is not a failure below the limit)',
      ],
      [
        'memory a list check keeps to notice repeats',
        bytes(MAX_VERIFY_WALK_MEMORY),
        'the oldest forgotten first, as in the client',
      ],
      [
        'requests before the checks, to find the instance of each resource not named by its flag',
        "one: the first page of its list, bounded as every answer; a listed SID is taken only if it keeps the contract's rule",
        "an instance not listed is the contract's example; with none, the checks that need one are skipped, saying so",
      ],
      [
        'findings per check (over every operation it runs on)',
        String(MAX_EVIDENCE),
        'counted, not listed: "… and N more"',
      ],
      ['body problems per response', String(MAX_BODY_PROBLEMS), 'counted, not listed'],
      [
        "a quote of a service's text (a value, a URL, a message) in a report",
        `${MAX_REPORT_QUOTE} characters, redacted, control and invisible characters as \`\\uXXXX\``,
        'cut, with `…`',
      ],
      [
        'a curl or replay line `--fuzz` prints',
        `${n(MAX_COMMAND)} characters; its values shell-quoted and redacted`,
        'cut, with `…` (a case that long is not pasteable: its request line still says what was sent)',
      ],
      [
        'a report, any reporter',
        `at most ${n(reportLines)} evidence lines (${checks.length} checks × (${MAX_EVIDENCE} findings + 1) × (1 + ${MAX_BODY_PROBLEMS} problems + 1)), each quote bounded as above`,
        'whatever the service sends, a report stays this size',
      ],
      [
        'a response body in `--har` (each exchange is one entry: as many as the run sends)',
        `${n(MAX_HAR_BODY_CHARS)} characters, after \`--max-response-bytes\`; redacted, the Authorization header masked`,
        'cut; its `content.comment` says where and of how many characters (`content.size` is what was received)',
      ],
      [
        'the job summary verify appends to `$GITHUB_STEP_SUMMARY` (GitHub shows 1 MiB of a step)',
        bytes(MAX_STEP_SUMMARY_BYTES),
        'cut at a line, saying so; the whole report is in `--output` or `--reporter markdown`',
      ],
      [
        'findings an annotation quotes (one `::error` or `::warning` per check that found something)',
        String(ANNOTATION_FINDINGS),
        '"and N more in the report"; each quote bounded as above',
      ],
      [
        'a command `mock --` runs, and what it started in its process group, once the command ends, the mock is stopped (Ctrl-C, SIGTERM, SIGHUP) or the mock dies (SIGKILL included: a guardian process watches it)',
        `SIGTERM (a stop: that signal); ${n(COMMAND_STOP_GRACE_MS)} ms to end`,
        "then SIGKILL; the mock exits once the group is gone, with the command's status (128 + the signal that ended it). Out of reach: a process that leaves the group for a session of its own (`setsid`, a daemon) outlives the mock",
      ],
      [
        'requests `--fuzz` sends in all, shrinking included',
        `\`--max-requests\`, default ${n(DEFAULT_MAX_FUZZ_REQUESTS)}`,
        'what was sent is judged; a check with cases not sent is skipped, saying how many were judged (a failure found still fails it)',
      ],
      [
        'a 429 during `--fuzz`',
        `its \`Retry-After\` waited out, at most ${MAX_FUZZ_RETRY_WAIT_S} s, ${MAX_FUZZ_TRIES} tries a case`,
        'a case still answered 429 after that is not judged: its check is skipped, saying how many were (a failure found still fails it)',
      ],
      [
        'times `--fuzz` sends a minimal case again to confirm it',
        `${FUZZ_CONFIRMATIONS}, counted in \`--max-requests\`; it stops at the first answer that keeps the contract`,
        'a case that passes once sent again is reported flaky (its check still fails, exit 1); one not sent again within `--max-requests` is reported as not confirmed',
      ],
      [
        'the path and query of a case `--fuzz` sends',
        `${n(MAX_FUZZ_TARGET)} characters: with a base URL of at most ${n(MAX_BASE_URL)}, a request line within the 8,000 octets RFC 9110 §4.1 recommends servers accept`,
        'a longer case is not sent (another is generated in its place)',
      ],
      [
        'a test `--export-tests` writes of a confirmed failure',
        `its finding quoted up to ${n(MAX_EXPORTED_FINDING)} characters, its replay command up to ${n(MAX_COMMAND)} (as the report prints it), its name up to ${n(MAX_EXPORTED_NAME)}, each escaped to printable ASCII; the answer it reads, the run's ${bytes(DEFAULT_MAX_RESPONSE_BYTES)} within the run's \`--timeout-ms\``,
        'a longer finding is cut (`…`); a larger answer fails the exported test, saying so; a file that cannot be written: the report says so beside the finding, and the run goes on',
      ],
      [
        'a file the command line reads (`coverage`: each coverage file, `--baseline`, `--known-gaps`; `mock --fixtures`; `verify --known-findings`)',
        bytes(MAX_FILE_BYTES),
        'exit 2 naming the file and the limit, before it is read (a pipe or device: once the read passes it); a folder or a terminal: exit 2 naming it',
      ],
      [
        'the entries of a `verify --known-findings` file',
        `${n(MAX_KNOWN_FINDINGS)} findings; a reason, link, rule or place is quoted in a report up to ${n(MAX_REPORT_QUOTE)} characters`,
        'exit 2 naming the file, before anything is sent; a longer quote is cut (`…`)',
      ],
      [
        'JSON in a file the command line reads',
        `${MAX_JSON_DEPTH} levels deep, ${n(MAX_FILE_JSON_ITEMS)} items (array items and object members)`,
        'exit 2 naming the file and the limit, before it is parsed (one pass over the text)',
      ],
      [
        'waiting on a named pipe given as a file: one read that no one writes to, or one written that no one drains',
        'until a stop (Ctrl-C, SIGTERM, SIGHUP)',
        'exit 130/143/129, nothing written; a pipe to be written (`--output`, `--coverage`) that has no reader when the run starts: exit 2 naming it, before anything runs (open its reader first: the pipe is then held open until written, so the reader waits for the whole report)',
      ],
      [
        'a write that starts after a stop (a stopped `verify` report, `mock --coverage`) to a pipe',
        `${n(MAX_WRITE_AFTER_STOP_MS)} ms`,
        "that file is not written: verify's report goes to stdout instead, and verify exits with the stop's status; mock says so in one line naming it, and exits 3 where it would have exited 0 (the command passed, or no command: a stopped mock's 0), else with the command's status",
      ],
      [
        'waiting for another run writing the same `--baseline` (its `FILE.lock`)',
        `${n(LOCK_WAIT_MS)} ms; a lock older than ${n(LOCK_STALE_MS)} ms, or whose process is gone, is taken over`,
        'exit 2 naming the lock (remove it if no run is writing); the report was printed, the baseline is unchanged',
      ],
      [
        "a coverage file's `source` in a `coverage` report, any reporter (the merged line of sources too)",
        `${MAX_REPORT_QUOTE} characters, control and invisible characters as \`\\uXXXX\``,
        'cut, with `…`; a `source` that is not a string: exit 2 naming the file',
      ],
      [
        "an item's count in a merge",
        `${n(Number.MAX_SAFE_INTEGER)} (\`Number.MAX_SAFE_INTEGER\`)`,
        'the sum stays there, so the merge (a baseline) reads back',
      ],
    ]),
  'mcp-help': () => text(MCP_HELP),
  'mcp-tools': mcpTools,
  'limits-mcp': () =>
    limits([
      [
        'one tool result (its JSON; its structured content is the same value)',
        bytes(MAX_RESULT_BYTES),
        'a tool error naming the size and the bound, nothing of the answer shown (a list: ask for a smaller page size)',
      ],
      ["an error result's text", `${n(MAX_ERROR_CHARS)} characters`, 'cut, with `…`'],
      [
        "a response body the operation tools' client reads",
        bytes(MAX_MCP_RESPONSE_BYTES),
        "the client's `ContractViolationError` (an error status: `ApiError` with the cut body), as a tool error",
      ],
      [
        'each attempt of an operation tool',
        `the client's \`timeoutMs\`, ${n(DEFAULT_TIMEOUT_MS)} ms, retried as the client retries`,
        'a `TimeoutError`, as a tool error',
      ],
      [
        'list cursors held',
        `the last ${MAX_CURSORS}, each with its page`,
        'an older one is a tool error (list again without one); nothing is sent',
      ],
      [
        '`search_docs`',
        `a query of ${MAX_QUERY_CHARS} characters; ${MAX_HITS} hits (${DEFAULT_HITS} unless asked); an excerpt of ${EXCERPT_CHARS} characters`,
        'a longer query or a larger `limit`: a tool error naming it; an excerpt is cut, with `…`',
      ],
      [
        'a file of the package it serves (the contract, a docs page)',
        bytes(MAX_PACKAGE_FILE_BYTES),
        `the server does not start: exit ${EXIT.internal} naming the file`,
      ],
      ['docs pages served and searched', String(MAX_DOCS_PAGES), 'the rest, in name order, are not'],
      [
        'one message on standard input',
        bytes(MAX_MESSAGE_BYTES),
        `the server stops and says so on stderr, exit ${EXIT.usage}`,
      ],
      ['an HTTP request body', bytes(MAX_REQUEST_BYTES), '413, unread'],
      ['HTTP connections open at once', String(MAX_HTTP_CONNECTIONS), 'a new one is closed at once'],
      [
        'time to send one HTTP request (not the time a tool call takes)',
        `${n(REQUEST_RECEIVE_MS)} ms`,
        'the connection is closed (408)',
      ],
      [
        'a piece of a credential in a result, an error or a log line',
        `${RUN} characters; ${PATTERN_RUN} inside a value the contract holds to a pattern (a SID)`,
        'masked, and a note says where; a value masked out of its schema is answered as text only',
      ],
      [
        'a `--token-env` token',
        `at least ${MIN_TOKEN_LENGTH} printable ASCII characters, no space`,
        `exit ${EXIT.usage}, the token not shown`,
      ],
    ]),
  'limits-fake': () =>
    limits([
      ['requests in `fake.requests`', `the last ${n(MAX_LOGGED_REQUESTS)}`, 'the oldest go first'],
      [
        'next-page links remembered for coverage (`paging` items)',
        bytes(NEXT_PAGES_MEMORY),
        'the oldest are forgotten: a page reached by a link that old counts as a first page',
      ],
      [
        'an injected `delayMs`',
        `${n(MAX_TIMER_MS)} ms (setTimeout's largest)`,
        "longer (`Infinity` included): it never answers, until the request's signal aborts; a negative or non-number `delayMs` is a `TypeError` at `inject`",
      ],
      [
        'what a failure of the fake quotes of what threw (its 500)',
        `${MAX_QUOTED} characters`,
        `cut, with … and its length (counted to ${n(MAX_COUNT)}); control and invisible characters escaped; a contract problem lists at most ${MAX_BODY_PROBLEMS}`,
      ],
      [
        'a `Page` index',
        'none (the contract sets no maximum)',
        'any decimal integer ≥ 0 is a page, empty past what it holds, written back in its own digits',
      ],
      [
        'arrays an arbitrary makes where the contract sets no bound',
        `${MAX_ARRAY_LENGTH} items`,
        '`maxItems` bounds them where the contract sets one',
      ],
      [
        'strings an arbitrary makes where the contract sets no `maxLength`',
        `${n(MAX_STRING_LENGTH)} characters; 1 in ${LONG_STRING_SHARE} a long one (up to 16 characters of any code point, then a run of one printable ASCII character), the others at most 16`,
        '`maxLength` bounds them where the contract sets one',
      ],
    ]),
};

const REGION = /<!-- generated: ([a-z-]+) \(npm run docs:regions\) -->\n([\s\S]*?)\n?<!-- end: \1 -->/g;

/** The documents that may hold regions: the README and every page of docs/. */
export const documents = (): string[] => [
  'README.md',
  ...readdirSync(join(root, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .sort()
    .map((f) => `docs/${f}`),
];

/** A document with each of its regions written from the code, and the names of the regions it holds. */
export async function render(source: string): Promise<{ text: string; names: string[] }> {
  const names = [...source.matchAll(REGION)].map((m) => m[1] as string);
  const made = new Map<string, string>();
  for (const name of new Set(names)) {
    const make = regions[name];
    if (!make) throw new Error(`no region named ${name} (known: ${Object.keys(regions).join(', ')})`);
    made.set(name, await make());
  }
  const text = source.replace(
    REGION,
    (_, name: string) =>
      `<!-- generated: ${name} (npm run docs:regions) -->\n${made.get(name)}\n<!-- end: ${name} -->`,
  );
  return { text, names };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const check = process.argv.includes('--check');
  const stale: string[] = [];
  for (const doc of documents()) {
    const path = join(root, doc);
    const before = readFileSync(path, 'utf8');
    const { text: after } = await render(before);
    if (after === before) continue;
    stale.push(doc);
    if (!check) writeFileSync(path, after);
  }
  if (check && stale.length) {
    console.error(`Stale generated regions in ${stale.join(', ')}: run npm run docs:regions.`);
    process.exitCode = 1;
  } else if (stale.length) console.log(`Wrote ${stale.join(', ')}.`);
}
