// The contract check: runs the checks of ./checks.ts against a service, in the table's order, and
// reports, check by check, where its answers break the contract.
import { operationFacts } from '../../generated/contract.js';
import { basicAuthorization } from '../client/basic-auth.js';
import { parseJson, readBody } from '../client/body.js';
import { bounds } from '../client/bounds.js';
import { type Redact, secretRedactor } from '../client/redact.js';
import { excerpt, mediaType } from '../client/response.js';
import type { OperationId } from '../client/types.js';
import { buildPath } from '../client/url.js';
import { type Check, checks, MOCK_SKIP } from './checks.js';
import { type Random, seededRandom } from './seeded.js';

export { MOCK_SKIP };

export type CheckStatus = 'pass' | 'fail' | 'skip';

/** The most problems a check reports (then `and N more problems`): a hostile answer cannot flood a report. */
export const MAX_EVIDENCE = 50;

export interface Evidence {
  /** The request as sent, credentials never shown: `GET /v1/… (no credentials)`. */
  request: string;
  status?: number;
  /** What broke. */
  problem: string;
}

export interface CheckResult {
  name: string;
  title: string;
  status: CheckStatus;
  reason?: string;
  requests: number;
  evidence: Evidence[];
}

export interface Report {
  tool: string;
  baseUrl: string;
  /** Whether the target was the embedded Prism mock. */
  mock: boolean;
  seed: number;
  checks: CheckResult[];
  summary: { passed: number; failed: number; skipped: number };
}

export interface VerifyOptions {
  baseUrl: string;
  username: string;
  password: string;
  chatServiceSid: string;
  bindingSid: string;
  seed: number;
  timeoutMs: number;
  /** The embedded mock: stateless, accepts any well-formed credentials, so some checks cannot apply. */
  mock: boolean;
  /** How many pages a list walk follows at most. */
  maxPages: number;
  /** The page size a list walk asks for. */
  pageSize: number;
  /** A binding the destructive checks may delete; without it they are skipped. */
  deleteBindingSid?: string;
  /** The most bytes of a response body read. */
  maxResponseBytes: number;
  /** Stops the run (Ctrl-C, --max-time): no further request; the checks not finished fail, with why. */
  signal?: AbortSignal;
}

/** A request a check sends. */
export interface Request {
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
  about?: string;
}

export interface Exchange {
  check: string;
  operation: OperationId;
  /** The request as a line of the report, credentials never shown. */
  request: string;
  /** The path and query it was sent to. */
  target: string;
  about?: string;
  status?: number;
  contentType: string;
  headers: Headers;
  /** The parsed body (JSON), or a short excerpt of a text one; undefined when empty or unreadable. */
  body: unknown;
  /** Masks the run's credentials (and any piece of them) in what is quoted of this answer. */
  redact: Redact;
  /** Why the body could not be read or parsed (too large, too deep, not JSON…). */
  bodyProblem?: string;
  error?: string;
}

/** What a check's probe is given: the target and a way to send requests to it. */
export interface Probe {
  options: VerifyOptions;
  random: Random;
  /** The known binding's path parameters, percent-encoded. */
  known: { chatServiceSid: string; sid: string };
  send(request: Request): Promise<Exchange>;
  /** Every exchange of the run so far (a later check may build on an earlier one's answers). */
  exchanges: readonly Exchange[];
}

