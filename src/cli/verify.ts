// The contract check: runs the checks of ./checks.ts against a service in the table's order, judging each
// answer as it arrives (its body is let go once judged, so a run holds what it found, not what it read),
// and reports check by check. A check that could not run is reported as an error, never as a pass, and a
// stopped run keeps the verdicts of the checks it finished.
import { operationFacts } from '../../generated/contract.js';
import { basicAuthorization } from '../client/basic-auth.js';
import { parseJson, readBody } from '../client/body.js';
import { bounds } from '../client/bounds.js';
import { type SecretMarker, secretMarker, secretRedactor } from '../client/redact.js';
import { excerpt, mediaType } from '../client/response.js';
import { buildPath } from '../client/url.js';
import { type AnswerToJudge, conformance } from '../testing/conformance.js';
import type { Check, Digest, Exchange, Finding, Probe, ProbeRequest, VerifyOptions } from './check.js';
import { Skip } from './check.js';
import { checks } from './checks.js';
import { numberText } from './number-text.js';
import type { CheckResult, CheckStatus, Evidence, Report } from './report.js';
import { render, type Said, said, word, words } from './said.js';
import { seededRandom } from './seeded.js';

export type { VerifyOptions };

/** The most findings a check reports (then `and N more problems`): a hostile answer cannot flood a report. */
export const MAX_EVIDENCE = 50;

/** One check's run: its state, what it found so far (at most MAX_EVIDENCE, the rest counted), its requests. */
interface Running {
  check: Check;
  state: unknown;
  findings: Finding[];
  more: number;
  requests: number;
}

const LABELS = { valid: '', none: ' (no credentials)', wrong: ' (wrong credentials)' } as const;

/** Sends a probe's requests to the target, within the timeout and the size limit; judges each answer. */
function sender(options: VerifyOptions, digests: Digest[], now: () => Running | undefined) {
  const authorization = basicAuthorization(options.username, options.password);
  // Every form the secret travels in: the password and the Basic header's base64 token (not its "Basic "
  // scheme, which is no secret).
  const secrets = [options.password, authorization.slice(authorization.indexOf(' ') + 1)];
  const redact = secretRedactor(secrets);
  const wrongPassword = `wrong-${Math.floor(seededRandom(options.seed ^ 0x5eed)() * 1e9).toString(36)}`;

  async function answer(x: Exchange, url: string, init: RequestInit): Promise<void> {
    const bound = bounds(options.timeoutMs, options.signal);
    try {
      const response = await bound.race((options.fetch ?? fetch)(url, { ...init, signal: bound.signal }));
      const { text, truncated, charset } = await readBody(response, options.maxResponseBytes, bound.race);
      x.status = response.status;
      x.headers = response.headers;
      x.contentType = mediaType(response.headers.get('content-type'));
      if (truncated)
        x.bodyProblem = `is larger than ${options.maxResponseBytes} bytes (--max-response-bytes)`;
      else if (charset)
        x.bodyProblem = `declares the charset ${redact(JSON.stringify(charset))}, which cannot be decoded`;
      else if (text) {
        const parsed = parseJson(text);
        if ('value' in parsed) {
          x.body = parsed.value;
          // A number is quoted as written: the text is kept only while the answer is judged.
          x.numberText = (path) => numberText(text, path);
        } else if (x.contentType.endsWith('json')) x.bodyProblem = parsed.problem;
        else x.body = excerpt(redact(text), redact);
      }
    } catch (error) {
      if (options.signal?.aborted) throw options.signal.reason;
      const reason = bound.timedOut
        ? `no answer within ${options.timeoutMs} ms`
        : String((error as Error)?.message ?? error);
      x.error = `no response: ${redact(redact(reason).slice(0, 200))}`;
    } finally {
      bound.end();
    }
  }

  return async function send(request: ProbeRequest): Promise<Exchange> {
    // A run that was stopped sends nothing more: the probe in progress ends here.
    options.signal?.throwIfAborted();
    const running = now() as Running;
    const op = operationFacts[request.operation];
    const { method = op.method, accept = op.accept, credentials = 'valid' } = request;
    const named = Object.fromEntries(op.parameters.map((p) => [p.name, request.path[p.key] ?? '']));
    const target =
      request.target ??
      buildPath(op.path, named, (encoded) => encoded) + (request.query ? `?${request.query}` : '');
    const headers: Record<string, string> = { Accept: accept };
    if (credentials !== 'none')
      headers.Authorization = basicAuthorization(
        options.username,
        credentials === 'wrong' ? wrongPassword : options.password,
      );
    const line = said`${word(method)} ${target}${word(accept === op.accept ? '' : ` (Accept: ${accept})`)}${word(LABELS[credentials])}`;
    const x: Exchange = {
      check: running.check.name,
      operation: request.operation,
      request: line,
      target,
      ...(request.about && { about: request.about }),
      ...(request.filter && { filter: request.filter }),
      contentType: '',
      headers: new Headers(),
      body: undefined,
      redact,
    };
    await answer(x, `${options.baseUrl}${target}`, { method, headers, redirect: 'manual' });
    options.signal?.throwIfAborted();
    const problems =
      x.status === undefined ? [] : asWrittenIn(conformance(x as AnswerToJudge, { redact }), x);
    // Only an answer that keeps the contract exercises a documented outcome: a broken one proves nothing.
    if (x.status !== undefined && !problems.length)
      options.coverage?.record({
        operation: x.operation,
        target,
        query: new URLSearchParams(target.split('?')[1] ?? ''),
        status: x.status,
        contentType: x.contentType,
        headers: x.headers,
        body: x.body,
      });
    x.problems = problems;
    digests.push({
      check: x.check,
      request: line,
      status: x.status,
      error: x.error,
      problems,
      ...(request.shrinking && { shrinking: true }),
    });
    running.requests++;
    keep(running, running.check.judge?.(x, running.state, options) ?? []);
    return x;
  };
}

