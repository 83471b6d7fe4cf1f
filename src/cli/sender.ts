// How `verify` sends a check's request and reads its answer: the credentials asked for (valid, none,
// wrong), within the timeout and the size limit, the body read once and bounded, and the answer judged
// against what the contract documents for its operation and status (headers included). Credentials are
// never shown: the request line is the report's words, what came back is redacted.
import { operationFacts } from '../../generated/contract.js';
import { basicAuthorization } from '../client/basic-auth.js';
import { parseJson, readBody } from '../client/body.js';
import { bounds } from '../client/bounds.js';
import { type Redact, secretRedactor } from '../client/redact.js';
import { excerpt, mediaType } from '../client/response.js';
import { buildPath } from '../client/url.js';
import { type AnswerToJudge, conformance } from '../testing/conformance.js';
import type { Exchange, ProbeRequest, VerifyOptions } from './check.js';
import type { Heard } from './har.js';
import { numberText } from './number-text.js';
import { said, word } from './said.js';
import { seededRandom } from './seeded.js';

const LABELS = { valid: '', none: ' (no credentials)', wrong: ' (wrong credentials)' } as const;

/** Every form the secret travels in: the password and the Basic header's base64 token (not its "Basic " scheme). */
export function secretsOf(options: VerifyOptions): string[] {
  const authorization = basicAuthorization(options.username, options.password);
  return [options.password, authorization.slice(authorization.indexOf(' ') + 1)];
}

/** Reads a response into the exchange: status, headers, media type, and the body (parsed JSON, or an excerpt). */
async function read(
  x: Exchange,
  response: Response,
  options: VerifyOptions,
  race: <T>(p: Promise<T>) => Promise<T>,
): Promise<string> {
  const { text, truncated, charset } = await readBody(response, options.maxResponseBytes, race);
  x.status = response.status;
  x.headers = response.headers;
  x.contentType = mediaType(response.headers.get('content-type'));
  if (truncated) x.bodyProblem = `is larger than ${options.maxResponseBytes} bytes (--max-response-bytes)`;
  else if (charset)
    x.bodyProblem = `declares the charset ${x.redact(JSON.stringify(charset))}, which cannot be decoded`;
  else if (text) {
    const parsed = parseJson(text);
    if ('value' in parsed) {
      x.body = parsed.value;
      // A number is quoted as written: the text is kept only while the answer is judged.
      x.numberText = (path) => numberText(text, path);
    } else if (x.contentType.endsWith('json')) x.bodyProblem = parsed.problem;
    else x.body = excerpt(x.redact(text), x.redact);
  }
  return text;
}

/**
 * Sends the request and reads its answer, or records why there was none; a stopped run rejects. Returns
 * what --har records of the answer: the body as read, and how long the headers and the body took.
 */
async function answer(x: Exchange, url: string, init: RequestInit, options: VerifyOptions): Promise<Heard> {
  const bound = bounds(options.timeoutMs, options.signal);
  const start = performance.now();
  const heard: Heard = { waitMs: 0, receiveMs: 0 };
  try {
    const response = await bound.race((options.fetch ?? fetch)(url, { ...init, signal: bound.signal }));
    heard.waitMs = performance.now() - start;
    heard.statusText = response.statusText;
    heard.text = await read(x, response, options, bound.race);
    heard.receiveMs = performance.now() - start - heard.waitMs;
    return heard;
  } catch (error) {
    if (options.signal?.aborted) throw options.signal.reason;
    const reason = bound.timedOut
      ? `no answer within ${options.timeoutMs} ms`
      : String((error as Error)?.message ?? error);
    x.error = `no response: ${x.redact(x.redact(reason).slice(0, 200))}`;
    return { ...heard, waitMs: performance.now() - start, error: x.error };
  } finally {
    bound.end();
  }
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

/**
 * A function that sends a check's request to the target and returns the exchange, judged against the
 * contract (its `problems`); a run that was stopped sends nothing more. `redact` masks the run's secrets.
 */
export function exchanger(options: VerifyOptions): {
  redact: Redact;
  exchange(request: ProbeRequest, check: string): Promise<Exchange>;
} {
  const redact = secretRedactor(secretsOf(options));
  const wrongPassword = `wrong-${Math.floor(seededRandom(options.seed ^ 0x5eed)() * 1e9).toString(36)}`;
  async function exchange(request: ProbeRequest, check: string): Promise<Exchange> {
    options.signal?.throwIfAborted();
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
      ...{ check, operation: request.operation, request: line, target, contentType: '' },
      ...{ headers: new Headers(), body: undefined, redact },
      ...(request.about && { about: request.about }),
      ...(request.filter && { filter: request.filter }),
    };
    const url = `${options.baseUrl}${target}`;
    const started = Date.now();
    const heard = await answer(x, url, { method, headers, redirect: 'manual' }, options);
    options.record?.(
      { check, operation: x.operation, method, url, headers, started, redact },
      {
        ...heard,
        ...(x.status !== undefined && { status: x.status, headers: x.headers }),
      },
    );
    options.signal?.throwIfAborted();
    x.problems =
      x.status === undefined
        ? []
        : asWrittenIn(conformance(x as AnswerToJudge, { headers: true, redact }), x);
    return x;
  }
  return { redact, exchange };
}
