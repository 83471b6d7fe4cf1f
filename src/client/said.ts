// A message as the client says it: its own words (and the contract's names) with what a service or a
// caller sent quoted in between. A quote is bounded, and is the only part redaction may mask or escaping
// may touch: the pieces of a credential are found on the whole message (so one that runs on into the
// words beside a quote is found too) and masked where they lie in a quote; the words read as written.
import type { Redact } from './redact.js';

/**
 * What a terminal acts on, a log line breaks at, or a reader cannot see: C0 controls (ESC, BEL, CR, LF…),
 * DEL, C1 controls (a CSI), the line and paragraph separators, and every format or default-ignorable
 * character (the bidirectional controls, U+200B, U+FEFF, U+00AD, U+034F, U+180E, variation selectors…):
 * `"apn\u200b"` must not read as `"apn"`.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is this pattern's job
const CONTROLS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\p{Cf}\p{Default_Ignorable_Code_Point}]/gu;

/**
 * Text with each of those characters shown as `\uXXXX`: the one escaping of untrusted text in every
 * message of the client and every report of the command line, so what was sent is shown, never run.
 */
export const escapeControls = (text: string): string => text.replace(CONTROLS, escapeUnits);

/** A character as `\uXXXX`, each UTF-16 unit of it (one past U+FFFF is two, as JSON writes it). */
function escapeUnits(c: string): string {
  let out = '';
  for (let i = 0; i < c.length; i++) out += `\\u${c.charCodeAt(i).toString(16).padStart(4, '0')}`;
  return out;
}

/** Text of words and quotes: `words[0] quotes[0] words[1] …`, one more word than quotes. */
export interface Said {
  readonly words: readonly string[];
  readonly quotes: readonly Quote[];
}

interface Quote {
  /** The start of what was sent: up to KEPT characters past `max`, so a piece cut at the bound is found. */
  text: string;
  /** The most characters (code points) shown. */
  max: number;
  /** Whether what was sent went on past `max` (then `…` is shown). */
  cut: boolean;
  /** Shown as a JSON string (in double quotes, `"` and `\` escaped), not as bare text. */
  json: boolean;
}

/** The most characters of a service's own words (an error message, a value) a message shows: then `…`. */
export const MAX_QUOTE = 200;
/** What a quote keeps past its bound, for the marking only: longer than a masked piece of a secret. */
const KEPT = 8;

/** The client's own words (or the contract's): never masked. */
export const words = (text: string): Said => ({ words: [text], quotes: [] });

/**
 * A quote of what was sent, of which at most `max` characters are shown (then `…`), as bare text or as
 * a JSON string. Only its start is read: a quote of a huge text costs what a short one does.
 */
export function quote(text: string, max = MAX_QUOTE, json = false): Said {
  let kept = '';
  let count = 0;
  for (const c of text) {
    if (++count > max + KEPT) break;
    kept += c;
  }
  return { words: ['', ''], quotes: [{ text: kept, max, cut: count > max, json }] };
}

const isSaid = (value: unknown): value is Said =>
  typeof value === 'object' && value !== null && 'words' in value && 'quotes' in value;

/** Text from a template: its literal parts are words; each value is said text, or a quote (MAX_QUOTE shown). */
export function said(strings: TemplateStringsArray | readonly string[], ...values: (string | Said)[]): Said {
  const out = { words: [strings[0] ?? ''], quotes: [] as Quote[] };
  values.forEach((value, i) => {
    append(out, isSaid(value) ? value : quote(value));
    append(out, words(strings[i + 1] ?? ''));
  });
  return out;
}

/** Adds `part` at the end of `to`: its first word joins the last one. */
function append(to: { words: string[]; quotes: Quote[] }, part: Said): void {
  to.words[to.words.length - 1] += part.words[0] ?? '';
  part.quotes.forEach((q, k) => {
    to.quotes.push(q);
    to.words.push(part.words[k + 1] ?? '');
  });
}

/** Said texts one after the other, `separator` (a word) between them. */
export function joined(parts: readonly Said[], separator = ''): Said {
  const out = { words: [''], quotes: [] as Quote[] };
  parts.forEach((part, i) => {
    if (i) append(out, words(separator));
    append(out, part);
  });
  return out;
}

/** What a quote shows of its text: the marked pieces masked (one mask a run), or, with no marks, redacted. */
function shownOf(q: Quote, at: number, redact: Redact, marks: Uint8Array | undefined): string {
  const shown = [...q.text].slice(0, q.max);
  if (!marks) return redact(shown.join(''));
  let text = '';
  let inMask = false;
  let k = at;
  for (const c of shown) {
    const marked = marks[k] === 1 || (c.length === 2 && marks[k + 1] === 1);
    if (marked && !inMask) text += redact.marker?.mask ?? '';
    else if (!marked) text += c;
    inMask = marked;
    k += c.length;
  }
  return text;
}

/**
 * The text as shown: each quote cut at its bound (`…` after), every piece of a credential in a quote
 * masked (found on the whole text when `redact` has a marker; else each quote is redacted alone), and
 * every control character of a quote escaped as `\uXXXX`. The words are shown as they are.
 */
export function render({ words: parts, quotes }: Said, redact: Redact): string {
  const whole = parts.reduce((all, w, i) => all + (i ? (quotes[i - 1]?.text ?? '') : '') + w, '');
  const marks = redact.marker?.marks(whole);
  let out = parts[0] ?? '';
  let at = out.length;
  quotes.forEach((q, i) => {
    const text = shownOf(q, at, redact, marks);
    out += `${escapeControls(q.json ? JSON.stringify(text) : text)}${q.cut ? '…' : ''}${parts[i + 1] ?? ''}`;
    at += q.text.length + (parts[i + 1] ?? '').length;
  });
  return out;
}
