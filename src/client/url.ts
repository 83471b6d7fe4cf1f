// URLs by one set of rules: the base URL a caller configures, and a request path from its template.
import { quoted } from './quote.js';

/** The base URL rule, in words: what the client's TypeError and the CLI's usage error both say. */
export const BASE_URL_RULE = 'an absolute http(s) URL without query, fragment, credentials or whitespace';
export const MAX_BASE_URL = 2048;

/**
 * The base URL with its trailing slashes removed, or what is wrong with it. Judged on the raw text,
 * so an empty `?` or `#` is a query or fragment too; a `URL` object is judged by its href. A value
 * that may hold credentials is never shown, nor a query or fragment.
 */
export function checkBaseUrl(value: unknown): { url: string; problem?: undefined } | { problem: string } {
  const text = value instanceof URL ? value.href : value;
  if (typeof text !== 'string') return { problem: `got ${value === null ? 'null' : typeof value}` };
  if (text.includes('@')) return { problem: 'got a URL with credentials (not shown)' };
  // A query or fragment may carry a token (?api_key=, #access_token=): only what precedes it is quoted.
  const cut = text.search(/[?#]/);
  if (cut >= 0)
    return { problem: `got ${quoted(text.slice(0, cut))} followed by a query/fragment (not shown)` };
  let url: URL | undefined;
  try {
    url = new URL(text);
  } catch {}
  const ok =
    url !== undefined &&
    (url.protocol === 'http:' || url.protocol === 'https:') &&
    text.length <= MAX_BASE_URL &&
    !/[?#\s\p{Cc}]/u.test(text);
  if (!ok) return { problem: `got ${quoted(text)}` };
  let end = text.length;
  while (end > 0 && text[end - 1] === '/') end--;
  return { url: text.slice(0, end) };
}

/**
 * A request path from the contract's template, each `{Name}` replaced by its value, percent-encoded
 * (or as given, for a caller that sends values it encoded itself).
 */
export function buildPath(
  template: string,
  values: Readonly<Record<string, string>>,
  encode: (value: string) => string = encodeURIComponent,
): string {
  // The template split once: literal text at even indexes, parameter names at odd ones.
  let parts = templates.get(template);
  if (!parts) {
    parts = template.split(/\{(\w+)\}/);
    templates.set(template, parts);
  }
  let path = parts[0] as string;
  for (let i = 1; i < parts.length; i += 2) {
    const name = parts[i] as string;
    const value = values[name];
    if (value === undefined) throw new TypeError(`No value for the path parameter ${name}`);
    path += encode(value) + parts[i + 1];
  }
  return path;
}
/** The contract's few path templates, split. */
const templates = new Map<string, string[]>();
