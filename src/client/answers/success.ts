// Turns a 2xx response into the operation's result or a ContractViolationError, by the contract: its
// status, media type and body checked, and under `report` a body off the contract only in its resources'
// fields returned, its error handed on. What the service sent is quoted, bounded and masked.
import type { Validator } from '../../../generated/validators.js';
import type { Body } from '../body.js';
import type { ContractViolationError } from '../errors.js';
import type { Redact } from '../redact.js';
import type { Said } from '../said.js';
import { untolerated } from './tolerance.js';
import type { SaidTools, Tools } from './tools.js';
import { atFault, type Finding, findingsFrom, firstOf, violationError } from './violations.js';

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
export function excerpt(t: SaidTools, text: string, redact: Redact = same): string {
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
  return t.escapeControls(redact(out.replace(/\s+/g, ' ').trim().slice(0, EXCERPT_LENGTH)));
}

/**
 * `true`: a 2xx that breaks the contract throws; `false`: its body is not checked (what the package's
 * safety needs still is); `report`: a body whose only violations lie in fields of its resources (each
 * an object; judged on the whole body, see ./tolerance.js) is returned, and the error strict mode would
 * throw is handed to `onViolation`.
 */
export type Validation = boolean | 'report';

/** A 2xx answer to judge, and how. */
export interface Success {
  success: SuccessFacts;
  answered: Answered;
  /** The body as read. */
  read: Body;
  attempts: number;
  validate: Validation;
  redact: Redact;
  /** Where the operation's resources' fields lie (generated/contract.js): what `report` tolerates. */
  resourceField?: string | null;
  /** Called with the error of a body tolerated (what it returns is the caller's: see ../request.js). */
  onViolation?: (error: ContractViolationError) => unknown;
}

/** What a 2xx body is found to be: its value (or excerpt), what breaks the contract, and how it was checked. */
interface Judged {
  body: unknown;
  violations: Finding[];
  /** What an error shows of the body when it is no whole JSON: an excerpt. */
  shown?: Said;
  check?: Validator | undefined;
  /** Whether the body was read whole and parsed, so that its schema alone can be at fault. */
  parsedWhole: boolean;
}

/** A body that could not be read whole, or parsed: an excerpt of it stands for it, with why. */
function unread(t: Tools, { read, redact }: Success, violations: Finding[], why: Said): Judged {
  const body = excerpt(t, read.text, redact);
  violations.push({ path: 'body', said: why });
  return { body, shown: t.quote(body), parsedWhole: false, violations };
}

/** The body as read, judged against what the operation documents for the status (and its first status). */
function judged(t: Tools, args: Success): Judged {
  const { success, answered, read, validate } = args;
  const violations: Finding[] = [];
  const statuses = Object.keys(success);
  const media = success[answered.status] ?? success[statuses[0] as string] ?? {};
  const types = Object.keys(media);
  if (validate && !success[answered.status])
    violations.push({
      path: 'status',
      said: t.words(`${answered.status} is not documented (expected ${statuses})`),
    });
  if (read.truncated || read.charset) {
    const why = read.charset
      ? t.said`declares the charset ${t.quote(read.charset, 40)}, which cannot be decoded`
      : t.words('is larger than maxResponseBytes: the read stopped there');
    return unread(t, args, violations, why);
  }
  if (!types.length) {
    if (read.text && validate)
      violations.push({ path: 'body', said: t.words(`must be empty (got ${read.text.length} characters)`) });
    return { body: undefined, violations, parsedWhole: false };
  }
  const type = mediaType(answered.contentType);
  const check = media[type] ?? media[types[0] as string];
  // A body is never let through unchecked for want of its validator.
  if (validate && !check) throw new TypeError('internal: the validator of this response is not loaded');
  if (validate && !media[type])
    violations.push({
      path: 'content-type',
      said: t.said`"${t.quote(type, 100)}" is not documented (expected ${t.words(String(types))})`,
    });
  const parsed = t.parseJson(read.text);
  if ('problem' in parsed) return unread(t, args, violations, t.words(parsed.problem));
  const parsedWhole = !violations.length;
  if (validate && check && !check(parsed.value)) {
    const found = { errors: check.errors ?? [], body: parsed.value, omitted: check.omitted };
    violations.push(...findingsFrom(t, found));
  }
  return { body: parsed.value, violations, check, parsedWhole };
}

/**
 * Checks a 2xx response against what the operation documents (status, media type, body) and returns
 * the parsed body (undefined for a documented empty one). Under `report`, what the safety of the package
 * or a list walk depends on (the status, the media type, a body that is whole JSON, the page's `meta` and
 * its array of resources, each an object) still throws; a resource's field off the contract is reported.
 */
export function successBody(t: Tools, args: Success): unknown {
  const found = judged(t, args);
  return found.violations.length ? verdict(t, args, found) : found.body;
}

/**
 * The verdict on a body that breaks the contract: the error thrown, or (under `report`, when its only
 * violations lie in its resources' fields) the body returned and the error handed to `onViolation`.
 */
function verdict(t: Tools, args: Success, { body, shown, check, parsedWhole, violations }: Judged): unknown {
  const { answered, attempts, validate, redact, resourceField, onViolation } = args;
  // Only a body whose schema alone is at fault may be tolerated, and only if it is in its resources' fields.
  const left =
    validate === 'report' && resourceField && check && parsedWhole
      ? untolerated(body, check, resourceField)
      : true;
  // What keeps it from being tolerated comes first: it is why the call throws.
  const all =
    typeof left === 'object'
      ? firstOf(t, findingsFrom(t, { errors: left.errors, body, omitted: left.omitted }), violations)
      : violations;
  const error = violationError(t, {
    status: answered.status,
    attempts,
    violations: all,
    body: shown ?? atFault(t, { body, path: all[0]?.path, resourceField }),
    redact,
  });
  if (left) throw error;
  onViolation?.(error);
  return body;
}
