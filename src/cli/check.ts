// What a check of `verify` is made of (./checks.ts holds the registry of checks), what it sends and
// sees, and the guards that say when one cannot apply: types and small combinators, no behaviour of a
// run (that is ./verify.ts).
import type { Redact } from '../client/redact.js';
import type { OperationId } from '../client/types.js';
import type { CoverageRecorder } from '../testing/coverage.js';
import type { HarRecorder } from './har.js';
import type { KnownFindings } from './known-findings.js';
import type { Action, Operation } from './operations.js';
import type { Said } from './said.js';
import type { Random } from './seeded.js';

/** The instances a caller named: each parent's value by key, and by resource the one to check and the one to delete. */
export interface GivenInstances {
  /** A parent path parameter's value by its key (`chatServiceSid`): --chat-service-sid. */
  parents?: Record<string, string>;
  /** By resource (its component schema), an instance that exists: --binding-sid. */
  known?: Record<string, string>;
  /** By resource, an instance verify may delete: --delete-binding-sid. Nothing is deleted without it. */
  deletable?: Record<string, string>;
}

/** Where the instance a run checks came from. */
export type Found = 'named' | 'listed' | 'example';

/** The instances a run works on, once resolved: every parent, and by resource the known one and the deletable one. */
export interface Instances {
  parents: Record<string, string>;
  known: Record<string, { sid: string; found: Found } | undefined>;
  deletable: Record<string, string | undefined>;
}

export interface VerifyOptions {
  baseUrl: string;
  username: string;
  password: string;
  /** The instances the caller named; the others are found by listing, else taken from the contract's examples. */
  instances?: GivenInstances;
  seed: number;
  timeoutMs: number;
  /** The embedded mock: stateless, accepts any well-formed credentials, so some checks cannot apply. */
  mock: boolean;
  /** The target keeps no state (an external mock, --stateless): the same checks cannot apply. */
  stateless?: boolean;
  /** How many pages a list walk follows at most. */
  maxPages: number;
  /** The page size a list walk asks for. */
  pageSize: number;
  /** The most bytes of a response body read. */
  maxResponseBytes: number;
  /** Stops the run (Ctrl-C, --max-time): no further request; the checks not finished fail, with why. */
  signal?: AbortSignal;
  /** Records what of the contract the target's answers exercised (--coverage). */
  coverage?: CoverageRecorder;
  /** --fuzz N: cases per operation, the most requests they may send (and how many they have), a case to replay. */
  fuzz?: {
    runs: number;
    maxRequests: number;
    sent: number;
    /** The case to replay: which (`fuzz_list/ListServiceBinding/valid`, check, operation and kind) and fast-check's path to it. */
    replay?: { check: string; path: string };
    /** --export-tests DIR: each confirmed failure written there as a test of its own (src/cli/export-tests.ts). */
    exportTests?: string;
  };
  /** The flags a replay command repeats for the target (`--base-url URL`, `--mock stateful`); the run adds its instances'. */
  replayFlags?: string[];
  /** The environment variables the credentials came from, for a curl line (default BINDINGS_USERNAME, BINDINGS_PASSWORD). */
  credentialVariables?: readonly [string, string];
  /** The fetch requests go through (default the global one): a bench drives an in-process fake with it. */
  fetch?: typeof globalThis.fetch;
  /** Told of every exchange as it ends (--har): the request as sent, credentials included, and its answer. */
  record?: HarRecorder['record'];
  /** --strict: warnings (verify's recommendations) and known findings no longer found fail the run too. */
  strict?: boolean;
  /** --known-findings FILE: the findings accepted for now; the run fails only on the others. */
  known?: KnownFindings;
}

/** A list filter a probe asks for: the parameter's key and the one value given. */
export interface Filter {
  key: string;
  value: string;
  /** The known instance's SID, which holds that value: a whole filtered list must list it. */
  sid?: string;
}

