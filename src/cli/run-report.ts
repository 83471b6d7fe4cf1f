// A run of verify as its report: each check's verdict over the operations it ran on (failed if it failed
// on any, skipped only if skipped on all, with the reasons), its evidence bounded and rendered in the
// report's words (each finding naming its operation), and each operation with the checks that ran on it.

import type { SecretMarker } from '../client/redact.js';
import type { Check, Finding, Instances, OperationRun, Severity, VerifyOptions } from './check.js';
import { checks } from './checks.js';
import { type Fingerprint, fingerprintOf } from './fingerprint.js';
import { type Operation, operations } from './operations.js';
import type { CheckResult, CheckStatus, Evidence, Known, OperationResult, Report } from './report.js';
import { MAX_EVIDENCE, type Outcome, type VerifyRun } from './run.js';
import { neverCalled } from './run-checks.js';
import { render, said } from './said.js';

/** What a finding means for the run: its fingerprint, its check's severity, its known entry, and whether it fails the run. */
interface Verdict {
  fingerprint: Fingerprint;
  severity: Severity;
  known?: Known;
  fails: boolean;
}

/** A finding's verdict: it fails the run unless known (and not expired), or a warning without --strict. */
function verdictOf(check: Check, finding: Finding, options: VerifyOptions): Verdict {
  const fingerprint = fingerprintOf(check.name, finding);
  const known = options.known?.match(fingerprint);
  const fails = known ? known.expired === true : check.severity === 'error' || options.strict === true;
  return { fingerprint, severity: check.severity, ...(known && { known }), fails };
}

/** A run of a check's verdict in the report: a failure that fails nothing (every finding known or a warning) warns. */
function statusOf(o: Outcome, options: VerifyOptions, findings = o.findings): CheckStatus {
  if (o.status !== 'fail' || !findings.length) return o.status;
  // Findings past MAX_EVIDENCE were not kept: they fail the run as their check's severity says.
  const unkept = o.more > 0 && (o.check.severity === 'error' || options.strict === true);
  return unkept || findings.some((f) => verdictOf(o.check, f, options).fails) ? 'fail' : 'warn';
}

/** A finding rendered as report evidence: quotes cut and redacted, the report's words as they are, its verdict. */
function evidence(check: Check, finding: Finding, marker: SecretMarker, options: VerifyOptions): Evidence {
  const { fingerprint, severity, known } = verdictOf(check, finding, options);
  return {
    ...(finding.operation && { operation: finding.operation }),
    request: render(finding.request, marker),
    ...(finding.status !== undefined && { status: finding.status }),
    problem: render(finding.problem, marker),
    ...(finding.expected && { expected: finding.expected }),
    ...(finding.during && { during: finding.during }),
    ...(finding.curl && { curl: render(finding.curl, marker) }),
    ...(finding.replay && { replay: render(finding.replay, marker) }),
    ...{ fingerprint, severity, ...(known && { known }) },
  };
}

/** One verdict of many: failed if any failed, else could not run, else warned, else passed if any passed. */
const worst = (statuses: readonly CheckStatus[]): CheckStatus =>
  (['fail', 'error', 'warn', 'pass'] as const).find((s) => statuses.includes(s)) ?? 'skip';

/** Why runs were skipped: one reason as it is; several each after what it was given for (an operation, a check). */
function reasonOf(outcomes: readonly Outcome[], of: (o: Outcome) => string): string | undefined {
  const skipped = outcomes.filter((o) => o.status === 'skip' && o.reason);
  const reasons = [...new Set(skipped.map((o) => o.reason as string))];
  if (reasons.length <= 1) return reasons[0];
  const whose = (reason: string) =>
    [...new Set(skipped.filter((o) => o.reason === reason).map(of))].join(', ');
  return reasons.map((reason) => `${whose(reason)}: ${reason}`).join('; ');
}

