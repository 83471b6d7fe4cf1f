// `verify --fuzz N`: N generated cases per operation (valid and invalid path and query values, from the
// contract's arbitraries), each sent and judged as the contract says; a failure is shrunk by fast-check
// to a minimal case (an invalid one still breaks its rule), sent again to confirm it (else it is reported
// as flaky), and reported with its request, a curl line and the verify command that replays exactly it
// (`--seed S --replay CHECK/OPERATION/KIND:PATH`). Every operation of the registry is fuzzed the same way.
// Bounded by --max-requests and --max-time. fast-check is loaded only when fuzzing (bundled into the build).
import { operationFacts, parameterRules, statusCodes } from '../../generated/contract.js';
import { secretMarker } from '../client/redact.js';
import type { OperationId } from '../client/types.js';
import { MAX_BASE_URL } from '../client/url.js';
import {
  asWritten,
  type Exchange,
  type OperationProbe,
  type Probe,
  Skip,
  type VerifyOptions,
} from './check.js';
import { exportTest } from './export-tests.js';
import { CREDENTIAL_SOURCES } from './flags.js';
import type { Arbitrary } from './fuzz-engine.js';
import { fieldOf, itemsOf } from './instances.js';
import { metaOf } from './judging.js';
import { nounOf, type Operation, operation as operationOf, operations, resourceOf } from './operations.js';
import { commandPart, joined, render, type Said, said, word, words } from './said.js';
import { parameterRule } from './seeded.js';
import { secretsOf } from './sender.js';
import { pageSizeParameter } from './walk.js';

/** One generated case: its parameters (camel-cased), and for an invalid one the rule it breaks. */
export interface FuzzCase {
  valid: boolean;
  params: Record<string, unknown>;
  breaks?: { parameter: string; path: string; keyword: string };
}

/**
 * The longest path and query a case is sent with: with a base URL of at most MAX_BASE_URL characters, the
 * request line stays within the 8,000 octets RFC 9110 §4.1 recommends every server accept.
 */
export const MAX_FUZZ_TARGET = 8_000 - MAX_BASE_URL;

/**
 * A case's path and query as sent (form style, exploded), or undefined when a URL cannot carry a value or
 * the two together would be longer than MAX_FUZZ_TARGET characters.
 */
export function encodeCase(
  operation: OperationId,
  c: FuzzCase,
): { path: Record<string, string>; query: string } | undefined {
  const path: Record<string, string> = {};
  const query: string[] = [];
  const { parameters, path: template } = operationFacts[operation];
  // The template with its placeholders counts a little more than the path it makes: the bound holds.
  let length = template.length + 1;
  try {
    for (const p of parameters) {
      const value = c.params[p.key];
      if (value === undefined) continue;
      if (p.in === 'path') {
        const encoded = encodeURIComponent(String(value));
        path[p.key] = encoded;
        length += encoded.length;
      } else
        for (const item of Array.isArray(value) ? value : [value]) {
          query.push(`${encodeURIComponent(p.name)}=${encodeURIComponent(String(item))}`);
          length += (query.at(-1) as string).length + 1;
        }
      if (length > MAX_FUZZ_TARGET) return undefined;
    }
  } catch {
    return undefined;
  }
  return { path, query: query.join('&') };
}

const STATELESS = (options: VerifyOptions) => options.mock || options.stateless === true;

/** What broke in a case's answer (none: it keeps the contract), in the report's words. */
export function judgeCase(operation: OperationId, c: FuzzCase, x: Exchange, options: VerifyOptions): Said[] {
  const status = x.status ?? 0;
  if (x.error) return [words(x.error)];
  if (status >= 500) return [said`server error ${status}`];
  const op = operationFacts[operation];
  const conformance = (x.problems ?? []).map(words);
  if (!c.valid) {
    const { parameter = '', keyword = '' } = c.breaks ?? {};
    if (status < 400 || status > 499)
      return [
        said`an invalid ${word(parameter)} (breaking ${word(keyword)}) should get a 4xx, got ${status}`,
      ];
    return conformance;
  }
  const accepted = status === op.successStatus || status === NOT_FOUND;
  if (!accepted) return [said`a valid request should get ${op.successStatus} or ${NOT_FOUND}, got ${status}`];
  const registered = operationOf(operation);
  if (status !== op.successStatus || !registered.list || STATELESS(options)) return conformance;
  return [...conformance, ...pageProblems(registered, c, x)];
}

