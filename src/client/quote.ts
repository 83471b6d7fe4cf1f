// Quoting untrusted input in a message: a bounded prefix, never the whole of a huge value, and never a
// character that acts on a terminal or breaks a log line.

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
 * What a terminal acts on or a log line breaks at: C0 controls (ESC, BEL, CR, LF…), DEL, C1 controls (a
 * CSI), the line and paragraph separators, and the bidirectional marks, embeddings, overrides and isolates.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is this pattern's job
const CONTROLS = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/**
 * Text with each of those characters shown as `\uXXXX`: the one escaping of untrusted text in every
 * message of the client and every report of the command line, so what was sent is shown, never run.
 */
export const escapeControls = (text: string): string =>
  text.replace(CONTROLS, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

/** JSON-quoted (which escapes C0 controls its own way), and the rest of those characters escaped. */
const json = (text: string) => escapeControls(JSON.stringify(text));

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
