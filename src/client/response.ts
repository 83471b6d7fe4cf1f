// Turns an HTTP response into the operation's result, an ApiError or a ContractViolationError, by the
// contract. Untrusted text is redacted before it is parsed, cut or cleaned, and every message is bounded.
import type { ValidationError, Validator } from '../../generated/validators.js';
import { type Body, parseJson } from './body.js';
import { ApiError, ContractViolationError, type Violation } from './errors.js';
import { escapeControls } from './quote.js';
import { type Redact, redactDeep } from './redact.js';
import { untolerated } from './tolerance.js';
import type { ProblemBody, TwilioErrorBody } from './types.js';

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

/** The most characters of a service's own words (an error message, a value) a message carries. */
export const MAX_QUOTE = 200;
/** The most violations a message lists. */
export const MAX_LISTED = 10;
/** The most violations an error keeps; past them, one last entry at MORE_PATH says how many more there were. */
export const MAX_VIOLATIONS = 100;
/** The path of the entry that counts the violations not kept. */
export const MORE_PATH = '…';
const same: Redact = (text) => text;

/** What the client reads of a response, once and inside a guard (a hostile Response's getters may throw). */
export interface Answered {
  status: number;
  contentType: string | null;
  /** The contract's Retry-After header, when the operation documents one. */
  retryAfter: string | null;
}

