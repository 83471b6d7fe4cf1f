// Keeps credentials out of everything the client reports: messages, bodies and error causes. Any run of
// RUN or more characters of a secret's forms, anywhere in a text and in any case, is masked: a cut, a
// service quoting the end of a token, or an excerpt joining two pieces cannot leave an identifying part.

/** The shortest piece of a secret that is masked wherever it appears (a shorter secret is masked whole). */
export const RUN = 4;
/** Past this depth a value is replaced, never kept as it is. */
export const MAX_REDACT_DEPTH = 20;
/** The first of these that holds no piece of a secret is the mask (a password may be "[REDACTED]" itself). */
const MASKS = ['[REDACTED]', '***', ''];

/** Masks every piece of the secrets a text holds; `marker`, when given, finds them for ./said.js. */
export interface Redact {
  (text: string): string;
  readonly marker?: SecretMarker | undefined;
}

/** Every form a secret may take in a text: as is, JSON-escaped, percent-encoded (which a lone surrogate prevents). */
function formsOf(secret: string): string[] {
  const forms = [secret, JSON.stringify(secret).slice(1, -1)];
  try {
    forms.push(encodeURIComponent(secret));
  } catch {}
  return forms;
}

/** The text lower-cased, each character where it was ("İ", the one character whose lower case is longer, becomes "i"). */
const fold = (text: string) => text.replace(/\u0130/g, 'i').toLowerCase();

/** Where the pieces of secrets are in a text, and the mask to show instead of them. */
export interface SecretMarker {
  /** Each character of the text that belongs to a piece of a secret, marked 1. */
  marks(text: string): Uint8Array;
  /** The first of MASKS that holds no piece of a secret. */
  mask: string;
}

/**
 * Finds, in one pass over a text, every run of RUN or more characters taken from one of the secrets'
 * forms (compared case-insensitively; overlapping and adjacent runs become one), and every occurrence of
 * a form shorter than RUN. Building it costs one entry per RUN-character window of each form; using it is
 * linear in the text's length.
 */
export function secretMarker(secrets: string[]): SecretMarker {
  const windows = new Set<string>();
  const whole: string[] = [];
  /** The UTF-16 units the windows hold: a window of the text with any other unit is no window of a form. */
  const units = new Uint8Array(0x10000);
  for (const form of secrets.filter(Boolean).flatMap(formsOf).map(fold)) {
    if (form.length < RUN) whole.push(form);
    for (let i = RUN; i <= form.length; i++) windows.add(form.slice(i - RUN, i));
    for (let i = 0; form.length >= RUN && i < form.length; i++) units[form.charCodeAt(i)] = 1;
  }
  const marks = (text: string) => {
    const lower = fold(text);
    const marked = new Uint8Array(lower.length);
    for (const form of whole)
      for (let at = lower.indexOf(form); at >= 0; at = lower.indexOf(form, at + 1))
        marked.fill(1, at, at + form.length);
    // Only where the last RUN units are all the forms' is a window looked up (text that shares none costs no lookup).
    for (let i = 0, run = 0; i < lower.length; i++) {
      run = units[lower.charCodeAt(i)] ? run + 1 : 0;
      if (run >= RUN && windows.has(lower.slice(i + 1 - RUN, i + 1))) marked.fill(1, i + 1 - RUN, i + 1);
    }
    return marked;
  };
  return { marks, mask: MASKS.find((m) => !marks(m).includes(1)) as string };
}

/** A function that masks every piece of the secrets a text holds (see secretMarker): one mask per run. */
export function secretRedactor(secrets: string[]): Redact {
  const marker = secretMarker(secrets);
  const { marks, mask } = marker;
  const redact = (text: string) => {
    const marked = marks(text);
    let out = '';
    let from = 0;
    for (let start = marked.indexOf(1); start >= 0; start = marked.indexOf(1, from)) {
      out += text.slice(from, start) + mask;
      from = marked.indexOf(0, start);
      if (from < 0) return out;
    }
    return out + text.slice(from);
  };
  return Object.assign(redact, { marker });
}

const NO_NAMES: ReadonlySet<string> = new Set();

/**
 * A deep copy of a JSON-like value with every string redacted, and every key but those of `names` (the
 * contract's, which are no one's secret and which a reader looks the fields up by); anything deeper than
 * the limit is replaced.
 */
export function redactDeep(
  value: unknown,
  redact: Redact,
  names: ReadonlySet<string> = NO_NAMES,
  depth = 0,
): unknown {
  if (typeof value === 'string') return redact(value);
  if (value === null || typeof value !== 'object') return value;
  if (depth >= MAX_REDACT_DEPTH) return '[too deep to show]';
  if (Array.isArray(value)) return value.map((v) => redactDeep(v, redact, names, depth + 1));
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [
      names.has(k) ? k : redact(k),
      redactDeep(v, redact, names, depth + 1),
    ]),
  );
}

/** The most characters of an untrusted text (an error's message, say) read into a report. */
export const MAX_CAUSE_TEXT = 1000;

/** A property of an untrusted value, or undefined when reading it throws (a getter, a Proxy's trap). */
export function readSafely(value: unknown, key: string): unknown {
  try {
    return (value as Record<string, unknown>)?.[key];
  } catch {}
}

/** An untrusted value as bounded, redacted text; its kind when it cannot be turned into text. */
export function textOf(value: unknown, redact: Redact, max = MAX_CAUSE_TEXT): string {
  try {
    return redact(String(value).slice(0, max));
  } catch {
    return typeof value;
  }
}
