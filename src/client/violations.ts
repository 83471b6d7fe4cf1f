// A ContractViolationError from what broke the contract: one violation per location, in the client's
// words with what was sent quoted, bounded in number, and the part of the body at fault, bounded in bytes.
// Redaction masks what was sent and only that: the contract's names (paths, keys) read as written.
import { fieldNames, type ValidationError } from '../../generated/validators.js';
import { ContractViolationError, type Violation } from './errors.js';
import type { Redact } from './redact.js';
import { joined, jsonOf, render, type Said, said, words } from './said.js';

/** The most violations a message lists. */
export const MAX_LISTED = 10;
/** The most violations an error keeps; past them, one last entry at MORE_PATH says how many more there were. */
export const MAX_VIOLATIONS = 100;
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
/** The contract's field names: words of the contract, which redaction never masks (paths, keys). */
export const contractNames: ReadonlySet<string> = new Set(fieldNames);

const more = (count: number): Finding => ({
  path: MORE_PATH,
  said: words(`${count} more violations, not listed`),
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

/**
 * Ajv's errors as one violation per location: `anyOf [X, null]` alternatives folded away, enum values
 * listed, the value at the location quoted. At most MAX_VIOLATIONS locations are kept, then one entry
 * counts the rest, with the locations the validator found past its own list (`omitted`): however many
 * errors a validator returns, the result (and the work spent on each entry) is bounded.
 */
export function findingsFrom(errors: readonly ValidationError[], body: unknown, omitted = 0): Finding[] {
  const byPath = new Map<string, Set<string>>();
  let left = omitted;
  let last: string | undefined;
  for (const error of errors) {
    const { keyword, instancePath, params } = error;
    if (keyword === 'anyOf' || (keyword === 'type' && params.type === 'null')) continue;
    if (!byPath.has(instancePath) && byPath.size >= MAX_VIOLATIONS) {
      // A validator reports a location's errors together: counting changes of path counts locations.
      if (instancePath !== last) left++;
      last = instancePath;
      continue;
    }
    (byPath.get(instancePath) ?? byPath.set(instancePath, new Set()).get(instancePath))?.add(wordsOf(error));
  }
  const found: Finding[] = [];
  for (const [path, messages] of byPath) {
    const actual = jsonOf(valueAt(body, path), MAX_ACTUAL, contractNames);
    found.push({ path: path || '/', said: said`${words([...messages].join('; '))} (got ${actual})` });
  }
  if (left) found.push(more(left));
  return found;
}

/** findingsFrom() as the error's violations: each message as shown, `redact` masking what was sent. */
export const violationsFrom = (
  errors: readonly ValidationError[],
  body: unknown,
  redact: Redact = same,
  omitted = 0,
): Violation[] => findingsFrom(errors, body, omitted).map((f) => shown(f, redact));

const shown = ({ path, said: text }: Finding, redact: Redact): Violation => ({
  path,
  message: render(text, redact),
});

/** How many violations a list stands for: those kept, and those its last entry counts. */
const total = (found: readonly Finding[]) => found.reduce((n, f) => n + (f.more ?? 1), 0);

/**
 * The violations of `all` with those of `first` (each one of them) ahead of the rest: the same ones,
 * as many kept, and the count of those not kept still whole.
 */
export function firstOf(first: readonly Finding[], all: readonly Finding[]): Finding[] {
  const ahead = first.filter((f) => f.more === undefined);
  const paths = new Set(ahead.map((f) => f.path));
  const rest = all.filter((f) => f.more === undefined && !paths.has(f.path));
  const kept = [...ahead, ...rest].slice(0, MAX_VIOLATIONS);
  const left = total(all) - kept.length;
  return left > 0 ? [...kept, more(left)] : kept;
}

/**
 * The part of a body at fault, as bounded JSON text: the resource that holds `path` (where
 * `resourceField`, a pattern over violation paths, puts one), else the value at `path`, else the body.
 */
export function atFault(body: unknown, path: string | undefined, resourceField?: string | null): Said {
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
  return jsonOf(at === '/' ? body : valueAt(body, at), MAX_BODY_QUOTE, contractNames);
}

/**
 * `Response 200 breaks the contract: …`, listing at most MAX_LISTED violations, with `body` (the part at
 * fault, see atFault(); or an excerpt) as its body. Whatever was sent is masked where a piece of a
 * credential lies in it; the message, the violations and the body are all bounded.
 */
export function violationError({
  status,
  attempts,
  violations,
  body,
  redact,
}: {
  status: number;
  attempts: number;
  violations: readonly Finding[];
  body: Said;
  redact: Redact;
}) {
  const listed = violations.slice(0, MAX_LISTED).map((f) => said`${words(`${f.path}: `)}${f.said}`);
  if (violations.length > MAX_LISTED) listed.push(words(`and ${total(violations) - MAX_LISTED} more`));
  const message = said`Response ${words(String(status))} breaks the contract: ${joined(listed, '; ')}`;
  return new ContractViolationError(render(message, redact), {
    attempts,
    status,
    violations: violations.map((f) => shown(f, redact)),
    body: render(body, redact),
  });
}