/** A body problem's number as JSON.parse read it: `body /meta/page_size: … (got 8261414824119458000)`. */
const GOT_NUMBER = /^(body (\/.*?): .*\(got (?:number )?)(-?\d[\d.eE+-]*)\)$/;

/**
 * The conformance problems with each number they quote as the service wrote it (its source text, where
 * JSON.parse rounds an integer past 2^53); only a literal that reads as the very number quoted replaces it.
 */
function asWrittenIn(problems: string[], x: Exchange): string[] {
  return problems.map((problem) => {
    const [, before, pointer = '', read] = GOT_NUMBER.exec(problem) ?? [];
    const path = pointer
      .split('/')
      .slice(1)
      .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'));
    const literal = read === undefined ? undefined : x.numberText?.(path);
    return literal !== undefined && literal !== read && Number(literal) === Number(read)
      ? `${before}${literal})`
      : problem;
  });
}

/** Adds findings to a check's run, at most MAX_EVIDENCE of them; the rest are counted. */
function keep(running: Running, findings: Finding[]): void {
  for (const finding of findings)
    if (running.findings.length < MAX_EVIDENCE) running.findings.push(finding);
    else running.more++;
}

/** A finding rendered as report evidence: quotes cut and redacted, the report's words as they are. */
function evidence(finding: Finding, marker: SecretMarker): Evidence {
  return {
    request: render(finding.request, marker),
    ...(finding.status !== undefined && { status: finding.status }),
    problem: render(finding.problem, marker),
    ...(finding.expected && { expected: finding.expected }),
    ...(finding.during && { during: finding.during }),
    ...(finding.curl && { curl: render(finding.curl, marker) }),
    ...(finding.replay && { replay: render(finding.replay, marker) }),
  };
}

const errorText = (error: unknown) => {
  try {
    return String((error as Error)?.message ?? error);
  } catch {
    return typeof error;
  }
};