/** A request a check sends. */
export interface ProbeRequest {
  /** The operation whose documented responses judge the answer. */
  operation: OperationId;
  /** Default: the operation's method. */
  method?: string;
  /** Path parameters by camel-cased key (`chatServiceSid`), each as sent: already percent-encoded. */
  path: Record<string, string>;
  /** The query as sent (already encoded), without `?`. */
  query?: string;
  /** The path and query as sent, instead of `path` and `query`: a page URL the service wrote. */
  target?: string;
  /** Default: the operation's Accept. */
  accept?: string;
  credentials?: 'valid' | 'none' | 'wrong';
  /** What the request tries, for the evidence: `sid with a wrong prefix value`. */
  about?: Said;
  /** The list filter it asks for. */
  filter?: Filter;
  /**
   * A step of shrinking a failure found by --fuzz: its own check reports the minimal case; the checks over
   * the whole run leave it out, so one fault is not reported once per step.
   */
  shrinking?: boolean;
}

/** One request and its answer, as a check judges it (the body is let go once it has been judged). */
export interface Exchange {
  check: string;
  operation: OperationId;
  /** The request as a line of the report, credentials never shown. */
  request: Said;
  /** The path and query it was sent to. */
  target: string;
  about?: Said;
  filter?: Filter;
  status?: number;
  contentType: string;
  headers: Headers;
  /** The parsed body (JSON), or a short excerpt of a text one; undefined when empty or unreadable. */
  body: unknown;
  /** The source text of the number at a path of the JSON body (keys and indexes), as the service wrote it. */
  numberText?: (path: readonly (string | number)[]) => string | undefined;
  /** Masks the run's credentials (and any piece of them) in what a check reads of this answer. */
  redact: Redact;
  /** Why the body could not be read or parsed (too large, too deep, not JSON…). */
  bodyProblem?: string;
  /** Why there was no answer. */
  error?: string;
  /** Where the answer breaks what the contract documents for its status (redacted, bounded). */
  problems?: string[];
}

/**
 * A value of an answer's body as a quote shows it: a number as the service wrote it (its source text, where
 * JSON.parse rounds an integer past 2^53), a string in double quotes, anything else as String shows it.
 */
export function asWritten(x: Exchange, path: readonly (string | number)[], value: unknown): string {
  if (typeof value === 'number') return x.numberText?.(path) ?? String(value);
  return typeof value === 'string' ? `"${value}"` : String(value);
}

/** What the run keeps of an exchange once judged: what the checks over the whole run read. */
export interface Digest {
  check: string;
  operation: OperationId;
  request: Said;
  status?: number;
  error?: string;
  problems: string[];
  /** Sent while shrinking a --fuzz failure (see ProbeRequest). */
  shrinking?: boolean;
}

/** What broke, found in an exchange (or in the run): typed fields, and the words of the report. */
export interface Finding {
  request: Said;
  /** The operation whose request it was (none for a finding of the run, or of the contract). */
  operation?: OperationId;
  status?: number;
  problem: Said;
  /** The statuses that were expected, where a status was wrong. */
  expected?: readonly number[];
  /** The check whose request it was, for a check over the whole run. */
  during?: string;
  /** A curl line that sends the request again (credentials as variables, never their values). */
  curl?: Said;
  /** The verify command that replays exactly this case. */
  replay?: Said;
  /**
   * The rule broken, in the report's words without any value the service sent (its known-findings
   * fingerprint); default: the problem's words, each quote left out.
   */
  rule?: string;
  /** Where it broke (a JSON pointer, a header's name, a parameter's key), without values; part of the fingerprint. */
  where?: string;
}

/** Facts a check learns for the checks after it: each resource's known instance, as fetched. */
export interface RunFacts {
  known: Record<string, Record<string, unknown>>;
}

/** What a check's probe is given: the target, the instances, and a way to send requests to it. */
export interface Probe {
  options: VerifyOptions;
  random: Random;
  instances: Instances;
  send(request: ProbeRequest): Promise<Exchange>;
  /** Records a finding that is no answer's (a request the check could not make). */
  report(finding: Finding): void;
  facts: RunFacts;
}

/** What a check that runs on each operation it fits is given: the probe, and that operation. */
export interface OperationProbe extends Probe {
  operation: Operation;
}