export async function verify(options: VerifyOptions): Promise<Report> {
  const random = seededRandom(options.seed);
  const exchanges: Exchange[] = [];
  const authorization = basicAuthorization(options.username, options.password);
  // Every form the secret travels in: the password and the Basic header's base64 token (not its "Basic "
  // scheme, which is no secret).
  const redact = secretRedactor([options.password, authorization.slice(authorization.indexOf(' ') + 1)]);
  const wrongPassword = `wrong-${Math.floor(random() * 1e9).toString(36)}`;
  let current = '';

  async function send(request: Request): Promise<Exchange> {
    // A run that was stopped sends nothing more: the probe in progress ends here.
    options.signal?.throwIfAborted();
    const op = operationFacts[request.operation];
    const { method = op.method, accept = op.accept, credentials = 'valid' } = request;
    const named = Object.fromEntries(op.parameters.map((p) => [p.name, request.path[p.key] ?? '']));
    const path =
      request.target ??
      buildPath(op.path, named, (encoded) => encoded) + (request.query ? `?${request.query}` : '');
    const headers: Record<string, string> = { Accept: accept };
    if (credentials !== 'none')
      headers.Authorization = basicAuthorization(
        options.username,
        credentials === 'wrong' ? wrongPassword : options.password,
      );
    const label = { valid: '', none: ' (no credentials)', wrong: ' (wrong credentials)' }[credentials];
    const line = `${method} ${path}${accept === op.accept ? '' : ` (Accept: ${accept})`}${label}`;
    const exchange: Exchange = {
      check: current,
      operation: request.operation,
      request: line,
      target: path,
      ...(request.about && { about: request.about }),
      contentType: '',
      headers: new Headers(),
      body: undefined,
      redact,
    };
    exchanges.push(exchange);
    await answer(exchange, `${options.baseUrl}${path}`, { method, headers, redirect: 'manual' });
    options.signal?.throwIfAborted();
    return exchange;
  }

  /** Fills in the answer: within the timeout and the size limit, its body parsed (or why it cannot be). */
  async function answer(exchange: Exchange, url: string, init: RequestInit): Promise<void> {
    const bound = bounds(options.timeoutMs, options.signal);
    try {
      const response = await bound.race(fetch(url, { ...init, signal: bound.signal }));
      const { text, truncated, charset } = await readBody(response, options.maxResponseBytes, bound.race);
      exchange.status = response.status;
      exchange.headers = response.headers;
      exchange.contentType = mediaType(response.headers.get('content-type'));
      if (truncated)
        exchange.bodyProblem = `is larger than ${options.maxResponseBytes} bytes (--max-response-bytes)`;
      else if (charset)
        exchange.bodyProblem = `declares the charset ${JSON.stringify(charset)}, which cannot be decoded`;
      else if (text) {
        const parsed = parseJson(text);
        if ('value' in parsed) exchange.body = parsed.value;
        else if (exchange.contentType.endsWith('json')) exchange.bodyProblem = parsed.problem;
        else exchange.body = excerpt(redact(text), redact);
      }
    } catch (error) {
      if (options.signal?.aborted) throw options.signal.reason;
      const reason = bound.timedOut
        ? `no answer within ${options.timeoutMs} ms`
        : String((error as Error)?.message ?? error);
      exchange.error = `no response: ${redact(reason.slice(0, 200))}`;
    } finally {
      bound.end();
    }
  }

  const known = {
    chatServiceSid: encodeURIComponent(options.chatServiceSid),
    sid: encodeURIComponent(options.bindingSid),
  };
  const probe: Probe = { options, random, known, send, exchanges };
  const own = new Map<Check, Exchange[]>();
  let stoppedAt: Check | undefined;
  // First every probe, in the table's order; then every judgement, so a check over the whole run sees it all.
  for (const check of checks) {
    if (check.skip?.(options) || !check.probe) continue;
    current = check.name;
    const before = exchanges.length;
    try {
      await check.probe(probe);
    } catch (error) {
      if (!options.signal?.aborted) throw error;
      stoppedAt = check;
      break;
    }
    own.set(check, exchanges.slice(before));
  }
  const unfinished = stoppedAt ? checks.slice(checks.indexOf(stoppedAt)).filter((c) => c.probe) : [];
  const stopReason = `not finished: ${String(options.signal?.reason?.message ?? options.signal?.reason ?? 'the run stopped')}`;
  const results: CheckResult[] = checks.map((check) => {
    const reason = check.skip?.(options);
    if (reason)
      return { name: check.name, title: check.title, status: 'skip', reason, requests: 0, evidence: [] };
    const seen = check.over === 'run' ? exchanges : (own.get(check) ?? []);
    // A stop during the judgement (each is bounded, but a run may be told to stop at any time) ends it too.
    const evidence =
      unfinished.includes(check) || options.signal?.aborted
        ? [{ request: '(the run)', problem: stopReason }]
        : check.evidence(seen, options);
    const shown = evidence.slice(0, MAX_EVIDENCE).map((e) => ({
      ...e,
      problem: redact(e.problem),
      request: redact(e.request),
    }));
    if (evidence.length > MAX_EVIDENCE)
      shown.push({ request: '(the check)', problem: `and ${evidence.length - MAX_EVIDENCE} more problems` });
    return {
      name: check.name,
      title: check.title,
      status: evidence.length ? 'fail' : 'pass',
      requests: seen.length,
      evidence: shown,
    };
  });
  const count = (status: CheckStatus) => results.filter((r) => r.status === status).length;
  return {
    tool: 'bindings-contract verify',
    baseUrl: options.baseUrl,
    mock: options.mock,
    seed: options.seed,
    checks: results,
    summary: { passed: count('pass'), failed: count('fail'), skipped: count('skip') },
  };
}
