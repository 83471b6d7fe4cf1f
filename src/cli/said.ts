// What a report says: the report's own words, with what came from a service or a caller quoted in
// between. A quote is bounded (MAX_QUOTE characters shown) and is the only part redaction may mask, so
// the report's vocabulary (check names, labels, field names) always reads as written, while no piece of
// a credential in a quote survives, not even one that runs on into the words beside it.
import type { SecretMarker } from '../client/redact.js';

/** The most characters of one quote a report shows (then `…`). */
export const MAX_QUOTE = 200;
/** What a quote keeps beyond MAX_QUOTE: enough for a piece of a secret that runs across the cut to be found. */
const KEPT = MAX_QUOTE + 8;

/** Report text: `words[0] quotes[0] words[1] …` (one more word than quotes). */
export interface Said {
  readonly words: readonly string[];
  readonly quotes: readonly Quote[];
}
interface Quote {
  /** The start of the quoted text (at most KEPT characters past its bound). */
  text: string;
  /** Whether the quoted text went on past its bound. */
  cut: boolean;
  /** Its bound, when not MAX_QUOTE (a command line a reader pastes: MAX_COMMAND). */
  max?: number;
}

/** The most characters of a command line a report prints for pasting (a curl line, a replay): never cut short of it. */
export const MAX_COMMAND = 4_096;

/** One of the report's own words in a `said` template (a check name, a parameter key): never masked. */
export interface Word {
  readonly word: string;
}
export const word = (text: string): Word => ({ word: text });

const isSaid = (value: unknown): value is Said =>
  typeof value === 'object' && value !== null && 'words' in value && 'quotes' in value;
const isWord = (value: unknown): value is Word =>
  typeof value === 'object' && value !== null && 'word' in value;

/** A quote of any value: strings as they are, anything else as `String(value)`, bounded by `max`. */
function quoteOf(value: unknown, max = MAX_QUOTE): Quote {
  const kept = max + (KEPT - MAX_QUOTE);
  let text: string;
  try {
    text = typeof value === 'string' ? value.slice(0, kept + 1) : String(value).slice(0, kept + 1);
  } catch {
    text = typeof value;
  }
  const quote = { text: text.slice(0, kept), cut: [...text.slice(0, kept + 1)].length > max };
  return max === MAX_QUOTE ? quote : { ...quote, max };
}

/** A quote of a part of a command line (a URL, a flag's value): bounded by MAX_COMMAND, not MAX_QUOTE. */
export const commandPart = (text: string): Said => ({
  words: ['', ''],
  quotes: [quoteOf(text, MAX_COMMAND)],
});

/**
 * Report text from a template: its literal parts are words; each value is a quote (bounded), unless it
 * is a `word(…)` or a number (the report's own figures), or already report text (whose parts keep
 * what they are).
 */
export function said(strings: TemplateStringsArray | readonly string[], ...values: unknown[]): Said {
  const words: string[] = [strings[0] ?? ''];
  const quotes: Quote[] = [];
  const addWord = (text: string) => {
    words[words.length - 1] += text;
  };
  values.forEach((value, i) => {
    if (isWord(value)) addWord(value.word);
    else if (typeof value === 'number' || typeof value === 'boolean') addWord(String(value));
    else if (isSaid(value)) {
      addWord(value.words[0] ?? '');
      value.quotes.forEach((quote, k) => {
        quotes.push(quote);
        words.push(value.words[k + 1] ?? '');
      });
    } else {
      quotes.push(quoteOf(value));
      words.push('');
    }
    addWord(strings[i + 1] ?? '');
  });
  return { words, quotes };
}

/** Report text of words only. */
export const words = (text: string): Said => ({ words: [text], quotes: [] });

/** Report text joined by a separator (a word). */
export function joined(parts: readonly Said[], separator: string): Said {
  return parts.reduce<Said>((all, part, i) => (i ? said`${all}${word(separator)}${part}` : part), words(''));
}

/**
 * The text as shown: each quote cut at MAX_QUOTE, and every piece of a secret the marker finds masked
 * where it lies in a quote (found on the whole text, so a piece running on into a word is found too).
 */
export function render(text: Said, marker?: SecretMarker): string {
  const whole = text.words.reduce((all, w, i) => all + (i ? (text.quotes[i - 1]?.text ?? '') : '') + w, '');
  const marks = marker?.marks(whole);
  let out = text.words[0] ?? '';
  let at = out.length;
  text.quotes.forEach((quote, i) => {
    const shown = [...quote.text].slice(0, quote.max ?? MAX_QUOTE).join('');
    let masked = '';
    let inMask = false;
    for (let k = 0; k < shown.length; k++) {
      if (marks?.[at + k]) {
        if (!inMask) masked += marker?.mask ?? '';
        inMask = true;
      } else {
        masked += shown[k];
        inMask = false;
      }
    }
    out += masked + (quote.cut ? '…' : '') + (text.words[i + 1] ?? '');
    at += quote.text.length + (text.words[i + 1] ?? '').length;
  });
  return out;
}
