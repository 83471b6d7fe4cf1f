// Quoting untrusted input in a message: a bounded prefix, never the whole of a huge value, and never a
// character that acts on a terminal or breaks a log line (./said.js's escaping, the one rule).
import type { Redact } from './redact.js';
import { quote, render, type Said, said, words } from './said.js';

export { escapeControls } from './said.js';

/** At most this many characters (code points) of any input are shown in a message. */
export const MAX_QUOTED = 64;
/** Lengths are counted up to here; past it a message says "over" this many. */
export const MAX_COUNT = 4096;

/** Code points in a string, or undefined past MAX_COUNT UTF-16 units (not counted: bounded work). */
function codePoints(text: string): number | undefined {
  if (text.length > MAX_COUNT) return undefined;
  let count = 0;
  for (const _ of text) count++;
  return count;
}

/**
 * A value described for a message: a string as a JSON string cut to MAX_QUOTED code points (the quote)
 * with its length, a number with its type, anything else by its kind. Only a bounded prefix of a string
 * is ever read, so a 100-million-character input costs what a short one does.
 */
export function described(value: unknown): Said {
  if (typeof value === 'boolean') return words(`boolean ${value}`);
  if (typeof value === 'number') return said`number ${quote(String(value), MAX_QUOTED)}`;
  if (typeof value !== 'string')
    return words(value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value);
  const length = codePoints(value);
  const shown = quote(value, MAX_QUOTED, true);
  if (length !== undefined && length <= MAX_QUOTED) return said`${shown}${words(` (${length} characters)`)}`;
  const total = length === undefined ? `over ${MAX_COUNT}` : length;
  return said`${shown}${words(` (truncated, ${total} characters)`)}`;
}

/**
 * `described(value)` as text: what was given, quoted and escaped; `redact` masks any piece of a credential
 * in it (a caller may pass a credential by mistake).
 */
export const quoted = (value: unknown, redact: Redact = (text) => text): string =>
  render(described(value), redact);
