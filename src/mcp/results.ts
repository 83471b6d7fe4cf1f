// What a tool answers, as MCP's CallToolResult: bounded in bytes, and with every piece of a credential
// masked by the package's redaction, in data as in messages.
import { fieldNames } from '../../generated/validators.js';
import { type Redact, secretMarker, secretRedactor } from '../client/redact.js';
import type { CallToolResult } from './sdk.js';

/** The most bytes of JSON text one result carries (its structured content, when it has one, is that same value). */
export const MAX_RESULT_BYTES = 64 * 1024;
/** The most characters of an error result's text. */
export const MAX_ERROR_CHARS = 4096;
/**
 * Inside a value the contract holds to a pattern (a SID: two letters and 32 random hex digits), the
 * shortest piece of a credential masked. Anywhere else it is the package's RUN (4): a 32-hex-digit auth
 * token shares some 4 characters with about one random SID in 12 by chance, 8 with one in millions.
 */
export const PATTERN_RUN = 8;
/** The most locations of masked pieces a note names. */
const MAX_NOTED = 10;
/** Deeper than this a value is replaced (the client already bounds a body's depth). */
const MAX_DEPTH = 64;

const contractNames: ReadonlySet<string> = new Set(fieldNames);

/** Masks credentials: `text` in messages and log lines, `data` in what a result carries. */
export interface Masker {
  text: Redact;
  /** A copy of a JSON value with every piece of a credential masked, and where (JSON pointers) it was. */
  data(value: unknown): { value: unknown; masked: string[] };
}

/**
 * The masker of these secrets. `patterns` are the contract's (each a regular expression's source): a
 * value matching one is masked only where it holds PATTERN_RUN or more characters of a secret.
 */
export function masker(secrets: string[], patterns: readonly string[]): Masker {
  const present = secrets.filter(Boolean);
  const text = secretRedactor(present);
  const { marks, mask } = secretMarker(present);
  const spans = patterns.map((p) => new RegExp(p.replace(/^\^/, '').replace(/\$$/, ''), 'gu'));
  const maskString = (value: string): string => {
    if (!present.length) return value;
    const marked = marks(value);
    for (const span of spans)
      for (const m of value.matchAll(span)) unmarkShortRuns(marked, m.index, m.index + m[0].length);
    let out = '';
    let from = 0;
    for (let start = marked.indexOf(1); start >= 0; start = marked.indexOf(1, from)) {
      out += value.slice(from, start) + mask;
      from = marked.indexOf(0, start);
      if (from < 0) return out;
    }
    return out + value.slice(from);
  };
  const data = (value: unknown) => {
    const masked: string[] = [];
    const walk = (node: unknown, pointer: string, depth: number): unknown => {
      if (typeof node === 'string') {
        const shown = maskString(node);
        if (shown !== node && masked.length < MAX_NOTED) masked.push(pointer || '/');
        return shown;
      }
      if (node === null || typeof node !== 'object') return node;
      if (depth >= MAX_DEPTH) return '[too deep to show]';
      if (Array.isArray(node)) return node.map((item, i) => walk(item, `${pointer}/${i}`, depth + 1));
      return Object.fromEntries(
        Object.entries(node).map(([key, item]) => {
          const name = contractNames.has(key) ? key : maskString(key);
          return [name, walk(item, `${pointer}/${name.replace(/~/g, '~0').replace(/\//g, '~1')}`, depth + 1)];
        }),
      );
    };
    return { value: walk(value, '', 0), masked };
  };
  return { text, data };
}

/** Clears the marks of runs shorter than PATTERN_RUN between `from` and `to`. */
function unmarkShortRuns(marked: Uint8Array, from: number, to: number): void {
  for (let start = from; start < to; ) {
    if (!marked[start]) {
      start++;
      continue;
    }
    let end = start;
    while (end < to && marked[end]) end++;
    // A run reaching past the span is judged whole: it continues outside the value the pattern allows.
    const whole = (start === from && from > 0 && marked[from - 1]) || (end === to && marked[to]);
    if (end - start < PATTERN_RUN && !whole) marked.fill(0, start, end);
    start = end;
  }
}

const bytes = (text: string) => Buffer.byteLength(text, 'utf8');

/** A tool's failure, said in a bounded, masked text. */
export function errorResult(message: string, mask: Masker): CallToolResult {
  const shown = mask.text(message);
  const text = shown.length > MAX_ERROR_CHARS ? `${shown.slice(0, MAX_ERROR_CHARS)}…` : shown;
  return { isError: true, content: [{ type: 'text', text }] };
}

/** How jsonResult shows a value. */
export interface Shown {
  /** Also as structured content (an object only). */
  structured?: boolean;
  /** The tool's output schema, as the contract's validator: a value that fails it once masked is shown as text only. */
  validate?: (value: unknown) => boolean;
  /** What to do instead, said when the value is over MAX_RESULT_BYTES. */
  advice?: string;
}

/**
 * A value as a result: its JSON as text and, `structured`, as structured content too; masked, with a note
 * of where pieces of a credential were; refused (an error naming the bound) past MAX_RESULT_BYTES. Once
 * masked, a value that no longer passes `validate` is an error holding its text: a masked SID is no SID.
 */
export function jsonResult(value: unknown, mask: Masker, options: Shown = {}): CallToolResult {
  const { value: shown, masked } = mask.data(value);
  const text = JSON.stringify(shown);
  const size = bytes(text);
  if (size > MAX_RESULT_BYTES)
    return errorResult(
      `The answer is ${size} bytes of JSON, over this server's bound of ${MAX_RESULT_BYTES} bytes for one result: nothing of it is shown.${options.advice ? ` ${options.advice}` : ''}`,
      mask,
    );
  const note = `Pieces of the credential were masked at ${masked.join(', ')}.`;
  if (masked.length && options.validate && !options.validate(shown))
    return {
      isError: true,
      content: [
        { type: 'text', text: `${note} Masked, the answer no longer matches its schema: as text only.` },
        { type: 'text', text },
      ],
    };
  const content: CallToolResult['content'] = [{ type: 'text', text }];
  if (masked.length) content.push({ type: 'text', text: note });
  const isRecord = typeof shown === 'object' && shown !== null && !Array.isArray(shown);
  return options.structured && isRecord
    ? { content, structuredContent: shown as Record<string, unknown> }
    : { content };
}
