// A ContractViolationError from what broke the contract: one violation per location, in the client's
// words with what was sent quoted, bounded in number, and the part of the body at fault, bounded in bytes.
// Redaction masks what was sent and only that: the contract's names (paths, keys) read as written.
import type { ValidationError } from '../../../generated/validators.js';
import type { Violation } from '../errors.js';
import type { Redact } from '../redact.js';
import type { Said } from '../said.js';
import { jsonOf } from './json-said.js';
import type { SaidTools, Tools } from './tools.js';

/** The most violations a message lists. */
export const MAX_LISTED = 10;
/** The path of the entry that counts the violations not kept. */
export const MORE_PATH = '…';
/** The most characters of a value a violation quotes. */
export const MAX_ACTUAL = 64;
/** The most characters of the body an error keeps (`body`): the part at fault, as JSON text. */
export const MAX_BODY_QUOTE = 2048;

/** A violation as found: where (a JSON pointer, or `status`, `content-type`, `body`), and what, as said. */
export interface Finding {
  path: string;
  said: Said;
  /** On the MORE_PATH entry: how many violations were not kept. */
  more?: number;
}

const same: Redact = (text) => text;

const more = (t: SaidTools, count: number): Finding => ({
  path: MORE_PATH,
  said: t.words(`${count} more violations, not listed`),
  more: count,
});

/** What the body holds at a JSON pointer (undefined where it holds nothing). */
function valueAt(body: unknown, pointer: string): unknown {
  let node = body;
  for (const part of pointer.split('/').slice(1))
    node = (node as Record<string, unknown> | null)?.[part.replace(/~1/g, '/').replace(/~0/g, '~')];
  return node;
}

/** What one error says: Ajv's words, or the contract's enum and type in words of this client's. */
function wordsOf({ keyword, params, message }: ValidationError): string {
  if (keyword === 'enum')
    return `must be one of the documented values ${(params.allowedValues as string[]).join(', ')}`;
  if (keyword === 'type') return `must be ${String(params.type).split(',').join(' or ')}`;
  return message;
}

/** A validator's errors on a body, and how many locations it found past its own list. */
export interface Found {
  errors: readonly ValidationError[];
  body: unknown;
  omitted?: number | undefined;
}

/**
 * Ajv's errors as one violation per location: `anyOf [X, null]` alternatives folded away, enum values
 * listed, the value at the location quoted. At most MAX_VIOLATIONS locations are kept, then one entry
 * counts the rest, with the locations the validator found past its own list (`omitted`): however many
 * errors a validator returns, the result (and the work spent on each entry) is bounded.
 */
export function findingsFrom(t: SaidTools, { errors, body, omitted = 0 }: Found): Finding[] {
  const byPath = new Map<string, Set<string>>();
  let left = omitted;
  let last: string | undefined;
  for (const error of errors) {
    const { keyword, instancePath, params } = error;
    if (keyword === 'anyOf' || (keyword === 'type' && params.type === 'null')) continue;
    if (!byPath.has(instancePath) && byPath.size >= t.maxViolations) {
      // A validator reports a location's errors together: counting changes of path counts locations.
      if (instancePath !== last) left++;
      last = instancePath;
      continue;
    }
    (byPath.get(instancePath) ?? byPath.set(instancePath, new Set()).get(instancePath))?.add(wordsOf(error));
  }
  const found: Finding[] = [];
  for (const [path, messages] of byPath) {
    const actual = jsonOf(t, valueAt(body, path), MAX_ACTUAL, t.contractNames);
    found.push({ path: path || '/', said: t.said`${t.words([...messages].join('; '))} (got ${actual})` });
  }
  if (left) found.push(more(t, left));
  return found;
}

/** A finding as the error's violation: its message as shown, `redact` masking what was sent. */
export const shown = (t: SaidTools, { path, said: text }: Finding, redact: Redact = same): Violation => ({
  path,
  message: t.render(text, redact),
});

/** How many violations a list stands for: those kept, and those its last entry counts. */
const total = (found: readonly Finding[]) => found.reduce((n, f) => n + (f.more ?? 1), 0);

/**
 * The violations of `all` with those of `first` (each one of them) ahead of the rest: the same ones,
 * as many kept, and the count of those not kept still whole.
 */
export function firstOf(t: SaidTools, first: readonly Finding[], all: readonly Finding[]): Finding[] {
  const ahead = first.filter((f) => f.more === undefined);
  const paths = new Set(ahead.map((f) => f.path));
  const rest = all.filter((f) => f.more === undefined && !paths.has(f.path));
  const kept = [...ahead, ...rest].slice(0, t.maxViolations);
  const left = total(all) - kept.length;
  return left > 0 ? [...kept, more(t, left)] : kept;
}

/** A body, where in it a violation lies, and where its resources' fields lie. */
export interface Fault {
  body: unknown;
  path: string | undefined;
  resourceField?: string | null;
}

/**
 * The part of a body at fault, as bounded JSON text: the resource that holds `path` (where
 * `resourceField`, a pattern over violation paths, puts one), else the value at `path`, else the body.
 */
export function atFault(t: SaidTools, { body, path, resourceField }: Fault): Said {
  let at = path?.startsWith('/') ? path : '';
  if (resourceField) {
    const field = new RegExp(resourceField);
    const parts = at.split('/');
    for (let n = 1; n < parts.length; n++)
      if (field.test(`${parts.slice(0, n).join('/')}/x`)) {
        at = parts.slice(0, n).join('/');
        break;
      }
  }
  return jsonOf(t, at === '/' ? body : valueAt(body, at), MAX_BODY_QUOTE, t.contractNames);
}

/** What a ContractViolationError is made of: its response, what broke the contract, and the body at fault. */
export interface ViolationReport {
  status: number;
  attempts: number;
  violations: readonly Finding[];
  /** The part of the body at fault (see atFault()), or an excerpt. */
  body: Said;
  redact: Redact;
}

/**
 * `Response 200 breaks the contract: …`, listing at most MAX_LISTED violations, with the part of the
 * body at fault as its body. Whatever was sent is masked where a piece of a credential lies in it; the
 * message, the violations and the body are all bounded.
 */
export function violationError(t: Tools, { status, attempts, violations, body, redact }: ViolationReport) {
  const listed = violations.slice(0, MAX_LISTED).map((f) => t.said`${t.words(`${f.path}: `)}${f.said}`);
  if (violations.length > MAX_LISTED) listed.push(t.words(`and ${total(violations) - MAX_LISTED} more`));
  const message = t.said`Response ${t.words(String(status))} breaks the contract: ${t.joined(listed, '; ')}`;
  return new t.ContractViolationError(t.render(message, redact), {
    attempts,
    status,
    violations: violations.map((f) => shown(t, f, redact)),
    body: t.render(body, redact),
  });
}