export async function verify(options: VerifyOptions): Promise<Report> {
  const digests: Digest[] = [];
  let running: Running | undefined;
  const send = sender(options, digests, () => running);
  const marker = secretMarker([
    options.password,
    basicAuthorization(options.username, options.password).split(' ')[1] as string,
  ]);
  const facts = {};
  const probe: Probe = {
    options,
    random: seededRandom(options.seed),
    known: {
      chatServiceSid: encodeURIComponent(options.chatServiceSid),
      sid: encodeURIComponent(options.bindingSid),
    },
    send,
    facts,
    report: (finding) => running && keep(running, [finding]),
  };
  const results = new Map<Check, CheckResult>();
  let stopped: string | undefined;
  const result = (check: Check, status: CheckStatus, found: Partial<CheckResult> = {}): CheckResult => {
    const made = { name: check.name, title: check.title, status, requests: 0, evidence: [], ...found };
    results.set(check, made);
    return made;
  };
  /** Why a check is skipped: its own guard, else a check it needs that did not pass. */
  const reasonOf = (check: Check) => {
    const own = check.skip?.(options);
    if (own || !check.needs) return own;
    const needed = checks.find((c) => c.name === check.needs);
    const before = needed && results.get(needed);
    if (before?.status === 'pass') return undefined;
    const why = { skip: 'was skipped', error: 'could not run', fail: 'failed' }[before?.status ?? 'fail'];
    return `depends on ${check.needs}, which ${before ? why : 'did not run'}`;
  };
  const finished = (r: Running): Partial<CheckResult> => {
    const shown = r.findings.map((f) => evidence(f, marker));
    if (r.more) shown.push({ request: '(the check)', problem: `and ${r.more} more problems` });
    return { requests: r.requests, evidence: shown };
  };
  const notFinished = () => [{ request: '(the run)', problem: `not finished: ${stopped}` }];

  for (const check of checks) {
    if (!check.probe) continue;
    const reason = reasonOf(check);
    if (reason) {
      result(check, 'skip', { reason });
      continue;
    }
    if (stopped) {
      result(check, 'fail', { evidence: notFinished() });
      continue;
    }
    running = { check, state: check.begin?.(), findings: [], more: 0, requests: 0 };
    try {
      await check.probe(probe);
      keep(running, check.conclude?.(running.state, options) ?? []);
      result(check, running.findings.length ? 'fail' : 'pass', finished(running));
    } catch (error) {
      if (error instanceof Skip) result(check, 'skip', { reason: error.message });
      else if (options.signal?.aborted) {
        stopped = errorText(options.signal.reason);
        result(check, 'fail', { requests: running.requests, evidence: notFinished() });
      } else {
        const problem = words(`verify could not run this check: ${errorText(error)}`);
        keep(running, [{ request: words('(the check)'), problem }]);
        result(check, 'error', finished(running));
      }
    }
  }
  // The checks over the whole run, now that every probe is done (or the run stopped).
  running = undefined;
  for (const check of checks) {
    if (check.probe || !check.overRun) continue;
    const reason = reasonOf(check);
    if (reason) {
      result(check, 'skip', { reason });
      continue;
    }
    const r: Running = { check, state: undefined, findings: [], more: 0, requests: digests.length };
    try {
      keep(r, check.overRun(digests));
      // A stopped run's verdict over what was received stands when it found something; else it is unfinished.
      if (!r.findings.length && stopped)
        result(check, 'fail', { requests: r.requests, evidence: notFinished() });
      else result(check, r.findings.length ? 'fail' : 'pass', finished(r));
    } catch (error) {
      keep(r, [
        {
          request: words('(the run)'),
          problem: words(`verify could not run this check: ${errorText(error)}`),
        },
      ]);
      result(check, 'error', finished(r));
    }
  }
  const ordered = checks.map((check) => results.get(check) as CheckResult);
  const count = (status: CheckStatus) => ordered.filter((r) => r.status === status).length;
  return {
    tool: 'bindings-contract verify',
    baseUrl: render(said`${options.baseUrl}`, marker),
    mock: options.mock,
    seed: options.seed,
    checks: ordered,
    summary: {
      passed: count('pass'),
      failed: count('fail'),
      skipped: count('skip'),
      errored: count('error'),
    },
    ...(stopped && { stopped }),
  };
}

export type { Said };