/** At most `max` characters of a text, redacted again after the cut (a cut can leave a secret's start at the end). */
export function cut(text: string, max: number, redact: Redact = same): string {
  return text.length > max ? `${redact(text.slice(0, max))}…` : text;
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

/** What the body holds at a JSON pointer, shortened: `"twilsock"`, `42`. */
function actualAt(body: unknown, pointer: string, redact: Redact): string {
  let node = body;
  for (const part of pointer.split('/').slice(1))
    node = (node as Record<string, unknown>)?.[part.replace(/~1/g, '/').replace(/~0/g, '~')];
  return escapeControls(redact(String(JSON.stringify(node)).slice(0, 64)));
}

/**
 * Ajv's errors as one violation per location: `anyOf [X, null]` alternatives folded away, enum values
 * listed. At most MAX_VIOLATIONS locations are kept, then one entry counts the rest, with the
 * locations the validator found past its own list (`omitted`): however many errors a validator
 * returns, the result (and the work spent on each entry) is bounded.
 */
export function violationsFrom(
  errors: readonly ValidationError[],
  body: unknown,
  redact: Redact = same,
  omitted = 0,
): Violation[] {
  const byPath = new Map<string, Set<string | undefined>>();
  let more = omitted;
  let last: string | undefined;
  for (const { keyword, instancePath, params, message } of errors) {
    if (keyword === 'anyOf' || (keyword === 'type' && params.type === 'null')) continue;
    if (!byPath.has(instancePath) && byPath.size >= MAX_VIOLATIONS) {
      // A validator reports a location's errors together: counting changes of path counts locations.
      if (instancePath !== last) more++;
      last = instancePath;
      continue;
    }
    const messages = byPath.get(instancePath) ?? byPath.set(instancePath, new Set()).get(instancePath);
    messages?.add(
      keyword === 'enum'
        ? `must be one of the documented values ${(params.allowedValues as string[]).join(', ')}`
        : keyword === 'type'
          ? `must be ${String(params.type).split(',').join(' or ')}`
          : message,
    );
  }
  const violations: Violation[] = [];
  for (const [path, messages] of byPath)
    violations.push({
      path: path || '/',
      message: `${[...messages].join('; ')} (got ${actualAt(body, path, redact)})`,
    });
  if (more) violations.push({ path: MORE_PATH, message: `${more} more violations, not listed` });
  return violations;
}

/** How many violations the last entry of a list says were not kept (0 when it is no such entry). */
const uncounted = (violations: readonly Violation[]) => {
  const last = violations[violations.length - 1];
  return last?.path === MORE_PATH ? Number.parseInt(last.message, 10) || 0 : 0;
};

/**
 * The violations of `all` with those of `first` (each one of them) ahead of the rest: the same ones,
 * as many kept, and the count of those not kept still whole.
 */
function firstOf(first: readonly Violation[], all: readonly Violation[]): Violation[] {
  const total = all.length - (uncounted(all) ? 1 : 0) + uncounted(all);
  const ahead = first.filter((v) => v.path !== MORE_PATH);
  const paths = new Set(ahead.map((v) => v.path));
  const kept = [...ahead, ...all.filter((v) => v.path !== MORE_PATH && !paths.has(v.path))].slice(
    0,
    MAX_VIOLATIONS,
  );
  const more = total - kept.length;
  return more > 0 ? [...kept, { path: MORE_PATH, message: `${more} more violations, not listed` }] : kept;
}

/** `Response 200 breaks the contract: …`, listing at most MAX_LISTED violations (already redacted). */
export function violationError({
  status,
  attempts,
  violations,
  body,
  redact,
}: {
  status: number;
  attempts: number;
  violations: Violation[];
  body: unknown;
  redact: Redact;
}) {
  const listed = violations
    .slice(0, MAX_LISTED)
    .map((v) => `${v.path}: ${cut(v.message, MAX_QUOTE, redact)}`);
  // The entry counting those not kept stands for that many (its count is unreadable if redaction masked it).
  const more = uncounted(violations);
  if (violations.length > MAX_LISTED)
    listed.push(`and ${violations.length + (more && more - 1) - MAX_LISTED} more`);
  return new ContractViolationError(`Response ${status} breaks the contract: ${listed.join('; ')}`, {
    attempts,
    status,
    violations,
    body,
  });
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
  let violations: Violation[] = [];
  const statuses = Object.keys(success);
  const media = success[status] ?? success[statuses[0] as string] ?? {};
  const types = Object.keys(media);
  const type = mediaType(contentType);
  if (validate && !success[status])
    violations.push({ path: 'status', message: `${status} is not documented (expected ${statuses})` });
  let body: unknown;
  let check: Validator | undefined;
  /** Whether the body was read whole and parsed, so that its schema alone can be at fault. */
  let parsedWhole = false;
  if (truncated || charset) {
    const why = charset
      ? `declares the charset ${escapeControls(cut(charset, 40, redact))}, which cannot be decoded`
      : 'is larger than maxResponseBytes: the read stopped there';
    violations.push({ path: 'body', message: why });
    body = excerpt(raw, redact);
  } else if (!types.length) {
    if (raw && validate)
      violations.push({ path: 'body', message: `must be empty (got ${raw.length} characters)` });
  } else {
    check = media[type] ?? media[types[0] as string];
    // A body is never let through unchecked for want of its validator.
    if (validate && !check) throw new TypeError('internal: the validator of this response is not loaded');
    if (validate && !media[type])
      violations.push({
        path: 'content-type',
        message: `"${escapeControls(cut(type, 100, redact))}" is not documented (expected ${types})`,
      });
    const parsed = parseJson(raw);
    if ('problem' in parsed) {
      violations.push({ path: 'body', message: parsed.problem });
      body = excerpt(raw, redact);
    } else {
      body = parsed.value;
      parsedWhole = !violations.length;
      if (validate && check && !check(body))
        for (const v of violationsFrom(check.errors ?? [], redactDeep(body, redact), redact, check.omitted))
          violations.push(v);
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
    violations = firstOf(
      violationsFrom(left.errors, redactDeep(body, redact), redact, left.omitted),
      violations,
    );
  const error = violationError({
    status,
    attempts,
    // The values only: `path` and `message` are this client's keys, whatever the password is.
    violations: violations.map((v) => ({ path: redact(v.path), message: redact(v.message) })),
    body: redactDeep(body, redact),
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
    const body = redactDeep(value, redact) as ErrorBody;
    const code = typeof body.code === 'number' ? body.code : undefined;
    const moreInfo = typeof body.more_info === 'string' ? body.more_info : undefined;
    const what = body.message ?? body.title;
    // The service's words, cut and escaped: a line break or an escape sequence in them is shown, not run.
    const words = (text: string) => escapeControls(cut(text, MAX_QUOTE, redact));
    const message = `Conversations API answered ${status}${code ? ` (code ${code})` : ''}${what ? `: ${words(String(what))}` : ''}${moreInfo ? ` (${words(moreInfo)})` : ''}`;
    return new ApiError(message, {
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
  return new ApiError(`Conversations API answered ${status} with ${kind}${short ? `: ${short}` : ''}`, {
    attempts,
    status,
    body: short,
  });
}