/** A check's result over its runs: its verdict, why it was skipped, what it sent, its evidence (bounded). */
function checkResult(
  outcomes: readonly Outcome[],
  marker: SecretMarker,
  options: VerifyOptions,
): CheckResult {
  const [{ check }] = outcomes as [Outcome];
  const status = worst(outcomes.map((o) => statusOf(o, options)));
  const findings = outcomes.flatMap((o) => o.findings);
  const more = outcomes.reduce((n, o) => n + o.more, 0) + Math.max(0, findings.length - MAX_EVIDENCE);
  const shown = findings.slice(0, MAX_EVIDENCE).map((f) => evidence(check, f, marker, options));
  if (more) shown.push({ request: '(the check)', problem: `and ${more} more problems` });
  const reason = status === 'skip' ? reasonOf(outcomes, (o) => o.operation?.id ?? 'the run') : undefined;
  const requests = check.probe ? outcomes.reduce((n, o) => n + o.requests, 0) : (outcomes[0]?.requests ?? 0);
  return {
    name: check.name,
    title: check.title,
    status,
    severity: check.severity,
    ...(reason && { reason }),
    requests,
    evidence: shown,
  };
}

/** A check's verdict on one operation: its own run there, or (a check over the run) whether it found fault there. */
function onOperation(o: Outcome, op: Operation, options: VerifyOptions): CheckStatus {
  if (o.operation) return statusOf(o, options);
  const here = o.findings.filter((f) => f.operation === op.id);
  if (here.length) return statusOf({ ...o, more: 0 }, options, here);
  // Failed elsewhere only (every finding names another operation): no fault found here.
  return o.status === 'fail' && o.findings.every((f) => f.operation !== undefined) ? 'pass' : o.status;
}

/** What the run did to an operation: each check that ran on it, the checks over the run that judged its answers. */
function operationResult(op: Operation, run: VerifyRun): OperationResult {
  const opRun = run.operationRuns().find((r) => r.operation === op) as OperationRun;
  const own = run.outcomes.filter((o) => o.operation === op);
  // The checks over the run judged this operation's answers only when it got requests.
  const overRun = opRun.requests ? run.outcomes.filter((o) => !o.check.probe && !o.check.on) : [];
  const checks = [...own, ...overRun].map((o) => {
    const status = onOperation(o, op, run.options);
    return { name: o.check.name, status, ...(status === 'skip' && o.reason && { reason: o.reason }) };
  });
  const never = neverCalled(opRun);
  const status = never ? 'fail' : worst(checks.map((c) => c.status));
  const reason = never ?? (status === 'skip' ? reasonOf(own, (o) => o.check.name) : undefined);
  return {
    ...{ operation: op.id, method: op.method, path: op.path, status },
    ...(reason && { reason }),
    ...{ requests: opRun.requests, checks },
  };
}

/** The report of a run: every check in the registry's order, every operation, the instances, the tally. */
export function reportOf(run: VerifyRun, instances: Instances, marker: SecretMarker): Report {
  const ordered = checks.map((check) =>
    checkResult(
      run.outcomes.filter((o) => o.check === check),
      marker,
      run.options,
    ),
  );
  const { known, strict } = run.options;
  const count = (status: CheckStatus) => ordered.filter((r) => r.status === status).length;
  const used = Object.entries(instances.known).flatMap(([resource, known]) =>
    known ? [{ resource, ...known }] : [],
  );
  return {
    tool: 'bindings-contract verify',
    baseUrl: render(said`${run.options.baseUrl}`, marker),
    mock: run.options.mock,
    seed: run.options.seed,
    checks: ordered,
    operations: operations.map((op) => operationResult(op, run)),
    instances: used,
    summary: {
      passed: count('pass'),
      failed: count('fail'),
      skipped: count('skip'),
      errored: count('error'),
      // Only when a check warned: a report with none reads as it did before warnings existed.
      ...(count('warn') && { warned: count('warn') }),
    },
    ...(run.stopped && { stopped: run.stopped }),
    ...(strict && { strict }),
    ...(known && {
      knownFindings: { file: known.file, entries: known.entries.length, notFound: known.notFound() },
    }),
  };
}