/**
 * A parameter's value as a server reads it off the URL: text (an array's items each), an integer where its
 * rule is one and the text is digits. A value of another JSON type than its rule (`1.5` for an identity)
 * may read as a valid one: such a case is no invalid case on the wire.
 */
function onTheWire(rule: { type?: unknown }, value: unknown): unknown {
  if (rule.type === 'array') return (Array.isArray(value) ? value : [value]).map(String);
  const written = String(value);
  return rule.type === 'integer' && /^-?\d{1,16}$/.test(written) ? Number(written) : written;
}

/** Whether a case is what it says on the wire: an invalid one still breaks its parameter once sent. */
export function holdsOnTheWire(operation: OperationId, c: FuzzCase): boolean {
  if (c.valid) return true;
  const p = operationFacts[operation].parameters.find((f) => f.key === c.breaks?.parameter);
  if (!p || c.params[p.key] === undefined) return false;
  // An empty array sends nothing: the parameter is absent, which its rule allows when it is optional.
  if (Array.isArray(c.params[p.key]) && (c.params[p.key] as unknown[]).length === 0) return false;
  return !p.validate(onTheWire(parameterRule(operation, p.key), c.params[p.key]));
}

/** The page size a list answers when none is asked: its parameter's default (the contract's, by its name). */
const defaultPageSize = (name: string) =>
  (parameterRules as unknown as Record<string, { default?: unknown } | undefined>)[name]?.default;

/** A list page for valid parameters: only instances its filters allow, the page size asked, next pages on this list. */
function pageProblems(op: Operation, c: FuzzCase, x: Exchange): Said[] {
  // A body that is no page (empty, not JSON, too large): its conformance problems already say so.
  if (typeof x.body !== 'object' || x.body === null)
    return [words('the answer is not a page that can be read')];
  const problems: Said[] = [];
  const noun = nounOf(resourceOf(op));
  // What the service wrote is quoted (bounded, and masked by the report's redaction), never said as words;
  // a number as it was written.
  const shown = (path: (string | number)[], value: unknown) => asWritten(x, path, value);
  const items = itemsOf(op, x.body) ?? [];
  for (const [i, item] of items.entries()) {
    for (const f of op.list?.filters ?? []) {
      const asked = c.params[f.key];
      const allowed = Array.isArray(asked) ? asked : asked === undefined ? [] : [asked];
      const value = fieldOf(item, f.field);
      if (allowed.length && !allowed.includes(value))
        problems.push(
          said`a ${word(noun)} of ${word(f.field ?? f.key)} ${shown([op.list?.key ?? '', i, f.field ?? ''], value)} on a list filtered by ${word(f.key)}`,
        );
    }
    if (problems.length >= 3) break;
  }
  const size = pageSizeParameter(op);
  const meta = metaOf(x.body as Record<string, unknown>);
  const asked = size && (c.params[size.key] ?? defaultPageSize(size.name));
  if (size?.field && asked !== undefined && meta[size.field] !== asked)
    problems.push(
      said`meta.${word(size.field)} is ${shown(['meta', size.field], meta[size.field])}, but ${asked as number} was asked`,
    );
  const next = meta.next_page_url;
  if (typeof next === 'string' && !next.includes(x.target.split('?')[0] as string))
    problems.push(words('meta.next_page_url is not a page of this list'));
  return problems.slice(0, 3);
}

/** The cases of an operation: valid parameters (the known service and binding among them) and invalid ones. */
type Kind = 'valid' | 'invalid';

/** One kind of an operation's cases: valid parameters (the known service and binding among them), or invalid ones. */
/** The known path parameters, but for the one a case breaks. */
const except = (known: Record<string, string>, broken: string) =>
  Object.fromEntries(Object.entries(known).filter(([key]) => key !== broken));

