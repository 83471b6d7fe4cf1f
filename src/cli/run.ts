// One run of `verify`: what it sent and found, check by check and operation by operation. Runs a check on
// each operation it fits (or once), records each exchange for the checks over the run, keeps at most
// MAX_EVIDENCE findings a run of a check, and says of each run of a check whether it passed, failed, was
// skipped (with why) or could not run. A run of a check that judged nothing is skipped, never passed.
import type {
  Check,
  Digest,
  Exchange,
  Finding,
  OperationProbe,
  OperationRun,
  Probe,
  ProbeRequest,
  VerifyOptions,
} from './check.js';
import { Skip } from './check.js';
import { checks } from './checks.js';
import type { Operation } from './operations.js';
import { operations } from './operations.js';
import type { CheckStatus } from './report.js';
import { said, words } from './said.js';
import { exchanger } from './sender.js';

/** The most findings a check reports (then `and N more problems`): a hostile answer cannot flood a report. */
export const MAX_EVIDENCE = 50;

/** A run's own verdict of a check (`warn` is the report's: what its findings mean for the run). */
export type RunStatus = Exclude<CheckStatus, 'warn'>;

/** One run of a check: on one operation (or the run), its verdict, why, what it sent and found. */
export interface Outcome {
  check: Check;
  operation?: Operation;
  status: RunStatus;
  reason?: string;
  requests: number;
  findings: Finding[];
  /** Findings past MAX_EVIDENCE, counted. */
  more: number;
}

/** A run of a check in progress: its outcome so far, its state, and how many of its requests got an answer. */
interface Running extends Outcome {
  state: unknown;
  answered: number;
}

const errorText = (error: unknown) => {
  try {
    return String((error as Error)?.message ?? error);
  } catch {
    return typeof error;
  }
};

export class VerifyRun {
  readonly digests: Digest[] = [];
  readonly outcomes: Outcome[] = [];
  /** Why the run stopped before every check finished (a signal, --max-time). */
  stopped?: string;
  private running?: Running;
  private readonly exchange: ReturnType<typeof exchanger>['exchange'];

  constructor(readonly options: VerifyOptions) {
    this.exchange = exchanger(options).exchange;
  }

  /** Adds findings to the run of a check in progress, at most MAX_EVIDENCE of them; the rest are counted. */
  keep(findings: Finding[], into: Outcome | undefined = this.running): void {
    for (const finding of findings)
      if (!into) continue;
      else if (into.findings.length < MAX_EVIDENCE) into.findings.push(finding);
      else into.more++;
  }

  /** Records a finding of the running check that is no answer's, naming the operation it runs on. */
  readonly report = (finding: Finding): void => {
    const operation = this.running?.operation?.id;
    this.keep([{ ...(operation && { operation }), ...finding }]);
  };

  /** Sends a probe's request, records it for the checks over the run, and has the running check judge it. */
  readonly send = async (request: ProbeRequest): Promise<Exchange> => {
    const running = this.running as Running;
    const x = await this.exchange(request, running.check.name);
    const problems = x.problems ?? [];
    // Only an answer that keeps the contract exercises a documented outcome: a broken one proves nothing.
    if (x.status !== undefined && !problems.length)
      this.options.coverage?.record({
        ...{ operation: x.operation, target: x.target, status: x.status, contentType: x.contentType },
        ...{ query: new URLSearchParams(x.target.split('?')[1] ?? ''), headers: x.headers, body: x.body },
      });
    this.digests.push({
      ...{ check: x.check, operation: x.operation, request: x.request, problems },
      ...{ status: x.status, error: x.error, ...(request.shrinking && { shrinking: true }) },
    });
    running.requests++;
    if (x.status !== undefined) running.answered++;
    this.keep(this.judged(running, x).map((f) => ({ operation: x.operation, ...f })));
    return x;
  };

  /**
   * What the running check finds in an answer. A judgement that throws met an answer of a shape it could not
   * read: that is a finding of this answer (the check fails), never a crash that would hide the others.
   */
  private judged(running: Running, x: Exchange): Finding[] {
    try {
      return running.check.judge?.(x, running.state, this.options) ?? [];
    } catch (error) {
      const problem = said`verify could not judge this answer (${errorText(error)}): it is not what the contract documents`;
      return [{ request: x.request, ...(x.status !== undefined && { status: x.status }), problem }];
    }
  }

  /** Runs a step of the run that is no check (finding the instances): its requests count, no verdict. */
  async before<T>(name: string, step: () => Promise<T>): Promise<T> {
    this.running = {
      check: { name, title: name, severity: 'error' },
      status: 'pass',
      requests: 0,
      findings: [],
      more: 0,
      state: undefined,
      answered: 0,
    };
    try {
      return await step();
    } finally {
      this.running = undefined;
    }
  }

