// Keeps credentials out of everything the client reports: messages, bodies and error causes.

const MASK = '[REDACTED]';

/** A function that replaces every occurrence of the given secrets in a string. */
export function secretRedactor(secrets: string[]): (text: string) => string {
  const needles = secrets.filter((s) => s.length >= 4).sort((a, b) => b.length - a.length);
  return (text) => needles.reduce((out, needle) => out.split(needle).join(MASK), text);
}

/** A deep copy of a JSON-like value with every string redacted. */
export function redactDeep(value: unknown, redact: (text: string) => string, depth = 0): unknown {
  if (typeof value === 'string') return redact(value);
  if (value === null || typeof value !== 'object' || depth > 20) return value;
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
export function sanitizeCause(error: unknown, redact: (text: string) => string, depth = 0): unknown {
  if (!(error instanceof Error)) return typeof error === 'string' ? redact(error) : undefined;
  const copy = new Error(redact(error.message)) as Error & Record<string, unknown>;
  copy.name = error.name;
  copy.stack = `${copy.name}: ${copy.message}`;
  const source = error as Error & Record<string, unknown>;
  for (const key of ['code', 'errno', 'syscall']) {
    const v = source[key];
    if (typeof v === 'string' || typeof v === 'number') copy[key] = typeof v === 'string' ? redact(v) : v;
  }
  if (source.cause !== undefined && depth < 3) copy.cause = sanitizeCause(source.cause, redact, depth + 1);
  return copy;
}
