// Reading and parsing a response body within bounds: at most maxResponseBytes of it (decoded), in the
// charset it declares, and JSON no deeper than MAX_JSON_DEPTH, with no key that could set a prototype.

/** The default response size limit: far above any real page (a full page of 100 bindings is about 60 KB). */
export const DEFAULT_MAX_RESPONSE_BYTES = 1024 * 1024;
/** The deepest JSON a body may nest (the contract's bodies nest 4 levels at most). */
export const MAX_JSON_DEPTH = 64;

export interface Body {
  text: string;
  /** The body had more than the limit's bytes: `text` is its start, and the rest was not read. */
  truncated: boolean;
  /** A declared charset this runtime cannot decode (the text is then empty). */
  charset?: string;
}

/** The charset a Content-Type declares, lower-cased (UTF-8 when none). */
const charsetOf = (contentType: string | null) =>
  /;\s*charset="?([^";\s]{1,40})/i.exec(contentType?.slice(0, 200) ?? '')?.[1]?.toLowerCase() ?? 'utf-8';

/** One decoder per charset: decoding a whole buffer at once keeps no state, so calls may share it. */
const decoders = new Map<string, TextDecoder>();
function decoderFor(charset: string): TextDecoder | undefined {
  let decoder = decoders.get(charset);
  if (!decoder) {
    try {
      decoder = new TextDecoder(charset);
    } catch {
      return undefined;
    }
    // The labels a response can name are a few dozen: the cache stays small whatever a service declares.
    if (decoders.size < 64) decoders.set(charset, decoder);
  }
  return decoder;
}

/** The chunks as one buffer (the one chunk itself when there is only one). */
function joined(chunks: Uint8Array[], size: number): Uint8Array {
  if (chunks.length === 1) return chunks[0] as Uint8Array;
  const all = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    all.set(chunk, at);
    at += chunk.byteLength;
  }
  return all;
}

/**
 * The body's text, read chunk by chunk and stopped at `maxBytes` (the connection is released);
 * `race` bounds every read in time. Decoded with the declared charset, or reported when unknown.
 */
export async function readBody(
  response: Response,
  maxBytes: number,
  race: <T>(promise: Promise<T>) => Promise<T>,
): Promise<Body> {
  const charset = charsetOf(response.headers.get('content-type'));
  const decoder = decoderFor(charset);
  if (!decoder) {
    response.body?.cancel().catch(() => {});
    return { text: '', truncated: false, charset };
  }
  const reader = response.body?.getReader();
  if (!reader) return { text: '', truncated: false };
  const chunks: Uint8Array[] = [];
  let size = 0;
  let ended = false;
  try {
    for (;;) {
      const { done, value } = await race(reader.read());
      if (done) {
        ended = true;
        return { text: decoder.decode(joined(chunks, size)), truncated: false };
      }
      if (size + value.byteLength > maxBytes) {
        chunks.push(value.subarray(0, maxBytes - size));
        return { text: decoder.decode(joined(chunks, maxBytes)), truncated: true };
      }
      chunks.push(value);
      size += value.byteLength;
    }
  } finally {
    // Past the limit, or past the deadline: what is left is not wanted, and the connection goes back.
    if (!ended) reader.cancel().catch(() => {});
  }
}

/** How many `[` and `{` a text holds (inside strings too), counted up to MAX_JSON_DEPTH + 1 (indexOf is native). */
function brackets(text: string): number {
  let count = 0;
  for (const open of ['[', '{'])
    for (let at = text.indexOf(open); at >= 0 && count <= MAX_JSON_DEPTH; at = text.indexOf(open, at + 1))
      count++;
  return count;
}

/** How deep a JSON text nests, counted up to `limit + 1` in one pass (strings skipped). */
export function jsonDepth(text: string, limit = MAX_JSON_DEPTH): number {
  let depth = 0;
  let deepest = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 34) {
      // A string: skip to its closing quote, past escaped ones.
      for (i++; i < text.length && text.charCodeAt(i) !== 34; i++) if (text.charCodeAt(i) === 92) i++;
    } else if (c === 91 || c === 123) {
      depth++;
      if (depth > deepest) deepest = depth;
      if (deepest > limit) return deepest;
    } else if (c === 93 || c === 125) depth--;
  }
  return deepest;
}

/**
 * A body's JSON, or why it is none: not JSON, or nested deeper than MAX_JSON_DEPTH. A `__proto__` key
 * (which `Object.assign` would turn into a prototype) is dropped wherever it is; it is no violation, as
 * the contract allows fields it does not name.
 */
export function parseJson(text: string): { value: unknown } | { problem: string } {
  // A text with at most MAX_JSON_DEPTH brackets cannot nest deeper: most bodies skip the scan.
  if (brackets(text) > MAX_JSON_DEPTH && jsonDepth(text) > MAX_JSON_DEPTH)
    return { problem: `nests deeper than ${MAX_JSON_DEPTH} levels` };
  try {
    // Only a text that could spell the key (or escape it) pays for the reviver.
    const risky = text.includes('__proto__') || text.includes('\\u');
    const value = risky
      ? JSON.parse(text, (key, v) => (key === '__proto__' ? undefined : v))
      : JSON.parse(text);
    return { value };
  } catch (error) {
    // JSON.parse's message quotes the body (a credential, control characters): only its position is kept.
    const at = /position (\d+)/.exec(String((error as Error).message))?.[1];
    return { problem: `is not valid JSON${at ? ` (at character ${at})` : ''}` };
  }
}
