// A `verify` report as the reporters render it: each check's status and evidence, in words already
// bounded and redacted, with the typed fields tools read.

/** `error`: the check could not be run (a fault of verify or of its machine, not of the target). */
export type CheckStatus = 'pass' | 'fail' | 'skip' | 'error';

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
}

export interface CheckResult {
  name: string;
  title: string;
  status: CheckStatus;
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
  summary: { passed: number; failed: number; skipped: number; errored: number };
  /** Why the run stopped before every check finished (a signal, --max-time). */
  stopped?: string;
}

/** `N passed, N failed` with `, N skipped` and `, N errored` when any were: the line runners and CI read. */
export function summaryLine({ summary }: Report): string {
  const { passed, failed, skipped, errored } = summary;
  return `${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}${errored ? `, ${errored} errored` : ''}`;
}
