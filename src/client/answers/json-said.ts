// A JSON value as said text (../said.ts), bounded: what a violation quotes of a value, and what an error
// keeps of the body at fault. The contract's keys and the punctuation are words; what was sent is quoted.
import type { Said } from '../said.js';
import type { SaidTools } from './tools.js';

/**
 * A JSON value as said text, at most about `max` characters (then `…`), read no further than that: each
 * string and number a quote, each key a word if it is one of `names` (the contract's) and a quote if
 * not, the punctuation words.
 */
export function jsonOf(t: SaidTools, value: unknown, max: number, names: ReadonlySet<string>): Said {
  const parts: Said[] = [];
  let left = max;
  const add = (part: Said, length: number) => {
    parts.push(part);
    left -= length;
  };
  const word = (text: string) => add(t.words(text), text.length);
  // A quote cut at the bound shows its own `…`.
  const text = (s: string, json = true) => add(t.quote(s, Math.max(left - 2, 1), json), s.length + 2);
  const member = (key: string, node: unknown, first: boolean) => {
    if (!first) word(',');
    if (names.has(key)) add(t.words(JSON.stringify(key)), key.length + 2);
    else text(key);
    word(':');
    visit(node);
  };
  const visit = (node: unknown): void => {
    if (left <= 0) return;
    if (typeof node === 'string') text(node);
    else if (typeof node === 'number') text(String(node), false);
    else if (typeof node !== 'object' || node === null) word(String(node));
    else if (Array.isArray(node)) {
      word('[');
      for (let i = 0; i < node.length && left > 0; i++) {
        if (i) word(',');
        visit(node[i]);
      }
    } else {
      word('{');
      let first = true;
      for (const key in node) {
        if (left <= 0) break;
        if (!Object.hasOwn(node, key)) continue;
        member(key, (node as Record<string, unknown>)[key], first);
        first = false;
      }
    }
    if (typeof node === 'object' && node !== null && left > 0) word(Array.isArray(node) ? ']' : '}');
  };
  visit(value);
  // Cut short: `…`, unless the quote it ends on shows its own.
  const last = parts.at(-1);
  if (left <= 0 && !(last?.quotes.at(-1)?.cut && last.words.at(-1) === '')) parts.push(t.words('…'));
  return t.joined(parts);
}