async function casesOf(operation: OperationId, kind: Kind, known: Record<string, string>) {
  // Loaded only when fuzzing: the bundle of fast-check and the arbitraries (src/cli/fuzz-engine.ts).
  const { fc, invalidParameters, validParameters } = await import('./fuzz-engine.js');
  const params = validParameters[operation] as unknown as Arbitrary<Record<string, unknown>>;
  const cases =
    kind === 'valid'
      ? // The known SIDs first, so a failing case shrinks towards them (cross-shrinking): the minimal case
        // names the binding the run was told of rather than a SID made up along the way.
        fc.oneof(
          { withCrossShrink: true },
          params.map((p): FuzzCase => ({ valid: true, params: { ...p, ...known } })),
          params.map((p): FuzzCase => ({ valid: true, params: p })),
        )
      : fc.oneof(
          { withCrossShrink: true },
          invalidParameters[operation].map(
            (s): FuzzCase => ({
              valid: false,
              params: { ...s.params, ...except(known, s.breaks.parameter) },
              breaks: s.breaks,
            }),
          ),
          invalidParameters[operation].map(
            (s): FuzzCase => ({ valid: false, params: s.params, breaks: s.breaks }),
          ),
        );
  const sendable = (c: FuzzCase) => encodeCase(operation, c) !== undefined && holdsOnTheWire(operation, c);
  return { fc, cases: cases.filter(sendable) };
}

/** A word of a shell command as is, or single-quoted when the shell would read anything in it. */
const shellWord = (text: string) =>
  /^[\w@%+=:,./-]+$/.test(text) ? text : `'${text.replace(/'/g, "'\\''")}'`;

/**
 * The replay of a case: what a reader pastes to send it again, credentials as variables, never values.
 * The values in it (the URL, the flags' values) are quotes bounded by MAX_COMMAND, so a line is never cut
 * short of pasteable, and masked where they hold a piece of a credential; the rest are the report's words.
 */
function replayOf(
  check: string,
  operation: OperationId,
  options: VerifyOptions,
  target: string,
  path: string,
): { curl: Said; replay: Said } {
  const method = operationFacts[operation].method;
  const [user, secret] = options.credentialVariables ?? CREDENTIAL_SOURCES[0];
  // The URL as it was sent (percent-encoded by the URL parser); -g: curl reads no [] or {} in it as globs.
  let sent = `${options.baseUrl}${target}`;
  try {
    sent = new URL(sent).href;
  } catch {}
  const curl = said`curl -g -u "$${word(user)}:$${word(secret)}" -X ${word(method)} ${commandPart(shellWord(sent))}`;
  const flags = (options.replayFlags ?? ['--base-url', options.baseUrl]).map((flag) =>
    flag.startsWith('--') ? word(flag) : commandPart(shellWord(flag)),
  );
  const how = flags.reduce<Said>((all, part, i) => (i ? said`${all} ${part}` : said`${part}`), words(''));
  const replay = said`bindings-contract verify ${how} --fuzz ${options.fuzz?.runs ?? 1} --seed ${options.seed} --replay ${word(check)}:${word(path)}`;
  return { curl, replay };
}

/** A failing case as kept: its request and what broke (no body), for the report. */
interface Failed {
  request: Exchange['request'];
  status?: number;
  target: string;
  problems: Said[];
}

/** The longest a 429's Retry-After is waited out during --fuzz, in seconds (a longer one is cut to it). */
export const MAX_FUZZ_RETRY_WAIT_S = 10;
/** The most times one case is sent while it is answered 429. */
export const MAX_FUZZ_TRIES = 4;

/** Waits, unless the run is stopped first (--max-time, Ctrl-C): then it rejects with the reason. */
function wait(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const stop = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', stop);
      resolve();
    }, ms);
    signal?.addEventListener('abort', stop, { once: true });
  });
}

const NOT_FOUND = statusCodes.NotFound;

/** Why a case got no answer to judge: the run's --max-requests was spent, or it stayed rate limited. */
type Unjudged = 'over budget' | 'rate limited';

