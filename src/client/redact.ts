// Keeps credentials out of everything the client reports: messages, bodies and error causes. Redaction
// comes before every transformation (parsing, cutting, collapsing spaces), matches a secret's escaped
// forms too, and masks the start of a secret that a cut left at the end of a text.

const MASK = '[REDACTED]';
/** A cut that leaves this many characters of a secret (or more) at a text's edge is masked. */
const EDGE = 4;
/** Past this depth a value is replaced, never kept as it is. */
export const MAX_REDACT_DEPTH = 20;

export type Redact = (text: string) => string;

/** Every form a secret may take in a text: as is, JSON-escaped, percent-encoded. */
const formsOf = (secret: string) => [secret, JSON.stringify(secret).slice(1, -1), encodeURIComponent(secret)];

/**
 * A function that replaces every occurrence of the given secrets (whatever their length: a short one is
 * still a secret) in any of their forms, and a secret's first characters left at the end of a text (or
 * its last characters at the start) by a cut.
 */
export function secretRedactor(secrets: string[]): Redact {
  const forms = [...new Set(secrets.filter(Boolean).flatMap(formsOf))].sort((a, b) => b.length - a.length);
  const edges = forms.filter((form) => form.length > EDGE);
  return (text) => {
    let out = text;
    for (const form of forms) if (out.includes(form)) out = out.split(form).join(MASK);
    for (const form of edges) {
      for (let n = Math.min(form.length - 1, out.length); n >= EDGE; n--) {
        if (out.endsWith(form.slice(0, n))) out = out.slice(0, out.length - n) + MASK;
        if (out.startsWith(form.slice(form.length - n))) out = MASK + out.slice(n);
      }
    }
    return out;
  };
}

/** A deep copy of a JSON-like value with every string and key redacted; anything deeper than the limit is replaced. */
export function redactDeep(value: unknown, redact: Redact, depth = 0): unknown {
  if (typeof value === 'string') return redact(value);
  if (value === null || typeof value !== 'object') return value;
  if (depth >= MAX_REDACT_DEPTH) return '[too deep to show]';
  if (Array.isArray(value)) return value.map((v) => redactDeep(v, redact, depth + 1));
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [redact(k), redactDeep(v, redact, depth + 1)]),
  );
}

/**
 * A copy of a transport error that keeps what helps debugging (name, message, code, errno, syscall,
 * and its own cause) and drops everything else: a fetch implementation may attach the request,
 * headers included, to the errors it throws.
 */
export function sanitizeCause(error: unknown, redact: Redact, depth = 0): unknown {
  if (!(error instanceof Error)) return typeof error === 'string' ? redact(error) : undefined;
  const copy = new Error(redact(error.message)) as Error & Record<string, unknown>;
  copy.name = redact(error.name);
  copy.stack = `${copy.name}: ${copy.message}`;
  const source = error as Error & Record<string, unknown>;
  for (const key of ['code', 'errno', 'syscall']) {
    const v = source[key];
    if (typeof v === 'string' || typeof v === 'number') copy[key] = typeof v === 'string' ? redact(v) : v;
  }
  if (source.cause !== undefined && depth < 3) copy.cause = sanitizeCause(source.cause, redact, depth + 1);
  return copy;
}