  /** Why a check is skipped on an operation: its own guard, else a check it needs that did not pass there. */
  private reasonOf(check: Check, op?: Operation): string | undefined {
    const own = check.skip?.(this.options, op);
    if (own || !check.needs) return own;
    const before = this.outcomes.find((o) => o.check.name === check.needs && o.operation === op);
    if (before?.status === 'pass') return undefined;
    const why = { skip: 'was skipped', error: 'could not run', fail: 'failed', pass: '' }[
      before?.status ?? 'fail'
    ];
    return `depends on ${check.needs}, which ${before ? why : 'did not run'}`;
  }

  private notFinished(outcome: Outcome): Outcome {
    this.keep([{ request: words('(the run)'), problem: words(`not finished: ${this.stopped}`) }], outcome);
    return Object.assign(outcome, { status: 'fail' as const });
  }

  /** Runs a check with a probe on one operation (or once): its outcome, recorded. */
  async probe(check: Check, probe: Probe, op?: Operation): Promise<void> {
    const outcome: Outcome = {
      check,
      ...(op && { operation: op }),
      status: 'skip',
      requests: 0,
      findings: [],
      more: 0,
    };
    this.outcomes.push(outcome);
    const reason = this.reasonOf(check, op);
    if (reason) {
      outcome.reason = reason;
      return;
    }
    if (this.stopped) return void this.notFinished(outcome);
    const given = op ? { ...probe, operation: op } : probe;
    const running: Running = Object.assign(outcome, { state: undefined, answered: 0 });
    this.running = running;
    try {
      // (A check of the run is given no operation: its probe takes a Probe, which an OperationProbe is.)
      running.state = check.begin?.(given as OperationProbe);
      await check.probe?.(given as OperationProbe);
      this.keep(check.conclude?.(running.state, this.options) ?? []);
      this.verdict(running);
    } catch (error) {
      if (error instanceof Skip) Object.assign(outcome, { status: 'skip', reason: error.message });
      else if (this.options.signal?.aborted) {
        this.stopped = errorText(this.options.signal.reason);
        this.notFinished(outcome);
      } else {
        this.keep([
          {
            request: words('(the check)'),
            problem: words(`verify could not run this check: ${errorText(error)}`),
          },
        ]);
        outcome.status = 'error';
      }
    } finally {
      this.running = undefined;
    }
  }

  /** A finished run of a check: failed with findings; else passed if it judged an answer; else skipped, saying why. */
  private verdict(running: Running): void {
    if (running.findings.length) running.status = 'fail';
    else if (running.answered) running.status = 'pass';
    else {
      running.status = 'skip';
      running.reason = running.requests
        ? `nothing to judge: none of its ${running.requests} requests got an answer`
        : 'nothing to judge: it sent no request';
    }
  }

  /** Runs a check on every operation of the registry it fits, or once when it is a check of the run. */
  async run(check: Check, probe: Probe): Promise<void> {
    if (!check.on) return this.probe(check, probe);
    for (const op of operations)
      if (check.on.includes(op.action) && check.fits?.(op) !== false) await this.probe(check, probe, op);
  }

  /** What the run did to each operation so far: the checks on it and the requests it got. */
  operationRuns(): OperationRun[] {
    return operations.map((operation) => ({
      operation,
      checks: this.outcomes
        .filter((o) => o.operation === operation)
        .map((o) => ({ name: o.check.name, status: o.status, ...(o.reason && { reason: o.reason }) })),
      requests: this.digests.filter((d) => d.operation === operation.id).length,
    }));
  }

  /** Judges the whole run with a check over it, once every probe is done (or the run stopped). */
  overRun(check: Check): void {
    const outcome: Outcome = { check, status: 'skip', requests: this.digests.length, findings: [], more: 0 };
    this.outcomes.push(outcome);
    const reason = this.reasonOf(check);
    if (reason || check.on || !check.overRun) {
      if (reason) outcome.reason = reason;
      return;
    }
    try {
      this.keep(check.overRun(this.digests, this.operationRuns()), outcome);
    } catch (error) {
      if (!(error instanceof Skip)) {
        const problem = words(`verify could not run this check: ${errorText(error)}`);
        this.keep([{ request: words('(the run)'), problem }], outcome);
        outcome.status = 'error';
        return;
      }
      if (!this.stopped) {
        outcome.reason = error.message;
        return;
      }
    }
    // A stopped run's verdict over what was received stands when it found something; else it is unfinished.
    if (outcome.findings.length) outcome.status = 'fail';
    else if (this.stopped) this.notFinished(outcome);
    else outcome.status = 'pass';
  }

  /** Every check of the registry, in its order: the probes first, then the checks over the run. */
  async all(probe: Probe): Promise<void> {
    for (const check of checks) if (check.probe) await this.run(check, probe);
    for (const check of checks) if (!check.probe && !check.on && check.overRun) this.overRun(check);
  }
}