/** Sends a case through the probe (a 429 waited out, its Retry-After cut to MAX_FUZZ_RETRY_WAIT_S), or says why it could not be judged. */
async function sendCase(
  operation: OperationId,
  c: FuzzCase,
  probe: Probe,
  shrinking = false,
): Promise<Exchange | Unjudged> {
  const fuzz = probe.options.fuzz as NonNullable<VerifyOptions['fuzz']>;
  const encoded = encodeCase(operation, c) as NonNullable<ReturnType<typeof encodeCase>>;
  let x: Exchange | undefined;
  for (let tries = 0; tries < MAX_FUZZ_TRIES && (x === undefined || x.status === 429); tries++) {
    if (fuzz.sent >= fuzz.maxRequests) return 'over budget';
    if (x) {
      const seconds = Number(x.headers.get('retry-after')?.slice(0, 16));
      const waitS = Number.isFinite(seconds) && seconds >= 0 ? Math.min(MAX_FUZZ_RETRY_WAIT_S, seconds) : 1;
      await wait(waitS * 1000, probe.options.signal);
    }
    fuzz.sent++;
    x = await probe.send({
      operation,
      ...encoded,
      about: words(c.valid ? 'a valid case' : 'an invalid case'),
      ...(shrinking && { shrinking }),
    });
  }
  return x === undefined ? 'over budget' : x.status === 429 ? 'rate limited' : x;
}

/**
 * Runs one kind of an operation's cases (fast-check, its seed from the run's): each sent and judged; the
 * first failure shrunk to a minimal case of that kind. Requests past --max-requests are not sent.
 */
async function runKind(check: string, kind: Kind, probe: OperationProbe) {
  const { options, operation: op } = probe;
  const operation = op.id;
  const fuzz = options.fuzz as NonNullable<VerifyOptions['fuzz']>;
  const { fc, cases } = await casesOf(operation, kind, knownOf(probe));
  // The failing cases only (what shrinking reaches), without their bodies: bounded by --max-requests.
  const failing = new Map<string, Failed>();
  const tally: Tally = { judged: 0, 'over budget': 0, 'rate limited': 0 };
  const property = fc.asyncProperty(cases, async (c) => {
    // Once a case failed, fast-check only shrinks it: every later case is a step of that.
    const shrinking = failing.size > 0;
    const x = await sendCase(operation, c, probe, shrinking);
    if (typeof x === 'string') {
      if (!shrinking) tally[x]++;
      return true;
    }
    if (!shrinking) tally.judged++;
    const problems = judgeCase(operation, c, x, options);
    if (problems.length)
      failing.set(JSON.stringify(c), { request: x.request, status: x.status, target: x.target, problems });
    return problems.length === 0;
  });
  const replaying = fuzz.replay?.check === `${check}/${operation}/${kind}` ? fuzz.replay.path : undefined;
  if (fuzz.replay && !replaying) return { tally };
  const runs = kind === 'valid' ? Math.ceil(fuzz.runs / 2) : Math.floor(fuzz.runs / 2);
  if (!runs) return { tally };
  // fast-check cannot follow a path that names no case of this seed and --fuzz N: say so in verify's words.
  const unreplayable = (error: unknown) =>
    replaying && /unable to replay/i.test(String((error as Error | undefined)?.message))
      ? new Error(
          `--replay ${check}/${operation}/${kind}:${replaying} names no case of --seed ${options.seed} with --fuzz ${fuzz.runs}: paste the replay line the report printed`,
        )
      : error;
  // (fast-check throws an unreadable path at once, before its promise.)
  const result = await Promise.resolve()
    .then(() =>
      fc.check(property, {
        numRuns: runs,
        seed: (options.seed + 2 * fuzzIndex(op) + (kind === 'valid' ? 0 : 1)) | 0,
        ...(replaying && { path: replaying, endOnFailure: true }),
      }),
    )
    .catch((error: unknown) => {
      throw unreplayable(error);
    });
  // A run stopped (--max-time, a signal) is unfinished, never a pass; what the property threw is verify's own fault.
  options.signal?.throwIfAborted();
  if (!result.failed || result.counterexample === null) return { tally };
  const [minimal] = result.counterexample as [FuzzCase];
  const failed = failing.get(JSON.stringify(minimal));
  if (!failed && result.errorInstance) throw unreplayable(result.errorInstance);
  return { tally, found: failed && { minimal, failed, result } };
}

