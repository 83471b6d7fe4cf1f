// Turns an HTTP response into the operation's result, an ApiError or a ContractViolationError, by the
// contract. What the service sent is quoted, bounded and masked where a credential's piece lies in it;
// the contract's names and this client's words read as written.
import type { Validator } from '../../generated/validators.js';
import { type Body, parseJson } from './body.js';
import { ApiError, type ContractViolationError } from './errors.js';
import { type Redact, redactDeep } from './redact.js';
import { escapeControls, quote, render, type Said, said, words } from './said.js';
import { untolerated } from './tolerance.js';
import type { ProblemBody, TwilioErrorBody } from './types.js';
import { atFault, contractNames, type Finding, findingsFrom, firstOf, violationError } from './violations.js';

export { MAX_QUOTE } from './said.js';
export {
  MAX_LISTED,
  MAX_VIOLATIONS,
  MORE_PATH,
  violationError,
  violationsFrom,
} from './violations.js';

/** Each documented 2xx status of an operation, with its media types' validators (none: no body). */
export type SuccessFacts = Readonly<Record<string, Readonly<Record<string, Validator | undefined>>>>;
/** The same, with each validator by name (generated/contract.js): loaded with the first request. */
export type SuccessNames = Readonly<Record<string, Readonly<Record<string, string>>>>;

/** An operation's successes with their validators, taken by name from those loaded (none: undefined). */
export function successFacts(
  names: SuccessNames,
  validators: Readonly<Record<string, Validator>>,
): SuccessFacts {
  const facts: Record<string, Record<string, Validator | undefined>> = {};
  for (const [status, media] of Object.entries(names)) {
    facts[status] = {};
    for (const [type, name] of Object.entries(media)) facts[status][type] = validators[name];
  }
  return facts;
}

const same: Redact = (text) => text;

/** What the client reads of a response, once and inside a guard (a hostile Response's getters may throw). */
export interface Answered {
  status: number;
  contentType: string | null;
  /** The contract's Retry-After header, when the operation documents one. */
  retryAfter: string | null;
}

/** The media type of a Content-Type value, lower-cased, without parameters: `application/json`. */
export function mediaType(contentType: string | null): string {
  // The usual answer (`application/json`, no parameters) needs no cutting.
  if (contentType !== null && contentType.length < 100 && !contentType.includes(';'))
    return contentType.trim().toLowerCase();
  return (contentType ?? '').slice(0, 200).split(';')[0]?.trim().toLowerCase() ?? '';
}

/** A non-JSON body's excerpt: at most this many characters, from the first EXCERPT_SCAN of the body. */
export const EXCERPT_LENGTH = 160;
export const EXCERPT_SCAN = 4096;

/**
 * A one-line excerpt of a non-JSON body (an HTML error page, say): tags and extra spaces removed, at
 * most EXCERPT_LENGTH characters. It reads a bounded prefix, in one pass: its time does not grow with the body.
 * The prefix is redacted before tags and spaces go (which join pieces) and the excerpt after.
 */
export function excerpt(text: string, redact: Redact = same): string {
  const head = redact(text.slice(0, EXCERPT_SCAN));
  let out = '';
  for (let i = 0; i < head.length; ) {
    const open = head.indexOf('<', i);
    const close = open < 0 ? -1 : head.indexOf('>', open);
    // No complete tag from here on: the rest is text.
    if (close < 0) {
      out += head.slice(i);
      break;
    }
    out += `${head.slice(i, open)} `;
    i = close + 1;
  }
  return escapeControls(redact(out.replace(/\s+/g, ' ').trim().slice(0, EXCERPT_LENGTH)));
}

/**
 * `true`: a 2xx that breaks the contract throws; `false`: its body is not checked (what the package's
 * safety needs still is); `report`: a body whose only violations lie in fields of its resources (each
 * an object; judged on the whole body, see ./tolerance.js) is returned, and the error strict mode would
 * throw is handed to `onViolation`.
 */
export type Validation = boolean | 'report';

/**
 * Checks a 2xx response against what the operation documents (status, media type, body) and returns
 * the parsed body (undefined for a documented empty one). Under `report`, what the safety of the package
 * or a list walk depends on (the status, the media type, a body that is whole JSON, the page's `meta` and
 * `bindings` array, each binding an object) still throws; a resource's field off the contract is reported.
 */
