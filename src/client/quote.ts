// Quoting untrusted input in a message: a bounded prefix, never the whole of a huge value.

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

/** JSON-quoted, and what JSON leaves as it is but a terminal acts on (DEL, C1 controls, bidi overrides) escaped. */
const json = (text: string) =>
  JSON.stringify(text).replace(
    /[\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );

/**
 * A short, printable description of a value for an error message: strings quoted (JSON) and cut
 * to MAX_QUOTED code points, numbers and booleans with their type, anything else by its kind. Only a
 * bounded prefix of a string is ever read, so a 100-million-character input costs what a short one does;
 * `redact` masks what is shown before it is cut and quoted (a caller may pass a credential by mistake).
 */
export function quoted(value: unknown, redact: (text: string) => string = (text) => text): string {
  if (typeof value === 'number' || typeof value === 'boolean') return `${typeof value} ${value}`;
  if (typeof value !== 'string')
    return value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value;
  const length = codePoints(value);
  if (length !== undefined && length <= MAX_QUOTED) return `${json(redact(value))} (${length} characters)`;
  // A code point is at most two UTF-16 units: this prefix holds MAX_QUOTED whole ones.
  const shown = [...redact(value.slice(0, MAX_QUOTED * 2))].slice(0, MAX_QUOTED).join('');
  const total = length === undefined ? `over ${MAX_COUNT}` : length;
  return `${json(shown)}… (truncated, ${total} characters)`;
}
