// The errors of a call that got no usable answer: an ApiError for a non-2xx response (the service's own
// words quoted, bounded and masked, its JSON body redacted), a TimeoutError or a NetworkError with a
// sanitised cause for none at all.
import type { Body } from '../body.js';
import type { BindingsError } from '../errors.js';
import type { Redact } from '../redact.js';
import type { Said } from '../said.js';
import type { ProblemBody, TwilioErrorBody } from '../types.js';
import { type Answered, EXCERPT_LENGTH, excerpt } from './success.js';
import type { Tools } from './tools.js';

/** What an error (or a value thrown) says of itself, as a quote: the start of its message, unredacted yet. */
const saidBy = (t: Tools, error: unknown): Said =>
  t.quote(t.textOf(t.readSafely(error, 'message') ?? error, (text) => text));

/**
 * A copy of a transport error that keeps what helps debugging (name, message, code, errno, syscall,
 * and its own cause) and drops everything else: a fetch implementation may attach the request,
 * headers included, to the errors it throws. Every read is guarded and every text redacted.
 */
export function sanitizeCause(t: Tools, error: unknown, redact: Redact, depth = 0): unknown {
  if (typeof error === 'string') return t.textOf(error, redact);
  // Any object is read as an error (its message, name, code…), guarded: a Proxy may throw on any access.
  if (!error || (typeof error !== 'object' && typeof error !== 'function')) return undefined;
  const copy = new Error(t.textOf(t.readSafely(error, 'message'), redact)) as Error & Record<string, unknown>;
  copy.name = t.textOf(t.readSafely(error, 'name'), redact, 100);
  copy.stack = `${copy.name}: ${copy.message}`;
  for (const key of ['code', 'errno', 'syscall']) {
    const v = t.readSafely(error, key);
    if (typeof v === 'string' || typeof v === 'number')
      copy[key] = typeof v === 'string' ? t.textOf(v, redact) : v;
  }
  const cause = t.readSafely(error, 'cause');
  if (cause !== undefined && depth < 3) copy.cause = sanitizeCause(t, cause, redact, depth + 1);
  return copy;
}

/** How far a call got: what a TimeoutError or NetworkError says of it. */
export interface Tries {
  attempts: number;
  maxAttempts: number;
  timeoutMs: number;
  redact: Redact;
}

/** An attempt that got no answer: what it got instead. */
export interface Unanswered {
  transportError: unknown;
  timedOut: boolean;
}

/** The error an attempt that got no answer ends with: a TimeoutError, or a NetworkError with a sanitised cause. */
export function unanswered(
  t: Tools,
  result: Unanswered,
  { attempts, maxAttempts, timeoutMs, redact }: Tries,
): BindingsError {
  const tries = `attempt ${attempts} of ${maxAttempts}`;
  if (result.timedOut)
    return new t.TimeoutError(`No full response within ${timeoutMs} ms (${tries})`, { attempts, timeoutMs });
  const cause = result.transportError;
  return new t.NetworkError(
    t.render(t.said`Request failed before a response (${t.words(tries)}): ${saidBy(t, cause)}`, redact),
    { attempts },
    sanitizeCause(t, cause, redact),
  );
}

/** What could not be loaded (`what`), on which attempt, and why. */
export interface Unloaded {
  what: string;
  attempts: number;
  error: unknown;
  redact: Redact;
}

/** The NetworkError of a call whose code to check its answer (`what`) could not be loaded. */
export function unloaded(t: Tools, { what, attempts, error, redact }: Unloaded): BindingsError {
  const why = t.said`Could not load ${t.words(what)} (attempt ${t.words(String(attempts))}): ${saidBy(t, error)}`;
  return new t.NetworkError(t.render(why, redact), { attempts }, sanitizeCause(t, error, redact));
}

/** The fields of an error body this client reads: Twilio's, or an RFC 9457 problem's (typed by the contract). */
type ErrorBody = Partial<TwilioErrorBody> & Partial<ProblemBody>;

/** The message of an ApiError whose body is JSON: the status, the service's code, message and link, quoted. */
function saidOfJson(t: Tools, status: number, sent: ErrorBody): Said {
  const code = typeof sent.code === 'number' ? sent.code : undefined;
  const what = sent.message ?? sent.title;
  const none = t.words('');
  return t.said`Conversations API answered ${t.words(String(status))}${
    code ? t.said` (code ${t.quote(String(code))})` : none
  }${what ? t.said`: ${t.quote(String(what))}` : none}${
    typeof sent.more_info === 'string' ? t.said` (${t.quote(sent.more_info)})` : none
  }`;
}

/** An ApiError for a non-2xx response: Twilio's JSON error body when it is one, else a short excerpt. */
export function apiErrorFromResponse(
  t: Tools,
  { status }: Pick<Answered, 'status'>,
  { text: raw, truncated }: Body,
  attempts: number,
  redact: Redact,
) {
  const parsed = truncated ? undefined : t.parseJson(raw);
  const value = parsed && 'value' in parsed ? parsed.value : undefined;
  if (value && typeof value === 'object') {
    const sent = value as ErrorBody;
    const body = t.redactDeep(value, redact, t.contractNames) as ErrorBody;
    return new t.ApiError(t.render(saidOfJson(t, status, sent), redact), {
      attempts,
      status,
      body,
      code: typeof sent.code === 'number' ? sent.code : undefined,
      moreInfo: typeof body.more_info === 'string' ? body.more_info : undefined,
      details: body.details ?? body.detail,
    });
  }
  const short = excerpt(t, raw, redact);
  const kind = truncated ? 'a body larger than maxResponseBytes (cut)' : 'a non-JSON body';
  const message = t.said`Conversations API answered ${t.words(`${status} with ${kind}`)}${
    short ? t.said`: ${t.quote(short, EXCERPT_LENGTH)}` : t.words('')
  }`;
  return new t.ApiError(t.render(message, redact), { attempts, status, body: short });
}