export function successBody({
  success,
  answered: { status, contentType },
  read: { text: raw, truncated, charset },
  attempts,
  validate,
  redact,
  resourceField,
  onViolation,
}: {
  success: SuccessFacts;
  answered: Answered;
  /** The body as read. */
  read: Body;
  attempts: number;
  validate: Validation;
  redact: Redact;
  /** Where the operation's resources' fields lie (generated/contract.js): what `report` tolerates. */
  resourceField?: string | null;
  /** Called with the error of a body tolerated (what it returns is the caller's: see ./request.js). */
  onViolation?: (error: ContractViolationError) => unknown;
}): unknown {
  let violations: Finding[] = [];
  const statuses = Object.keys(success);
  const media = success[status] ?? success[statuses[0] as string] ?? {};
  const types = Object.keys(media);
  const type = mediaType(contentType);
  if (validate && !success[status])
    violations.push({ path: 'status', said: words(`${status} is not documented (expected ${statuses})`) });
  let body: unknown;
  /** What an error shows of the body: the part at fault, or an excerpt of what could not be parsed. */
  let shown: Said | undefined;
  let check: Validator | undefined;
  /** Whether the body was read whole and parsed, so that its schema alone can be at fault. */
  let parsedWhole = false;
  if (truncated || charset) {
    const why = charset
      ? said`declares the charset ${quote(charset, 40)}, which cannot be decoded`
      : words('is larger than maxResponseBytes: the read stopped there');
    violations.push({ path: 'body', said: why });
    body = excerpt(raw, redact);
    shown = quote(body as string);
  } else if (!types.length) {
    if (raw && validate)
      violations.push({ path: 'body', said: words(`must be empty (got ${raw.length} characters)`) });
  } else {
    check = media[type] ?? media[types[0] as string];
    // A body is never let through unchecked for want of its validator.
    if (validate && !check) throw new TypeError('internal: the validator of this response is not loaded');
    if (validate && !media[type])
      violations.push({
        path: 'content-type',
        said: said`"${quote(type, 100)}" is not documented (expected ${words(String(types))})`,
      });
    const parsed = parseJson(raw);
    if ('problem' in parsed) {
      violations.push({ path: 'body', said: words(parsed.problem) });
      body = excerpt(raw, redact);
      shown = quote(body as string);
    } else {
      body = parsed.value;
      parsedWhole = !violations.length;
      if (validate && check && !check(body))
        violations.push(...findingsFrom(check.errors ?? [], body, check.omitted));
    }
  }
  if (!violations.length) return body;
  // Only a body whose schema alone is at fault may be tolerated, and only if it is in its resources' fields.
  const left =
    validate === 'report' && resourceField && check && parsedWhole
      ? untolerated(body, check, resourceField)
      : true;
  // What keeps it from being tolerated comes first: it is why the call throws.
  if (typeof left === 'object')
    violations = firstOf(findingsFrom(left.errors, body, left.omitted), violations);
  const error = violationError({
    status,
    attempts,
    violations,
    body: shown ?? atFault(body, violations[0]?.path, resourceField),
    redact,
  });
  if (left) throw error;
  onViolation?.(error);
  return body;
}

/** The fields of an error body this client reads: Twilio's, or an RFC 9457 problem's (typed by the contract). */
type ErrorBody = Partial<TwilioErrorBody> & Partial<ProblemBody>;

/** An ApiError for a non-2xx response: Twilio's JSON error body when it is one, else a short excerpt. */
export function apiErrorFromResponse(
  { status }: Pick<Answered, 'status'>,
  { text: raw, truncated }: Body,
  attempts: number,
  redact: Redact,
) {
  const parsed = truncated ? undefined : parseJson(raw);
  const value = parsed && 'value' in parsed ? parsed.value : undefined;
  if (value && typeof value === 'object') {
    const sent = value as ErrorBody;
    const body = redactDeep(value, redact, contractNames) as ErrorBody;
    const code = typeof sent.code === 'number' ? sent.code : undefined;
    const moreInfo = typeof body.more_info === 'string' ? body.more_info : undefined;
    const what = sent.message ?? sent.title;
    const message = said`Conversations API answered ${words(String(status))}${
      code ? said` (code ${quote(String(code))})` : words('')
    }${what ? said`: ${quote(String(what))}` : words('')}${
      typeof sent.more_info === 'string' ? said` (${quote(sent.more_info)})` : words('')
    }`;
    return new ApiError(render(message, redact), {
      attempts,
      status,
      body,
      code,
      moreInfo,
      details: body.details ?? body.detail,
    });
  }
  const short = excerpt(raw, redact);
  const kind = truncated ? 'a body larger than maxResponseBytes (cut)' : 'a non-JSON body';
  const message = said`Conversations API answered ${words(`${status} with ${kind}`)}${
    short ? said`: ${quote(short, EXCERPT_LENGTH)}` : words('')
  }`;
  return new ApiError(render(message, redact), { attempts, status, body: short });
}