/** Why a check cannot apply to this target or operation (undefined: it applies), and `when` that is, for the help. */
export type Guard = ((options: VerifyOptions, operation?: Operation) => string | undefined) & {
  when?: string;
};

/** A guard, with the words the help uses for when it skips a check. */
export const guard = (
  when: string,
  reason: (options: VerifyOptions, operation?: Operation) => string | undefined,
): Guard => Object.assign(reason, { when });

/** A check that learns, while its probe runs, that it cannot apply: it is skipped, with the reason. */
export class Skip extends Error {}

/**
 * What a check's findings mean for the run: `error`, the contract (or the HTTP specification it relies on)
 * forbids what was found, and the run fails; `warning`, verify's own recommendation, reported but failing
 * the run only under --strict.
 */
export type Severity = 'error' | 'warning';

/** What every check has: a name, its words, its severity, when it is skipped, and how it judges what it sent. */
interface CheckBase<State> {
  name: string;
  title: string;
  severity: Severity;
  /** Why a check is a warning: what lets a service do what it found (the help and the docs say it). */
  allowedBy?: string;
  /** What the check proves, in one sentence (the CLI's help lists it, with when it is skipped). */
  proves?: string;
  skip?: Guard;
  /** When its probe finds it cannot apply (it throws Skip), in words for the help. */
  skipsWhen?: string;
  /** A check that must have passed first, on the same operation (the destructive ones build on each other). */
  needs?: string;
  /** What broke in one exchange, judged as it is answered: no finding means it keeps the contract. */
  judge?(x: Exchange, state: State, options: VerifyOptions): Finding[];
  /** What broke across its exchanges on one operation, once its probe is done. */
  conclude?(state: State, options: VerifyOptions): Finding[];
}

/** A check that runs on every operation of the registry it fits: once per operation, which its findings name. */
export interface OperationCheck<State = unknown> extends CheckBase<State> {
  /** The actions it fits (a list, a fetch, a delete). */
  on: readonly Action[];
  /** Among those, the operations it fits (a list with filters, a path's first operation); default all. */
  fits?(operation: Operation): boolean;
  /** A fresh state for its run on one operation (what its judgements remember across exchanges). */
  begin?(probe: OperationProbe): State;
  /** Sends the check's requests for one operation. */
  probe(probe: OperationProbe): Promise<unknown>;
}

/** What a run records of each operation, for a check over the run: the checks on it, and the requests it got. */
export interface OperationRun {
  operation: Operation;
  checks: readonly { name: string; status: 'pass' | 'fail' | 'skip' | 'error'; reason?: string }[];
  requests: number;
}

/** A check of the run: its probe runs once (no operation of its own), or it judges the whole run after every probe. */
export interface RunCheck<State = unknown> extends CheckBase<State> {
  on?: undefined;
  /** A fresh state for its run (what its judgements remember across exchanges). */
  begin?(probe: Probe): State;
  /** Sends the check's requests. A check without one judges the whole run, after every probe. */
  probe?(probe: Probe): Promise<unknown>;
  /** A check without a probe: what broke anywhere in the run, judged after every probe. */
  overRun?(run: readonly Digest[], operations: readonly OperationRun[]): Finding[];
}

export type Check<State = unknown> = OperationCheck<State> | RunCheck<State>;

/** The first reason any of the guards gives. */
export const anyOf = (...guards: Guard[]): Guard =>
  guard(
    guards
      .map((g) => g.when)
      .filter(Boolean)
      .join(', or '),
    (options, operation) => {
      for (const g of guards) {
        const reason = g(options, operation);
        if (reason) return reason;
      }
      return undefined;
    },
  );

/** When a check is skipped, in words: its guard's, the check it needs, and what its probe may find. */
export function skippedWhen(check: Check): string | undefined {
  const when = [check.skip?.when, check.needs && `unless ${check.needs} passed`, check.skipsWhen].filter(
    Boolean,
  );
  return when.length ? `Skipped ${when.join(', or ')}.` : undefined;
}
