// What `new Request(input, init)` would make of a URL and init, read without building one: the fake's
// hot path, where a Request per call would cost more than the answer. Headers are read as `Headers`
// reads them (any case, ends trimmed, repeats joined) and what fetch refuses is refused.

/** What the fake reads of a request: a `Request` has it, and so does the fast path for a URL and init. */
export interface Incoming {
  method: string;
  url: URL;
  headers: { get(name: string): string | null };
  signal: AbortSignal | null | undefined;
}

/** The methods fetch writes in upper case whatever case it is given (the Fetch standard's list). */
const NORMALIZED = new Set(['DELETE', 'GET', 'HEAD', 'OPTIONS', 'POST', 'PUT']);
const FORBIDDEN_METHODS = new Set(['CONNECT', 'TRACE', 'TRACK']);

/** A URL and init read as `new Request(input, init)` would, without building one (the fake's hot path). */
export function incoming(input: string | URL, init: RequestInit | undefined): Incoming {
  const url = new URL(input);
  if (url.username || url.password)
    throw new TypeError(`Request cannot be constructed from a URL that includes credentials`);
  let method = init?.method ?? 'GET';
  if (NORMALIZED.has(method.toUpperCase())) method = method.toUpperCase();
  if (FORBIDDEN_METHODS.has(method.toUpperCase()))
    throw new TypeError(`'${method}' HTTP method is unsupported.`);
  if ((method === 'GET' || method === 'HEAD') && init?.body != null)
    throw new TypeError('Request with GET/HEAD method cannot have body.');
  return { method, url, headers: headersOf(init?.headers), signal: init?.signal };
}

/** A header value without the spaces and tabs HTTP strips at its ends (as Headers does). */
function httpTrim(value: string): string {
  let start = 0;
  let end = value.length;
  const blank = (c: number) => c === 9 || c === 32;
  while (start < end && blank(value.charCodeAt(start))) start++;
  while (end > start && blank(value.charCodeAt(end - 1))) end--;
  return value.slice(start, end);
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: a value Headers would reject or alter (CR, LF, NUL, beyond Latin-1) takes the slow path
const UNSAFE_HEADER_VALUE = /[\r\n\0]|[^\x01-\xff]/;
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/**
 * What `new Headers(init)` would answer for a name, without building one for the usual plain object
 * (repeated names joined by ", " as Headers does; an invalid header still throws, from new Headers).
 */
function headersOf(init: HeadersInit | undefined): Incoming['headers'] {
  if (
    !init ||
    init instanceof Headers ||
    Array.isArray(init) ||
    Object.getPrototypeOf(init) !== Object.prototype
  )
    return new Headers(init);
  const record = init as Record<string, string>;
  for (const [name, value] of Object.entries(record))
    if (typeof value !== 'string' || UNSAFE_HEADER_VALUE.test(value) || !HEADER_NAME.test(name))
      return new Headers(init);
  return {
    get(wanted) {
      const lower = wanted.toLowerCase();
      let found: string | null = null;
      for (const name in record)
        if (name.toLowerCase() === lower) {
          const value = httpTrim(record[name] as string);
          found = found === null ? value : `${found}, ${value}`;
        }
      return found;
    },
  };
}