/** The cases of a fuzz check judged, and those that could not be (the steps of shrinking not counted). */
interface Tally {
  judged: number;
  'over budget': number;
  'rate limited': number;
}

/**
 * Runs an operation's fuzz cases, valid ones then invalid ones, and reports the minimal failure of each
 * kind, once sent again to confirm it; an invalid case that fails as its valid neighbour (the broken
 * parameter left out) does is the same fault, reported once.
 */
export async function fuzzOperation(check: string, probe: OperationProbe): Promise<void> {
  const { options } = probe;
  const operation = probe.operation.id;
  if (!options.fuzz) return;
  // A replay sends one case of one check on one operation: the others did not run, so they are skipped, never passed.
  const replayed = options.fuzz.replay?.check;
  if (replayed && !replayed.startsWith(`${check}/${operation}/`))
    throw new Skip(`--replay sends only the case of ${replayed}`);
  const unjudged: Tally = { judged: 0, 'over budget': 0, 'rate limited': 0 };
  let reported = false;
  let failedAtAll = false;
  for (const kind of ['valid', 'invalid'] as const) {
    const { tally, found } = await runKind(check, kind, probe);
    for (const key of Object.keys(unjudged) as (keyof Tally)[]) unjudged[key] += tally[key];
    if (!found) continue;
    failedAtAll = true;
    if (kind === 'invalid' && (await failsAlsoValid(operation, found.minimal, probe))) continue;
    await reportFound({ check: `${check}/${operation}/${kind}`, operation, probe, found });
    reported = true;
  }
  // A check whose cases were not all judged did not run as asked: skipped with why, never passed.
  const over = unjudged['over budget'];
  const limited = unjudged['rate limited'];
  if (!reported && (over || limited))
    throw new Skip(
      [
        `${unjudged.judged} of ${unjudged.judged + over + limited} cases judged`,
        over && `${over} not sent within --max-requests ${options.fuzz.maxRequests}`,
        limited && `${limited} still answered 429 after ${MAX_FUZZ_TRIES} tries`,
      ]
        .filter(Boolean)
        .join('; '),
    );
  // A replay that kept the contract reproduced nothing: said, never a pass of the check's N cases.
  if (replayed && !failedAtAll)
    throw new Skip(
      `--replay: the case of ${replayed} did not reproduce: it got an answer that keeps the contract (the service was fixed, or it fails only now and then)`,
    );
}

/** The most times a minimal case is sent again to confirm it before it is reported (counted in --max-requests). */
export const FUZZ_CONFIRMATIONS = 2;

/** What sending a minimal case again showed: how many times it was sent and failed, or why it could not be. */
interface Confirmation {
  sent: number;
  failed: number;
  unjudged?: Unjudged;
}

/** Sends a minimal case again, up to FUZZ_CONFIRMATIONS times, stopping at the first answer that keeps the contract. */
async function confirm(operation: OperationId, c: FuzzCase, probe: Probe): Promise<Confirmation> {
  const again: Confirmation = { sent: 0, failed: 0 };
  while (again.sent < FUZZ_CONFIRMATIONS) {
    const x = await sendCase(operation, c, probe, true);
    if (typeof x === 'string') return { ...again, unjudged: x };
    again.sent++;
    if (!judgeCase(operation, c, x, probe.options).length) return again;
    again.failed++;
  }
  return again;
}

