// A `verify` report as the reporters render it: each check's status and evidence, in words already
// bounded and redacted, with the typed fields tools read.

import type { Severity } from './check.js';
import type { Fingerprint } from './fingerprint.js';

export type { Fingerprint, Severity };

/**
 * `error`: the check could not be run (a fault of verify or of its machine, not of the target); `warn`: it
 * found only what does not fail the run (verify's recommendations without --strict, known findings).
 */
export type CheckStatus = 'pass' | 'fail' | 'warn' | 'skip' | 'error';

/** A finding's entry in the known-findings file (--known-findings): why it is accepted, and until when. */
export interface Known {
  reason: string;
  link?: string;
  /** YYYY-MM-DD: the last day it is accepted. */
  expires?: string;
  /** Its expiry has passed: the finding fails the run again. */
  expired?: true;
}

export interface Evidence {
  /** The operation whose request it was (`ListServiceBinding`); none for a finding of the run itself. */
  operation?: string;
  /** The request as sent, credentials never shown: `GET /v1/… (no credentials)`. */
  request: string;
  status?: number;
  /** What broke. */
  problem: string;
  /** The statuses that were expected, where a status was wrong. */
  expected?: readonly number[];
  /** The check whose request it was, for a check over the whole run. */
  during?: string;
  /** A curl line that sends the request again (credentials as variables, never their values). */
  curl?: string;
  /** The verify command that replays exactly this case. */
  replay?: string;
  /** What makes it the same finding on another run (none for `and N more problems`). */
  fingerprint?: Fingerprint;
  /** Its check's: `error` fails the run, `warning` (verify's recommendation) only under --strict. */
  severity?: Severity;
  /** Its entry in the known-findings file, when one matches: the finding is shown, and fails nothing. */
  known?: Known;
}

export interface CheckResult {
  name: string;
  title: string;
  status: CheckStatus;
  /** `error`: what it finds the contract forbids; `warning`: verify's recommendation. */
  severity?: Severity;
  reason?: string;
  requests: number;
  evidence: Evidence[];
}

/** What the run did to one operation of the contract: each check on it (or over its answers), and its verdict. */
export interface OperationResult {
  operation: string;
  method: string;
  path: string;
  /** fail: a check failed on it, or it was never called; skip: every check on it was skipped. */
  status: CheckStatus;
  /** Why it was skipped (its checks' reasons), or never called. */
  reason?: string;
  /** The requests the run sent it. */
  requests: number;
  checks: { name: string; status: CheckStatus; reason?: string }[];
}

/** An instance the run checked, and where it came from: named by a flag, the first listed, the contract's example. */
export interface InstanceUsed {
  resource: string;
  sid: string;
  found: 'named' | 'listed' | 'example';
}

export interface Report {
  tool: string;
  baseUrl: string;
  /** Whether the target was the embedded Prism mock. */
  mock: boolean;
  /** Without --base-url, the embedded mock checked and how it was chosen: `the embedded stateful fake (--mock stateful, the default)`. */
  target?: string;
  seed: number;
  checks: CheckResult[];
  /** Each operation of the contract, in the run's order (a report of verify before 1.3 has none). */
  operations?: OperationResult[];
  /** The instance of each resource the run checked. */
  instances?: InstanceUsed[];
  /** `warned`: the checks that found only what fails nothing (warnings, known findings). */
  summary: { passed: number; failed: number; skipped: number; errored: number; warned?: number };
  /** Why the run stopped before every check finished (a signal, --max-time). */
  stopped?: string;
  /** --strict: warnings and known findings no longer found fail the run too. */
  strict?: boolean;
  /** With --known-findings: the file, and its entries that no run of this one found (the file can shrink). */
  knownFindings?: { file: string; entries: number; notFound: (Fingerprint & Known)[] };
}

/** `N passed, N failed` with skipped, errored, warned and known findings not found when any: the line runners and CI read. */
export function summaryLine({ summary, knownFindings }: Report): string {
  const { passed, failed, skipped, errored, warned } = summary;
  const gone = knownFindings?.notFound.length;
  return `${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}${errored ? `, ${errored} errored` : ''}${warned ? `, ${warned} warned` : ''}${gone ? `, ${gone} known ${gone === 1 ? 'finding' : 'findings'} no longer found` : ''}`;
}

/** What a finding means for the run, in a line of the report: known (and until when), expired, or a warning. */
export function verdictLine(e: Evidence, strict = false): string | undefined {
  const { known } = e;
  if (known?.expired)
    return `known (${known.reason}), but its entry expired after ${known.expires}: it fails the run again`;
  if (known)
    return `known: ${known.reason}${known.link ? ` (${known.link})` : ''}${known.expires ? `; accepted until ${known.expires}` : ''}`;
  if (e.severity === 'warning')
    return `warning: verify's recommendation, not the contract's rule${strict ? ' (--strict: it fails the run)' : ' (it fails the run only with --strict)'}`;
  return undefined;
}

/** The known-findings entries no finding of the run matched, each a line: the file can shrink. */
export function notFoundLines({ knownFindings, strict }: Report): string[] {
  if (!knownFindings?.notFound.length) return [];
  return [
    `Known findings no longer found (remove them from ${knownFindings.file}${strict ? '; --strict fails the run on them' : ''}):`,
    ...knownFindings.notFound.map(
      (f) =>
        `  ${f.check}${f.operation ? ` ${f.operation}` : ''}: ${f.rule}${f.where ? ` at ${f.where}` : ''}`,
    ),
  ];
}