/** A kind's minimal failure, confirmed (or found flaky) and reported with its curl and replay lines. */
async function reportFound({
  check,
  operation,
  probe,
  found: { minimal, failed, result },
}: {
  check: string;
  operation: OperationId;
  probe: Probe;
  found: NonNullable<Awaited<ReturnType<typeof runKind>>['found']>;
}): Promise<void> {
  const { options } = probe;
  const again = await confirm(operation, minimal, probe);
  const { curl, replay } = replayOf(check, operation, options, failed.target, result.counterexamplePath);
  const what = word(
    minimal.valid ? 'valid' : `invalid (${minimal.breaks?.parameter} breaks ${minimal.breaks?.keyword})`,
  );
  const how = said`found at case ${result.numRuns}, shrunk ${result.numShrinks} times`;
  const problems = joined(failed.problems, '; ');
  const why = {
    'over budget': `--max-requests ${options.fuzz?.maxRequests} spent`,
    'rate limited': `still answered 429 after ${MAX_FUZZ_TRIES} tries`,
  };
  const problem = again.unjudged
    ? said`the minimal ${what} case, not confirmed (${how}; not sent again: ${word(why[again.unjudged])}): ${problems}`
    : again.failed < again.sent
      ? said`a flaky ${what} case, not confirmed (${how}; sent again, it failed ${again.failed} of ${again.sent} times: its replay may not reproduce it): ${problems}`
      : said`the minimal ${what} case (${how}; confirmed: sent again, it failed ${again.failed} of ${again.sent} times): ${problems}`;
  const confirmed = !again.unjudged && again.failed === again.sent;
  const exported = confirmed && (await exportFound({ check, operation, probe, minimal, failed, replay }));
  probe.report({
    request: failed.request,
    ...(failed.status !== undefined && { status: failed.status }),
    problem: exported ? said`${problem}; ${exported}` : problem,
    curl,
    replay,
  });
}

/** --export-tests: a confirmed failure written as a test of its own; what the report adds of it (the file, or why not). */
async function exportFound({
  check,
  operation,
  probe: { options },
  minimal,
  failed,
  replay,
}: {
  check: string;
  operation: OperationId;
  probe: Probe;
  minimal: FuzzCase;
  failed: Failed;
  replay: Said;
}): Promise<Said | undefined> {
  const dir = options.fuzz?.exportTests;
  if (dir === undefined) return undefined;
  const marker = secretMarker(secretsOf(options));
  try {
    const path = await exportTest(
      dir,
      {
        check,
        operation,
        valid: minimal.valid,
        pages: !STATELESS(options),
        target: failed.target,
        finding: render(said`${failed.request}: ${joined(failed.problems, '; ')}`, marker),
        seed: options.seed,
        replay: render(replay, marker),
        credentialVariables: options.credentialVariables ?? CREDENTIAL_SOURCES[0],
        timeoutMs: options.timeoutMs,
        maxResponseBytes: options.maxResponseBytes,
      },
      options.signal,
    );
    return said`exported as ${commandPart(path)}`;
  } catch (error) {
    if (options.signal?.aborted) throw error;
    return said`not exported: ${(error as Error).message}`;
  }
}

/** Whether an invalid case's failure is a valid case's: the same request, its broken parameter left out, fails too. */
async function failsAlsoValid(operation: OperationId, c: FuzzCase, probe: Probe): Promise<boolean> {
  const { [c.breaks?.parameter ?? '']: _, ...rest } = c.params;
  const neighbour: FuzzCase = { valid: true, params: rest };
  if (operationFacts[operation].parameters.some((p) => p.required && rest[p.key] === undefined)) return false;
  const x = await sendCase(operation, neighbour, probe, true);
  return typeof x !== 'string' && judgeCase(operation, neighbour, x, probe.options).length > 0;
}

const ACTIONS = ['list', 'fetch', 'delete'];
/** Each operation's own seed offset, so two operations do not draw the same sequence (a list 1, a fetch 2, a delete 3, then the next of each). */
const fuzzIndex = (op: Operation) =>
  ACTIONS.indexOf(op.action) +
  1 +
  ACTIONS.length * operations.filter((o) => o.action === op.action).indexOf(op);

/**
 * The path values every case of an operation may take as they are (cross-shrinking towards them): its
 * parents, and the instance it addresses: a fetch the known one, a delete only the one the run may delete
 * (by then already deleted), never the known one.
 */
function knownOf({ operation: op, instances }: OperationProbe): Record<string, string> {
  const known: Record<string, string> = {};
  for (const p of op.parents) known[p.key] = instances.parents[p.key] ?? '';
  const sid = op.action === 'delete' ? instances.deletable[op.resource] : instances.known[op.resource]?.sid;
  if (op.sid && sid) known[op.sid.key] = sid;
  return known;
}
